/**
 * Filters: can `pod` run on the node? Pure functions of (pod, nodeInfo) with Kubernetes' reason strings,
 * run in the default profile's order; the first failing filter decides (a filter may give several reasons).
 */
import type { Pod } from '../api/index.js';
import { allocatable, podHostPorts, podRequests, type HostPort, type NodeInfo } from './nodeinfo.js';
import { matchesRequiredNodeAffinity } from './selectors.js';
import { effectiveTaints, tolerated, TAINT_UNSCHEDULABLE } from './taints.js';

export type FilterResult =
  | { ok: true }
  | {
    ok: false;
    /** The first reason (most filters have exactly one). */
    reason: string;
    reasons: readonly string[];
    /** Kubernetes' UnschedulableAndUnresolvable: removing pods from the node would not help. */
    unresolvable: boolean;
  };

export type Filter = (pod: Pod, info: NodeInfo) => FilterResult;

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_TOO_MANY_PODS = 'Too many pods';

const OK: FilterResult = { ok: true };

function fail(reasons: string[], unresolvable: boolean): FilterResult {
  return { ok: false, reason: reasons[0] ?? '', reasons, unresolvable };
}

/** NodeUnschedulable: `spec.unschedulable` unless the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`. */
export const nodeUnschedulable: Filter = (pod, info) => {
  if (!info.node.spec?.unschedulable) return OK;
  if (tolerated(pod.spec.tolerations ?? [], { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' })) return OK;
  return fail([REASON_UNSCHEDULABLE], true);
};

/** TaintToleration: the first NoSchedule/NoExecute taint the pod does not tolerate (NotReady included). */
export const taintToleration: Filter = (pod, info) => {
  const tolerations = pod.spec.tolerations ?? [];
  for (const taint of effectiveTaints(info.node)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerated(tolerations, taint)) {
      return fail([`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], true);
    }
  }
  return OK;
};

/** NodeAffinity: `spec.nodeSelector` and required node affinity. */
export const nodeAffinity: Filter = (pod, info) =>
  matchesRequiredNodeAffinity(pod, info.node) ? OK : fail([REASON_NODE_AFFINITY], true);

function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0';
}

/** NodePorts: a requested host port already in use on the node (0.0.0.0 conflicts with every IP). */
export const nodePorts: Filter = (pod, info) => {
  const wanted = podHostPorts(pod);
  const clash = wanted.some((w) => info.usedPorts.some((u) => portsConflict(w, u)));
  return clash ? fail([REASON_PORTS], false) : OK;
};

/**
 * NodeResourcesFit: pod count against allocatable `pods`, then every requested resource against
 * allocatable minus what placed pods request. A pod requesting nothing only needs a pod slot.
 */
export const nodeResourcesFit: Filter = (pod, info) => {
  const alloc = allocatable(info.node);
  const reasons: string[] = [];
  if (info.pods.length + 1 > (alloc.pods ?? 0)) reasons.push(REASON_TOO_MANY_PODS);
  const req = podRequests(pod);
  for (const [name, want] of Object.entries(req)) {
    if (name === 'pods' || want <= 0) continue;
    const free = (alloc[name] ?? 0) - (info.requested[name] ?? 0);
    if (want > free) reasons.push(`Insufficient ${name}`);
  }
  return reasons.length > 0 ? fail(sortResourceReasons(reasons), false) : OK;
};

/** Kubernetes reports pods, cpu, memory, ephemeral-storage, then extended resources by name. */
function sortResourceReasons(reasons: string[]): string[] {
  const rank = (r: string): number => [REASON_TOO_MANY_PODS, 'Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage'].indexOf(r);
  return [...reasons].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra >= 0 || rb >= 0) return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** The default profile's filters, in order. */
export const defaultFilters: readonly Filter[] = [nodeUnschedulable, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

/** Runs `filters` in order and returns the first failure, or ok. */
export function runFilters(pod: Pod, info: NodeInfo, filters: readonly Filter[] = defaultFilters): FilterResult {
  for (const f of filters) {
    const r = f(pod, info);
    if (!r.ok) return r;
  }
  return OK;
}
