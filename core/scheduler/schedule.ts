/**
 * One scheduling decision: filter every node, score the feasible ones, pick the best — or explain,
 * in Kubernetes' words, why no node fits. Pure: the caller supplies nodes, pods and randomness.
 */
import type { Pod, Service } from '../api/index.js';
import { defaultFilters, runFilters, type Filter } from './filters.js';
import { assume, type NodeInfo } from './nodeinfo.js';
import { defaultScorePlugins, scoreNodes, type ScorePlugin } from './scores.js';

export interface ScheduleOptions {
  /** Services in the cluster (for spreading pods of one Service). */
  services?: readonly Service[];
  /** Picks among equally scored nodes: returns [0, 1). Default: the first by name. */
  rand?: () => number;
  filters?: readonly Filter[];
  scorePlugins?: readonly ScorePlugin[];
}

export interface NodeFailure { reasons: readonly string[]; unresolvable: boolean }

export type ScheduleResult =
  | { node: string; score: number }
  | {
    node: undefined;
    /** `0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {foo: bar}. preemption: …` */
    message: string;
    /** Why each node was rejected, by node name. */
    reasons: Record<string, NodeFailure>;
  };

/** Kubernetes' ErrNoNodesAvailable text. */
export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';

/** `count reason` strings, sorted as strings and comma-joined, as Kubernetes' sortReasonsHistogram. */
export function reasonHistogram(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`);
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join(', ');
}

/**
 * The FailedScheduling message: the filter histogram, then the preemption clause Kubernetes 1.32 adds.
 * skiff has no pod priorities to preempt, so every node is either "not helpful" (unresolvable filters:
 * unschedulable, taints, node affinity) or has "no victims" (resources, ports).
 */
export function unschedulableMessage(total: number, failures: Readonly<Record<string, NodeFailure>>, preemptionPolicy?: string): string {
  if (total === 0) return NO_NODES_MESSAGE;
  const all = Object.values(failures);
  const filterPart = `0/${total} nodes are available: ${reasonHistogram(all.flatMap((f) => f.reasons))}.`;
  if (preemptionPolicy === 'Never') return `${filterPart} preemption: not eligible due to preemptionPolicy=Never.`;
  const preemptionPart = reasonHistogram(all.map((f) => (f.unresolvable ? PREEMPTION_NOT_HELPFUL : NO_PREEMPTION_VICTIMS)));
  return `${filterPart} preemption: 0/${total} nodes are available: ${preemptionPart}.`;
}

/** `spec.preemptionPolicy`, which core/api's PodSpec does not declare yet. */
function preemptionPolicyOf(pod: Pod): string | undefined {
  const v: unknown = (pod.spec as unknown as Record<string, unknown>).preemptionPolicy;
  return typeof v === 'string' ? v : undefined;
}

function byName(a: NodeInfo, b: NodeInfo): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Places `pod` on the best node of `nodes`, or explains why none fits. Never mutates its inputs. */
export function schedulePod(pod: Pod, nodes: readonly NodeInfo[], opts: ScheduleOptions = {}): ScheduleResult {
  const feasible: NodeInfo[] = [];
  const reasons: Record<string, NodeFailure> = {};
  for (const info of nodes) {
    const r = runFilters(pod, info, opts.filters ?? defaultFilters);
    if (r.ok) feasible.push(info);
    else reasons[info.name] = { reasons: r.reasons, unresolvable: r.unresolvable };
  }
  if (feasible.length === 0) return { node: undefined, message: unschedulableMessage(nodes.length, reasons, preemptionPolicyOf(pod)), reasons };
  feasible.sort(byName);
  const scores = scoreNodes(pod, feasible, { services: opts.services ?? [] }, opts.scorePlugins ?? defaultScorePlugins);
  const best = Math.max(...scores);
  const ties = feasible.filter((_, i) => scores[i] === best);
  const pick = opts.rand ? ties[Math.min(ties.length - 1, Math.floor(opts.rand() * ties.length))] : ties[0];
  return { node: pick?.name ?? '', score: best };
}

/**
 * Schedules `pods` one after another, assuming each placed pod onto its node (mutating `nodes`'
 * infos) so later pods see it. Results are in the order of `pods`.
 */
export function schedulePods(pods: readonly Pod[], nodes: readonly NodeInfo[], opts: ScheduleOptions = {}): ScheduleResult[] {
  const byNodeName = new Map(nodes.map((n) => [n.name, n]));
  return pods.map((pod) => {
    const r = schedulePod(pod, nodes, opts);
    const info = r.node === undefined ? undefined : byNodeName.get(r.node);
    if (info) assume(info, { ...pod, spec: { ...pod.spec, nodeName: info.name } });
    return r;
  });
}
