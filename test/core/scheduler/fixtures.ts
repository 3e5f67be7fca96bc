/** Fixture builders for scheduler tests. */
import type { Container, Node, Pod, Taint, Toleration } from '../../../core/api/index.js';

export interface NodeFixture {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown' | 'none';
  zone?: string;
}

export function makeNode(f: NodeFixture): Node {
  const labels = { 'kubernetes.io/hostname': f.name, ...f.labels, ...(f.zone ? { 'topology.kubernetes.io/zone': f.zone } : {}) };
  const allocatable: Record<string, string> = { cpu: f.cpu ?? '4', memory: f.memory ?? '8Gi', pods: f.pods ?? '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: f.name, labels },
    spec: { taints: f.taints, unschedulable: f.unschedulable },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: f.ready === 'none' ? [] : [{ type: 'Ready', status: f.ready ?? 'True' }],
    },
  };
}

export interface PodFixture {
  name: string;
  namespace?: string;
  cpu?: string;
  memory?: string;
  /** Extra containers' requests. */
  more?: { cpu?: string; memory?: string }[];
  init?: { cpu?: string; memory?: string }[];
  node?: string;
  labels?: Record<string, string>;
  owner?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  hostPort?: number;
  hostIP?: string;
  affinity?: Pod['spec']['affinity'];
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
}

function container(name: string, r: { cpu?: string; memory?: string }, ports?: Container['ports']): Container {
  const requests: Record<string, string> = {};
  if (r.cpu) requests.cpu = r.cpu;
  if (r.memory) requests.memory = r.memory;
  return { name, image: 'skiff/echo', resources: { requests }, ports };
}

export function makePod(f: PodFixture): Pod {
  const ports = f.hostPort ? [{ containerPort: 8080, hostPort: f.hostPort, hostIP: f.hostIP }] : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: f.name,
      namespace: f.namespace ?? 'default',
      labels: f.labels,
      ownerReferences: f.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: f.owner, uid: `uid-${f.owner}`, controller: true }] : undefined,
    },
    spec: {
      containers: [container('main', { cpu: f.cpu, memory: f.memory }, ports), ...(f.more ?? []).map((r, i) => container(`c${i}`, r))],
      initContainers: f.init?.map((r, i) => container(`init${i}`, r)),
      nodeName: f.node,
      nodeSelector: f.nodeSelector,
      tolerations: f.tolerations,
      affinity: f.affinity,
    },
    status: { phase: f.phase ?? (f.node ? 'Running' : 'Pending') },
  };
}
