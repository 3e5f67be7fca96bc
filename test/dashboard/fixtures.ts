/** Fixture builders for the dashboard tests. */
import type { Deployment, HorizontalPodAutoscaler, Ingress, Node, Pod, Service } from '../../core/api/index.js';
import type { SeriesSet } from '../../dashboard/index.js';

export function makeNode(o: { name: string; cpu?: string; memory?: string; ready?: boolean }): Node {
  const capacity = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name: o.name },
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

export function makePod(o: { name: string; node?: string; cpu?: string; memory?: string; phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed'; ready?: boolean; restarts?: number; ip?: string }): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: o.name, namespace: 'default' },
    spec: { ...(o.node ? { nodeName: o.node } : {}), containers: [{ name: 'c', image: 'x', resources: { requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } } }] },
    status: {
      phase: o.phase ?? 'Running', ...(o.ip ? { podIP: o.ip } : {}),
      containerStatuses: [{ name: 'c', ready: o.ready ?? true, restartCount: o.restarts ?? 0, image: 'x', imageID: '' }],
    },
  } as Pod;
}

export function makeService(o: { name: string; type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; lb?: string[]; ports?: { port: number; nodePort?: number }[] }): Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name: o.name, namespace: 'default' },
    spec: { type: o.type ?? 'ClusterIP', clusterIP: '10.0.0.1', ports: o.ports ?? [{ port: 80 }] },
    status: { loadBalancer: { ingress: (o.lb ?? []).map((ip) => ({ ip })) } },
  };
}

export function makeIngress(name: string, rules: { host?: string; path?: string; pathType?: 'Exact' | 'Prefix'; service: string; port: number }[]): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default' },
    spec: { rules: rules.map((r) => ({ ...(r.host ? { host: r.host } : {}), http: { paths: [{ path: r.path ?? '/', pathType: r.pathType ?? 'Prefix', backend: { service: { name: r.service, port: { number: r.port } } } }] } })) },
  };
}

export function makeDeployment(name: string, replicas: number, ready: number): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { spec: { containers: [] } } },
    status: { readyReplicas: ready, replicas },
  } as Deployment;
}

export function makeHpa(o: { name: string; annotation?: string; current?: number; target?: number; replicas?: number; desired?: number }): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    metadata: { name: o.name, namespace: 'default', ...(o.annotation !== undefined ? { annotations: { 'autoscaling.skiff.dev/last-decision': o.annotation } } : {}) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: o.name }, minReplicas: 1, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.target ?? 50 } } }],
    },
    status: {
      currentReplicas: o.replicas ?? 2, desiredReplicas: o.desired ?? 3,
      ...(o.current !== undefined ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: o.current } } }] } : {}),
    },
  };
}

export const noSeries: SeriesSet = {
  rps: { stepMs: 1000, endMs: 0, values: [] },
  p99: { stepMs: 1000, endMs: 0, values: [] },
  replicas: { stepMs: 1000, endMs: 0, values: [] },
  nodes: { stepMs: 1000, endMs: 0, values: [] },
};
