/** Pure decisions of the node lifecycle controller: node health, NoExecute/NoSchedule taints and pod eviction times. */
import { getCondition } from '../../api/index.js';
import type { Condition, Node, Pod, Taint, Toleration } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import { timeOf } from './common.js';

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
/** Kubernetes' DefaultTolerationSeconds admission value. */
export const defaultTolerationSeconds = 300;
const conditionTypes = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/**
 * Kubernetes' tryUpdateNodeHealth for a node not heard from within the grace period: its
 * conditions set to Unknown (a Ready condition never posted gets NodeStatusNeverUpdated). Returns
 * the new conditions, or undefined when they are already Unknown.
 */
export function unknownConditions(node: Node, now: number): Condition[] | undefined {
  const conds = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of conditionTypes) {
    const cur = getCondition(conds, type);
    if (cur?.status === 'Unknown') continue;
    if (!cur && type !== 'Ready') continue;
    changed = true;
    const next: Condition = cur
      ? { ...cur, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) }
      : { type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp ?? rfc3339(now), lastTransitionTime: rfc3339(now) };
    const i = conds.findIndex((c) => c.type === type);
    if (i >= 0) conds[i] = next;
    else conds.push(next);
  }
  return changed ? conds : undefined;
}

/** The node's Ready status as the taints see it: `True`, `False` or `Unknown` (no condition counts as Unknown). */
export function readyStatus(node: Node): Condition['status'] {
  return getCondition(node.status?.conditions, 'Ready')?.status ?? 'Unknown';
}

/**
 * The node's taints with the not-ready/unreachable taints (NoExecute and NoSchedule) matching its
 * Ready condition; other taints and the timeAdded of taints that stay are kept. Undefined when
 * nothing changes.
 */
export function desiredTaints(node: Node, now: number): Taint[] | undefined {
  const status = readyStatus(node);
  const key = status === 'False' ? notReadyTaintKey : status === 'Unknown' ? unreachableTaintKey : undefined;
  const current = node.spec?.taints ?? [];
  const ours = (t: Taint): boolean => t.key === unreachableTaintKey || t.key === notReadyTaintKey;
  const keep = current.filter((t) => !ours(t) || (t.key === key && (t.effect === 'NoExecute' || t.effect === 'NoSchedule')));
  if (key) {
    for (const effect of ['NoSchedule', 'NoExecute'] as const) {
      if (!keep.some((t) => t.key === key && t.effect === effect)) keep.push({ key, effect, ...(effect === 'NoExecute' ? { timeAdded: rfc3339(now) } : {}) });
    }
  }
  const same = keep.length === current.length && keep.every((t) => current.includes(t));
  return same ? undefined : keep;
}

/** Kubernetes' ToleratesTaint. */
export function tolerates(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  if ((tol.operator ?? 'Equal') === 'Exists') return true;
  return (tol.value ?? '') === (taint.value ?? '');
}

/**
 * The pod's tolerations, with the DefaultTolerationSeconds admission's two added when it has none
 * for not-ready/unreachable NoExecute (`seconds` each, 300 by default).
 */
export function withDefaultTolerations(pod: Pod, seconds: number): Toleration[] {
  const tols = [...(pod.spec.tolerations ?? [])];
  for (const key of [notReadyTaintKey, unreachableTaintKey]) {
    const probe: Taint = { key, effect: 'NoExecute' };
    if (!tols.some((t) => tolerates(t, probe))) tols.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  return tols;
}

export type Eviction = { at: 'now' } | { at: number } | { at: 'never' };

/**
 * Kubernetes' NoExecute taint manager decision: evict now when a NoExecute taint is not tolerated;
 * else at the latest taint's timeAdded plus the smallest tolerationSeconds among the tolerations
 * used; never when none of them is time-limited.
 */
export function evictionFor(pod: Pod, taints: readonly Taint[], defaultSeconds = defaultTolerationSeconds): Eviction {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { at: 'never' };
  const tols = withDefaultTolerations(pod, defaultSeconds);
  let min = Infinity;
  for (const taint of noExecute) {
    const used = tols.filter((t) => tolerates(t, taint));
    if (used.length === 0) return { at: 'now' };
    for (const t of used) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      if (t.tolerationSeconds <= 0) return { at: 'now' };
      min = Math.min(min, t.tolerationSeconds);
    }
  }
  if (min === Infinity) return { at: 'never' };
  const since = Math.max(...noExecute.map((t) => timeOf(t.timeAdded)));
  return { at: since + min * 1000 };
}
