/**
 * The eviction subresource's decisions over PodDisruptionBudgets (Kubernetes' pod/storage/eviction.go),
 * without I/O: which budgets cover a pod, when a budget does not apply, and check-and-decrement of
 * `status.disruptionsAllowed` with the 429 Kubernetes answers.
 */
import { ApiError, labelSelectorFromObject, matchesLabels, setCondition } from '../api/index.js';
import type { Condition, KubeObject, PodDisruptionBudget } from '../api/index.js';

/** More recorded evictions than this means the disruption controller is not keeping up: refuse. */
export const maxDisruptedPods = 2000;
const evictMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Rec : {});

function phaseOf(pod: KubeObject): unknown {
  return rec(pod.status).phase;
}

export function isReady(pod: KubeObject): boolean {
  const conds = rec(pod.status).conditions;
  return Array.isArray(conds) && conds.some((c) => rec(c).type === 'Ready' && rec(c).status === 'True');
}

/** Terminal, Pending and terminating pods are deleted without looking at budgets (canIgnorePDB). */
export function canIgnoreBudgets(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  // A pod without a phase has not been written by a node yet: Pending.
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || phase === undefined || pod.metadata.deletionTimestamp !== undefined;
}

/** Whether the delete must be pinned to the pod's resourceVersion (shouldEnforceResourceVersion). */
export function pinsResourceVersion(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp !== undefined);
}

/** The budgets of the pod's namespace whose selector matches it; a budget with an invalid selector matches nothing. */
export function budgetsFor(pod: KubeObject, budgets: readonly PodDisruptionBudget[]): PodDisruptionBudget[] {
  return budgets.filter((b) => {
    if (b.metadata.namespace !== pod.metadata.namespace) return false;
    try {
      return matchesLabels(labelSelectorFromObject(b.spec?.selector), pod.metadata.labels ?? {});
    } catch {
      return false;
    }
  });
}

/**
 * An unready pod may go without spending the budget: always with `unhealthyPodEvictionPolicy:
 * AlwaysAllow`, else (IfHealthyBudget, the default) when the budget is met without it.
 */
export function unhealthyMayGo(pod: KubeObject, pdb: PodDisruptionBudget): boolean {
  if (isReady(pod)) return false;
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const st = pdb.status;
  return st !== undefined && st.currentHealthy >= st.desiredHealthy && st.desiredHealthy > 0;
}

/** The 429 for a budget the controller has not caught up with yet (createTooManyRequestsError). */
export function stillProcessing(name: string): ApiError {
  return new ApiError('TooManyRequests', evictMessage, {
    causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} is still being processed by the server.` }],
    retryAfterSeconds: 10,
  });
}

/**
 * checkAndDecrement: the budget with one disruption spent and `podName` recorded in
 * `status.disruptedPods` (not recorded on dry runs), or the error Kubernetes answers.
 */
export function spendDisruption(pdb: PodDisruptionBudget, podName: string, nowIso: string, dryRun: boolean): PodDisruptionBudget {
  const name = pdb.metadata.name ?? '';
  const st = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  const forbidden = (why: string): ApiError =>
    new ApiError('Forbidden', `poddisruptionbudget.policy "${name}" is forbidden: ${why}`, { name, group: 'policy', kind: 'poddisruptionbudget' });
  if (st.disruptionsAllowed < 0) throw forbidden('pdb disruptions allowed is negative');
  if (Object.keys(st.disruptedPods ?? {}).length > maxDisruptedPods) throw forbidden('DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  if (st.disruptionsAllowed === 0) {
    throw new ApiError('TooManyRequests', evictMessage, {
      causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} needs ${st.desiredHealthy} healthy pods and has ${st.currentHealthy} currently` }],
    });
  }
  const allowed = st.disruptionsAllowed - 1;
  let conditions: Condition[] | undefined = st.conditions;
  if (allowed === 0) {
    const cond: Condition = { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}) };
    conditions = setCondition(st.conditions, cond, nowIso);
  }
  const disruptedPods = dryRun ? st.disruptedPods : { ...(st.disruptedPods ?? {}), [podName]: nowIso };
  return { ...pdb, status: { ...st, disruptionsAllowed: allowed, ...(conditions ? { conditions } : {}), ...(disruptedPods ? { disruptedPods } : {}) } };
}

/** The pod with condition DisruptionTarget=True (EvictionByEvictionAPI), as the eviction writes it before deleting. */
export function withDisruptionTarget(pod: KubeObject, nowIso: string): KubeObject {
  const status = rec(pod.status);
  const conds = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
  const cond: Condition = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
  return { ...pod, status: { ...status, conditions: setCondition(conds, cond, nowIso) } };
}
