/**
 * Scores: how good is each feasible node for `pod`? Each plugin maps the feasible nodes to scores
 * already normalised to 0..100; `scoreNodes` weights them like Kubernetes' default profile.
 * Pure functions: all inputs are passed in.
 */
import type { Pod, Service } from '../api/index.js';
import { allocatable, podNonZeroRequests, podRequests, type NodeInfo } from './nodeinfo.js';
import { matchesLabels, matchesTerm } from './selectors.js';
import { effectiveTaints, tolerated } from './taints.js';

export const MAX_NODE_SCORE = 100;
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
const LEGACY_ZONE_LABEL = 'failure-domain.beta.kubernetes.io/zone';
/** SelectorSpread gives zone spreading 2/3 of the weight when nodes carry zones. */
const ZONE_WEIGHTING = 2 / 3;

export interface ScoreContext {
  /** Services in the cluster; the ones selecting `pod` define its spreading group. */
  services: readonly Service[];
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** One score in 0..100 per entry of `feasible`, same order. */
  score(pod: Pod, feasible: readonly NodeInfo[], ctx: ScoreContext): number[];
}

/** Kubernetes' DefaultNormalizeScore: scale so the maximum is 100 (reverse: 100 minus that). */
export function normalize(scores: readonly number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return scores.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return scores.map((s) => {
    const v = Math.trunc((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - v : v;
  });
}

function leastRequested(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** NodeResourcesFit LeastAllocated on one node: free share of cpu and memory after placing `pod`, averaged. */
export function leastAllocatedScore(pod: Pod, info: NodeInfo): number {
  const alloc = allocatable(info.node);
  const req = podNonZeroRequests(pod);
  const cpu = leastRequested(info.nonZeroRequested.cpu + req.cpu, alloc.cpu ?? 0);
  const mem = leastRequested(info.nonZeroRequested.memory + req.memory, alloc.memory ?? 0);
  return Math.trunc((cpu + mem) / 2);
}

/** NodeResourcesBalancedAllocation on one node: 100 × (1 − std of the cpu and memory fractions). */
export function balancedAllocationScore(pod: Pod, info: NodeInfo): number {
  const alloc = allocatable(info.node);
  const req = podRequests(pod);
  const fraction = (name: string): number => {
    const cap = alloc[name] ?? 0;
    if (cap <= 0) return 1;
    return Math.min(1, ((info.requested[name] ?? 0) + (req[name] ?? 0)) / cap);
  };
  const std = Math.abs(fraction('cpu') - fraction('memory')) / 2;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** TaintToleration: fewer untolerated PreferNoSchedule taints is better. */
export function preferNoScheduleCount(pod: Pod, info: NodeInfo): number {
  const tolerations = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return effectiveTaints(info.node).filter((t) => t.effect === 'PreferNoSchedule' && !tolerated(tolerations, t)).length;
}

/** NodeAffinity: sum of the weights of the preferred terms the node matches. */
export function preferredAffinityWeight(pod: Pod, info: NodeInfo): number {
  const preferred = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return preferred.reduce((sum, p) => (p.weight > 0 && matchesTerm(p.preference, info.node) ? sum + p.weight : sum), 0);
}

function controllerOf(pod: Pod): string | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return undefined;
  return ref.uid || `${ref.kind}/${ref.name}`;
}

/**
 * The pods `pod` spreads against: same namespace, not being deleted, matching the selectors of every
 * Service that selects `pod`, and with the same controller (ReplicaSet…) when `pod` has one. Undefined
 * when `pod` has neither services nor a controller (nothing to spread against).
 */
export function spreadMatcher(pod: Pod, services: readonly Service[]): ((other: Pod) => boolean) | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const selector: Record<string, string> = {};
  for (const svc of services) {
    const sel = svc.spec?.selector ?? {};
    if ((svc.metadata.namespace ?? 'default') === ns && matchesLabels(sel, pod.metadata.labels)) Object.assign(selector, sel);
  }
  const owner = controllerOf(pod);
  const useSelector = Object.keys(selector).length > 0;
  if (!useSelector && owner === undefined) return undefined;
  return (other) => (other.metadata.namespace ?? 'default') === ns
    && !other.metadata.deletionTimestamp
    && (!useSelector || matchesLabels(selector, other.metadata.labels))
    && (owner === undefined || controllerOf(other) === owner);
}

export function zoneOf(info: NodeInfo): string {
  const labels = info.node.metadata.labels ?? {};
  return labels[ZONE_LABEL] ?? labels[LEGACY_ZONE_LABEL] ?? '';
}

/** SelectorSpread: fewer matching pods on the node, and (weighted 2/3) in its zone, is better. */
export function spreadScores(pod: Pod, feasible: readonly NodeInfo[], services: readonly Service[]): number[] {
  const match = spreadMatcher(pod, services);
  const counts = feasible.map((info) => (match ? info.pods.filter(match).length : 0));
  const byZone = new Map<string, number>();
  feasible.forEach((info, i) => {
    const zone = zoneOf(info);
    if (zone !== '') byZone.set(zone, (byZone.get(zone) ?? 0) + (counts[i] ?? 0));
  });
  const maxNode = Math.max(0, ...counts);
  const maxZone = Math.max(0, ...byZone.values());
  return feasible.map((info, i) => {
    const count = counts[i] ?? 0;
    let score = maxNode > 0 ? (MAX_NODE_SCORE * (maxNode - count)) / maxNode : MAX_NODE_SCORE;
    const zone = zoneOf(info);
    if (byZone.size > 0 && zone !== '') {
      const zoneCount = byZone.get(zone) ?? 0;
      const zoneScore = maxZone > 0 ? (MAX_NODE_SCORE * (maxZone - zoneCount)) / maxZone : MAX_NODE_SCORE;
      score = score * (1 - ZONE_WEIGHTING) + ZONE_WEIGHTING * zoneScore;
    }
    return Math.trunc(score);
  });
}

/** The default profile's scoring plugins with their weights. */
export const defaultScorePlugins: readonly ScorePlugin[] = [
  { name: 'TaintToleration', weight: 3, score: (pod, f) => normalize(f.map((i) => preferNoScheduleCount(pod, i)), true) },
  { name: 'NodeAffinity', weight: 2, score: (pod, f) => normalize(f.map((i) => preferredAffinityWeight(pod, i)), false) },
  { name: 'NodeResourcesFit', weight: 1, score: (pod, f) => f.map((i) => leastAllocatedScore(pod, i)) },
  { name: 'NodeResourcesBalancedAllocation', weight: 1, score: (pod, f) => f.map((i) => balancedAllocationScore(pod, i)) },
  // Kubernetes' SelectorSpread algorithm (node + zone) at the weight PodTopologySpread's system defaults carry.
  { name: 'SelectorSpread', weight: 2, score: (pod, f, ctx) => spreadScores(pod, f, ctx.services) },
];

/** Weighted total per feasible node, same order as `feasible`. */
export function scoreNodes(pod: Pod, feasible: readonly NodeInfo[], ctx: ScoreContext, plugins: readonly ScorePlugin[] = defaultScorePlugins): number[] {
  const totals = feasible.map(() => 0);
  for (const p of plugins) {
    p.score(pod, feasible, ctx).forEach((s, i) => {
      totals[i] = (totals[i] ?? 0) + s * p.weight;
    });
  }
  return totals;
}
