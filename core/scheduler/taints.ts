/** Taints and tolerations, matched exactly as Kubernetes' `ToleratesTaint` does. */
import type { Node, Taint, Toleration } from '../api/index.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    case 'Exists': return true;
    default: return false;
  }
}

export function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/**
 * The node's taints, plus the one the node lifecycle controller would add when the Ready condition is
 * not True: `not-ready` (False or missing) or `unreachable` (Unknown), NoSchedule, unless already present.
 */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...(node.spec?.taints ?? [])];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return taints;
  const key = ready?.status === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
  if (!taints.some((t) => t.key === key && (t.effect === 'NoSchedule' || t.effect === 'NoExecute'))) {
    taints.push({ key, effect: 'NoSchedule' });
  }
  return taints;
}
