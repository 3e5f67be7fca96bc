/** Fixture builders for the cluster autoscaler's tables: nodes, pods and node groups. */
import type { Node, Pod, Taint, Toleration, Volume } from '../../../core/api/index.js';
import type { ScaleGroup } from '../../../autoscaler/index.js';

export interface PodSpecLite {
  name: string;
  namespace?: string;
  cpu?: string;
  memory?: string;
  node?: string;
  /** Pending and marked Unschedulable by the scheduler (default when no node). */
  unschedulable?: boolean;
  phase?: 'Running' | 'Succeeded' | 'Failed';
  owner?: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'CustomController' | 'none';
  ownerUid?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  volumes?: Volume[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export function makePod(o: PodSpecLite): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const owner = o.owner ?? 'ReplicaSet';
  const pending = !o.node && o.unschedulable !== false;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: o.name, namespace: o.namespace ?? 'default', uid: `uid-${o.name}`,
      ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(owner !== 'none' ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner, name: 'owner', uid: o.ownerUid ?? `owner-${owner}`, controller: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'echo', resources: { requests } }],
      ...(o.node ? { nodeName: o.node } : {}), ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}), ...(o.volumes ? { volumes: o.volumes } : {}),
    },
    status: pending
      ? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }] }
      : { phase: o.phase ?? (o.node ? 'Running' : 'Pending') },
  };
}

export interface NodeSpecLite {
  name: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  annotations?: Record<string, string>;
  ready?: boolean;
}

export function makeNode(o: NodeSpecLite): Node {
  const cap = { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: o.name, labels: { 'kubernetes.io/hostname': o.name, ...o.labels }, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: { providerID: `fake://${o.name}`, ...(o.taints ? { taints: o.taints } : {}) },
    status: { capacity: cap, allocatable: cap, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

export interface GroupSpecLite {
  name: string;
  min?: number;
  max?: number;
  /** Registered member node names (running instances). */
  members?: string[];
  /** Instances still creating (not registered). */
  creating?: string[];
  targetSize?: number;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  pricePerHour?: number;
  priority?: number;
}

export function makeGroup(o: GroupSpecLite): ScaleGroup {
  const members = o.members ?? [];
  const creating = o.creating ?? [];
  return {
    name: o.name, min: o.min ?? 0, max: o.max ?? 10, targetSize: o.targetSize ?? members.length + creating.length,
    instances: [
      ...members.map((n) => ({ name: n, providerID: `fake://${n}`, state: 'running' as const })),
      ...creating.map((n) => ({ name: n, providerID: `fake://${n}`, state: 'creating' as const })),
    ],
    template: { capacity: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: '110' }, labels: o.labels ?? {}, taints: o.taints ?? [] },
    ...(o.pricePerHour !== undefined ? { pricePerHour: o.pricePerHour } : {}), ...(o.priority !== undefined ? { priority: o.priority } : {}),
  };
}

/** `n` pending pods named `<prefix>-i` with the same shape. */
export function pendingPods(prefix: string, n: number, o: Omit<PodSpecLite, 'name'> = {}): Pod[] {
  return Array.from({ length: n }, (_, i) => makePod({ ...o, name: `${prefix}-${i}` }));
}

export const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata.name ?? '').sort();
