/**
 * PodDisruptionBudgets in the scale-down simulation, as cluster-autoscaler's drainability `pdb` rule and
 * RemainingPdbTracker: a pod whose budget allows no disruption blocks its node, and each node found
 * removable spends its pods' disruptions, so a budget is never counted twice across nodes. Pure.
 */
import { labelSelectorFromObject, matchesLabels } from '../../core/api/index.js';
import type { Pod, PodDisruptionBudget } from '../../core/api/index.js';
import type { ResourceTarget } from '../../core/client/index.js';
import type { NodeScaleDownStatus } from './types.js';

export const pdbTarget: ResourceTarget = { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true };
const reasonPrefix = 'not enough pod disruption budget to move ';

export interface RemainingBudget { pdb: PodDisruptionBudget; remaining: number }

/** The budgets with their allowed disruptions, to be spent by `spendBudgets`. */
export function remainingBudgets(pdbs: readonly PodDisruptionBudget[]): RemainingBudget[] {
  return pdbs.map((pdb) => ({ pdb, remaining: pdb.status?.disruptionsAllowed ?? 0 }));
}

export function budgetCovers(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  try {
    return matchesLabels(labelSelectorFromObject(pdb.spec?.selector), pod.metadata.labels ?? {});
  } catch {
    return false;
  }
}

export function notEnoughPdb(pod: Pod): string {
  return `${reasonPrefix}${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}

/** CanRemovePods: the first pod whose budget has no disruption left, in cluster-autoscaler's words, or undefined. */
export function budgetBlocks(pods: readonly Pod[], budgets: readonly RemainingBudget[]): string | undefined {
  for (const b of budgets) {
    for (const pod of pods) if (budgetCovers(b.pdb, pod) && b.remaining < 1) return notEnoughPdb(pod);
  }
  return undefined;
}

/** RemovePods: each pod spends one disruption of every budget covering it. Mutates `budgets` (the simulation's own copy). */
export function spendBudgets(pods: readonly Pod[], budgets: RemainingBudget[]): void {
  for (const b of budgets) for (const pod of pods) if (budgetCovers(b.pdb, pod)) b.remaining -= 1;
}

/**
 * Decision-log lines for nodes a budget keeps, once per node and reason: `last` (node → reason noted)
 * is updated in place, and nodes no longer kept by a budget are forgotten.
 */
export function keptByBudgets(nodes: readonly NodeScaleDownStatus[], last: Map<string, string>): string[] {
  const lines: string[] = [];
  const now = new Map(nodes.filter((n) => n.reason?.startsWith(reasonPrefix)).map((n) => [n.node, n.reason ?? '']));
  for (const node of [...last.keys()]) if (!now.has(node)) last.delete(node);
  for (const [node, reason] of now) {
    if (last.get(node) === reason) continue;
    last.set(node, reason);
    lines.push(`node ${node} kept: ${reason}`);
  }
  return lines;
}
