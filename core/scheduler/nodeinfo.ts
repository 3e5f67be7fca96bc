/**
 * NodeInfo: a node plus the pods already placed on it, with their summed requests and host ports —
 * the scheduler's view of one node. Pure: built from objects, never from I/O.
 */
import { quantityToInt, quantityToMilli } from '../api/index.js';
import type { Container, Node, Pod } from '../api/index.js';

/** Resource amounts by name: `cpu` in millicores, everything else in base units (bytes, counts). */
export type Amounts = Record<string, number>;

/** A host port in use: protocol and IP as Kubernetes normalises them (`TCP`, `0.0.0.0`). */
export interface HostPort { ip: string; protocol: string; port: number }

export interface NodeInfo {
  readonly name: string;
  readonly node: Node;
  /** Pods placed on the node (bound or assumed), terminated ones excluded. */
  pods: Pod[];
  /** Sum of the pods' effective requests (no defaults), as the fit filter counts them. */
  requested: Amounts;
  /** Sum of the pods' requests with the scoring defaults (100m CPU, 200Mi memory) for unset ones. */
  nonZeroRequested: { cpu: number; memory: number };
  usedPorts: HostPort[];
}

/** Kubernetes' scoring defaults for containers that request nothing (`schedutil.DefaultMilliCPURequest`…). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
/** The kubelet's default `maxPods`, assumed when a node reports no allocatable `pods`. */
export const DEFAULT_MAX_PODS = 110;

/** `cpu` in millicores, anything else in whole units rounded up (Kubernetes' MilliValue / Value); malformed counts as 0. */
function amount(name: string, q: string | number): number {
  try {
    return name === 'cpu' ? quantityToMilli(q) : quantityToInt(q);
  } catch {
    return 0;
  }
}

function containerRequests(c: Container): Amounts {
  const out: Amounts = {};
  for (const [name, q] of Object.entries(c.resources?.requests ?? {})) out[name] = amount(name, q);
  return out;
}

/** Per resource: max(sum over containers, max over init containers), as Kubernetes computes pod requests. */
export function podRequests(pod: Pod): Amounts {
  const sum: Amounts = {};
  for (const c of pod.spec.containers) {
    for (const [k, v] of Object.entries(containerRequests(c))) sum[k] = (sum[k] ?? 0) + v;
  }
  for (const c of pod.spec.initContainers ?? []) {
    for (const [k, v] of Object.entries(containerRequests(c))) sum[k] = Math.max(sum[k] ?? 0, v);
  }
  return sum;
}

/** CPU and memory requests with the non-zero defaults applied per container (for scoring only). */
export function podNonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  const one = (c: Container): { cpu: number; memory: number } => {
    const r = c.resources?.requests ?? {};
    return {
      cpu: r.cpu !== undefined ? amount('cpu', r.cpu) : DEFAULT_MILLI_CPU_REQUEST,
      memory: r.memory !== undefined ? amount('memory', r.memory) : DEFAULT_MEMORY_REQUEST,
    };
  };
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec.containers) {
    const r = one(c);
    cpu += r.cpu;
    memory += r.memory;
  }
  for (const c of pod.spec.initContainers ?? []) {
    const r = one(c);
    cpu = Math.max(cpu, r.cpu);
    memory = Math.max(memory, r.memory);
  }
  return { cpu, memory };
}

/** Host ports the pod's containers ask for (hostPort > 0). */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** The node's allocatable resources (falling back to capacity), with `pods` defaulted to 110. */
export function allocatable(node: Node): Amounts {
  const list = node.status?.allocatable ?? node.status?.capacity ?? {};
  const out: Amounts = {};
  for (const [name, q] of Object.entries(list)) out[name] = amount(name, q);
  if (out.pods === undefined) out.pods = DEFAULT_MAX_PODS;
  return out;
}

export function newNodeInfo(node: Node): NodeInfo {
  return { name: node.metadata.name ?? '', node, pods: [], requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, usedPorts: [] };
}

/** True for pods that no longer hold resources on their node. */
export function isTerminated(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * Adds `pod` to `info` in place (Kubernetes' "assume": the pod counts as placed before it is bound)
 * and returns `info`, so a batch of pods can be placed one after another against the same infos.
 */
export function assume(info: NodeInfo, pod: Pod): NodeInfo {
  info.pods.push(pod);
  for (const [k, v] of Object.entries(podRequests(pod))) info.requested[k] = (info.requested[k] ?? 0) + v;
  const nz = podNonZeroRequests(pod);
  info.nonZeroRequested.cpu += nz.cpu;
  info.nonZeroRequested.memory += nz.memory;
  info.usedPorts.push(...podHostPorts(pod));
  return info;
}

/** One NodeInfo per node, holding the non-terminated pods whose `spec.nodeName` names it. */
export function buildNodeInfos(nodes: readonly Node[], pods: readonly Pod[]): NodeInfo[] {
  const infos = nodes.map(newNodeInfo);
  const byName = new Map(infos.map((i) => [i.name, i]));
  for (const pod of pods) {
    const info = pod.spec.nodeName ? byName.get(pod.spec.nodeName) : undefined;
    if (info && !isTerminated(pod)) assume(info, pod);
  }
  return infos;
}
