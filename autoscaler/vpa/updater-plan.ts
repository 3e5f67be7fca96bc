/** The VPA updater's pure decision: which pods to evict now so they restart with recommended requests. */
import type { Pod, RecommendedContainerResources, VerticalPodAutoscaler } from '../../core/api/index.js';
import { containerPolicy } from './policy.js';
import { cpuMillicores, memoryBytes } from './quantity.js';

export interface EvictionPlan {
  evict: Pod[];
  /** Why nothing (more) is evicted, for logs and explanations. */
  reason: string;
}

const amount = (resource: string, q: string): number => (resource === 'cpu' ? cpuMillicores(q) : memoryBytes(q));

/** True for modes in which the updater evicts pods. */
export function evictsPods(vpa: VerticalPodAutoscaler): boolean {
  const mode = vpa.spec.updatePolicy?.updateMode ?? 'Auto';
  return mode === 'Auto' || mode === 'Recreate' || mode === 'InPlaceOrRecreate';
}

/** How far (relative to target) the pod's requests fall outside [lowerBound, upperBound]; 0 when inside. */
export function podDeviation(pod: Pod, vpa: VerticalPodAutoscaler, recs: readonly RecommendedContainerResources[]): number {
  let worst = 0;
  for (const c of pod.spec.containers) {
    const rec = recs.find((r) => r.containerName === c.name);
    if (!rec || containerPolicy(vpa, c.name)?.mode === 'Off') continue;
    for (const [resource, target] of Object.entries(rec.target)) {
      if (resource !== 'cpu' && resource !== 'memory') continue;
      const want = amount(resource, target);
      const req = c.resources?.requests?.[resource];
      if (req === undefined) {
        worst = Math.max(worst, 1);
        continue;
      }
      const have = amount(resource, req);
      const lower = amount(resource, rec.lowerBound?.[resource] ?? target);
      const upper = amount(resource, rec.upperBound?.[resource] ?? target);
      if (have < lower || have > upper) worst = Math.max(worst, Math.abs(have - want) / Math.max(want, 1));
    }
  }
  return worst;
}

const alive = (p: Pod): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';

/**
 * Pods of `vpa` to evict: those whose requests fall outside the recommended bounds, most deviant first,
 * never taking running pods below `alive - max(1, floor(alive × tolerance))` (pending pods count as already
 * disrupted) and nothing when fewer than `updatePolicy.minReplicas` (default 2) pods are alive.
 */
export function planEvictions(vpa: VerticalPodAutoscaler, pods: readonly Pod[], tolerance = 0.5): EvictionPlan {
  if (!evictsPods(vpa)) return { evict: [], reason: `update mode ${vpa.spec.updatePolicy?.updateMode ?? 'Auto'} does not evict pods` };
  const recs = vpa.status?.recommendation?.containerRecommendations ?? [];
  if (recs.length === 0) return { evict: [], reason: 'no recommendation yet' };
  const live = pods.filter(alive);
  const minReplicas = vpa.spec.updatePolicy?.minReplicas ?? 2;
  if (live.length < minReplicas) return { evict: [], reason: `too few replicas: ${live.length} alive, minReplicas ${minReplicas}` };
  const running = live.filter((p) => p.status?.phase === 'Running');
  const shouldBeAlive = live.length - Math.max(1, Math.floor(live.length * tolerance));
  const budget = Math.max(0, running.length - shouldBeAlive);
  const candidates = running
    .map((pod) => ({ pod, d: podDeviation(pod, vpa, recs) }))
    .filter((x) => x.d > 0)
    .sort((a, b) => b.d - a.d || (a.pod.metadata.name ?? '').localeCompare(b.pod.metadata.name ?? ''));
  if (candidates.length === 0) return { evict: [], reason: 'all pods within recommended bounds' };
  const evict = candidates.slice(0, budget).map((x) => x.pod);
  const reason = evict.length < candidates.length ? `eviction tolerance allows ${budget} of ${candidates.length} pods now` : 'every pod outside bounds evicted';
  return { evict, reason };
}
