/** `discovery.k8s.io/v1` EndpointSlice and `metrics.k8s.io/v1beta1` PodMetrics/NodeMetrics. */
import type { KubeObject } from '../meta.js';
import type { ObjectReference, ResourceList } from './core.js';

export interface EndpointConditions { ready?: boolean; serving?: boolean; terminating?: boolean }

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
  hints?: { forZones?: { name: string }[]; forNodes?: { name: string }[] };
}

export interface EndpointSlicePort { name?: string; protocol?: 'TCP' | 'UDP' | 'SCTP'; port?: number; appProtocol?: string }

export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: Endpoint[];
  ports?: EndpointSlicePort[];
}

export interface ContainerMetrics { name: string; usage: ResourceList }

export interface PodMetrics extends KubeObject {
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}

export interface NodeMetrics extends KubeObject {
  timestamp: string;
  window: string;
  usage: ResourceList;
}
