/**
 * Pure decisions of the disruption controller (Kubernetes' disruption.go): which pods a budget covers,
 * how many must stay healthy, which evictions are still in flight, and the budget's status with its
 * `DisruptionAllowed` condition.
 */
import { labelSelectorFromObject, matchesLabels, setCondition } from '../../api/index.js';
import type { Condition, Pod, PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import { isPodReady } from './common.js';
import { scaledValue } from './deployment-util.js';

/** How long an eviction the API allowed may take before the controller stops counting the pod as going (DeletionTimeout). */
export const deletionTimeoutMs = 2 * 60 * 1000;
export const disruptionAllowedCondition = 'DisruptionAllowed';
export const pdbReasons = { sufficient: 'SufficientPods', insufficient: 'InsufficientPods', syncFailed: 'SyncFailed' } as const;

/** The pods of the budget's namespace its selector matches (policy/v1: an empty selector matches all, none matches nothing). */
export function podsForBudget(pdb: PodDisruptionBudget, pods: readonly Pod[]): Pod[] {
  const sel = labelSelectorFromObject(pdb.spec.selector);
  return pods.filter((p) => (p.metadata.namespace ?? '') === (pdb.metadata.namespace ?? '') && matchesLabels(sel, p.metadata.labels ?? {}));
}

/** True when the budget's numbers depend on the pods' controllers' scale (maxUnavailable, or minAvailable as a percentage). */
export function needsScale(spec: PodDisruptionBudgetSpec): boolean {
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
}

/**
 * expectedPods and desiredHealthy (getExpectedPodCount). `scale` is the sum of the pods' controllers'
 * scale, needed only when `needsScale`; percentages round up (GetScaledValueFromIntOrPercent, roundUp).
 */
export function expectedCounts(spec: PodDisruptionBudgetSpec, podCount: number, scale: number): { expectedPods: number; desiredHealthy: number } {
  if (spec.maxUnavailable !== undefined) {
    const maxUnavailable = scaledValue(spec.maxUnavailable, scale, true, '0');
    return { expectedPods: scale, desiredHealthy: Math.max(0, scale - maxUnavailable) };
  }
  if (typeof spec.minAvailable === 'number') return { expectedPods: podCount, desiredHealthy: spec.minAvailable };
  if (typeof spec.minAvailable === 'string') return { expectedPods: scale, desiredHealthy: scaledValue(spec.minAvailable, scale, true, '0') };
  return { expectedPods: 0, desiredHealthy: 0 };
}

/**
 * The evictions still in flight (buildDisruptedPodMap): entries of `status.disruptedPods` for pods that
 * exist, are not being deleted yet and were evicted less than `deletionTimeoutMs` ago. `expired` names
 * the pods that should have gone by now; `recheckAt` is when the next entry expires.
 */
export function disruptedPods(pods: readonly Pod[], recorded: Readonly<Record<string, string>> | undefined, now: number): { disrupted: Record<string, string>; expired: string[]; recheckAt?: number } {
  const disrupted: Record<string, string> = {};
  const expired: string[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const at = recorded?.[name];
    if (pod.metadata.deletionTimestamp || at === undefined) continue;
    const expected = Date.parse(at) + deletionTimeoutMs;
    if (Number.isNaN(expected) || expected < now) {
      expired.push(name);
      continue;
    }
    disrupted[name] = at;
    recheckAt = recheckAt === undefined ? expected : Math.min(recheckAt, expected);
  }
  return { disrupted, expired, ...(recheckAt !== undefined ? { recheckAt } : {}) };
}

/** Ready pods not being deleted and not about to be (countHealthyPods). */
export function countHealthy(pods: readonly Pod[], disrupted: Readonly<Record<string, string>>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name ?? ''];
    if (at !== undefined && Date.parse(at) + deletionTimeoutMs > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/** `conditions` with DisruptionAllowed set from `disruptionsAllowed` (UpdateDisruptionAllowedCondition). */
export function withDisruptionAllowed(conditions: readonly Condition[] | undefined, disruptionsAllowed: number, observedGeneration: number | undefined, nowIso: string): Condition[] {
  const ok = disruptionsAllowed > 0;
  const cond: Condition = {
    type: disruptionAllowedCondition, status: ok ? 'True' : 'False', reason: ok ? pdbReasons.sufficient : pdbReasons.insufficient, message: '',
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
  };
  return setCondition(conditions, cond, nowIso);
}

export interface BudgetInput {
  pdb: PodDisruptionBudget;
  /** The pods the budget covers (podsForBudget). */
  pods: readonly Pod[];
  /** Sum of the covered pods' controllers' scale; only read when `needsScale(pdb.spec)`. */
  scale: number;
  now: number;
}

/** The status the controller writes (trySync + updatePdbStatus), and the pods whose eviction expired. */
export function budgetStatus(input: BudgetInput): { status: PodDisruptionBudgetStatus; expired: string[]; recheckAt?: number } {
  const { pdb, pods, now } = input;
  const { expectedPods, desiredHealthy } = expectedCounts(pdb.spec, pods.length, input.scale);
  const { disrupted, expired, recheckAt } = disruptedPods(pods, pdb.status?.disruptedPods, now);
  const currentHealthy = countHealthy(pods, disrupted, now);
  const allowed = currentHealthy - desiredHealthy;
  const disruptionsAllowed = expectedPods <= 0 || allowed <= 0 ? 0 : allowed;
  const observedGeneration = pdb.metadata.generation;
  const status: PodDisruptionBudgetStatus = {
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    ...(Object.keys(disrupted).length > 0 ? { disruptedPods: disrupted } : {}),
    disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods,
    conditions: withDisruptionAllowed(pdb.status?.conditions, disruptionsAllowed, observedGeneration, rfc3339(now)),
  };
  return { status, expired, ...(recheckAt !== undefined ? { recheckAt } : {}) };
}

/** The status after a failed sync (failSafe): no disruption allowed, DisruptionAllowed=False/SyncFailed with the error. */
export function failSafeStatus(pdb: PodDisruptionBudget, message: string, now: number): PodDisruptionBudgetStatus {
  const st = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const cond: Condition = {
    type: disruptionAllowedCondition, status: 'False', reason: pdbReasons.syncFailed, message,
    ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}),
  };
  return { ...st, disruptionsAllowed: 0, conditions: setCondition(st.conditions, cond, rfc3339(now)) };
}
