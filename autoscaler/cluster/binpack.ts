/**
 * The binpacking estimator: how many new nodes of one group the pods need, placing them
 * first-fit-decreasing onto template nodes with the scheduler's own filters, as cluster-autoscaler's
 * BinpackingNodeEstimator does. Pure.
 */
import type { DaemonSet, Pod } from '../../core/api/index.js';
import { allocatable, assume, podRequests, runFilters, defaultFilters } from '../../core/scheduler/index.js';
import type { Amounts, Filter, NodeInfo } from '../../core/scheduler/index.js';
import { FitChecker } from './fit.js';
import { equivalenceKey } from './pods.js';
import { templateNodeInfo } from './template.js';
import type { ScaleGroup } from './types.js';

export interface Estimate {
  nodeCount: number;
  /** Pods placed onto the new nodes. */
  placed: Pod[];
  /** Pods that do not fit even an empty template node, with the filter's reasons. */
  unfit: Map<Pod, readonly string[]>;
  /** Pods that fit a template node but are left out by `limit`. */
  overLimit: Pod[];
  /** Idle CPU fraction + idle memory fraction of the new nodes (least-waste's score). */
  waste: number;
}

/** Per-pod caches the callers share across groups (requests and equivalence keys are parsed once). */
export interface PodFacts {
  requests(pod: Pod): Amounts;
  key(pod: Pod): string;
}

export function podFacts(): PodFacts {
  const req = new Map<Pod, Amounts>();
  const keys = new Map<Pod, string>();
  return {
    requests: (p) => {
      let r = req.get(p);
      if (!r) req.set(p, (r = podRequests(p)));
      return r;
    },
    key: (p) => {
      let k = keys.get(p);
      if (k === undefined) keys.set(p, (k = equivalenceKey(p)));
      return k;
    },
  };
}

/** Orders pods biggest first relative to the node's shape (cpu/node cpu + memory/node memory). */
function sortDecreasing(pods: readonly Pod[], alloc: Amounts, facts: PodFacts): Pod[] {
  const score = (p: Pod): number => {
    const r = facts.requests(p);
    return (r.cpu ?? 0) / Math.max(1, alloc.cpu ?? 0) + (r.memory ?? 0) / Math.max(1, alloc.memory ?? 0);
  };
  const scored = pods.map((p) => ({ p, s: score(p) }));
  scored.sort((a, b) => b.s - a.s);
  return scored.map((x) => x.p);
}

function wasteOf(nodes: readonly NodeInfo[], alloc: Amounts): number {
  if (nodes.length === 0) return 0;
  const idle = (name: string): number => {
    const total = (alloc[name] ?? 0) * nodes.length;
    if (total <= 0) return 0;
    const used = nodes.reduce((s, n) => s + (n.requested[name] ?? 0), 0);
    return (total - used) / total;
  };
  return idle('cpu') + idle('memory');
}

/**
 * Estimates the new nodes of `group` that `pods` need, opening at most `limit` nodes, each starting
 * with the pods of `daemonSets` that would run on it. Equivalent pods resume their search where the
 * previous one was placed (nodes only fill up), so the cost stays near linear in pods + nodes.
 */
export function estimate(group: ScaleGroup, pods: readonly Pod[], limit: number, facts: PodFacts, daemonSets: readonly DaemonSet[] = [], filters: readonly Filter[] = defaultFilters): Estimate {
  const empty = templateNodeInfo(group, 'empty', daemonSets);
  const alloc = allocatable(empty.node);
  const unfit = new Map<Pod, readonly string[]>();
  const emptyVerdict = new Map<string, readonly string[] | undefined>();
  const fitting: Pod[] = [];
  for (const pod of pods) {
    const k = facts.key(pod);
    if (!emptyVerdict.has(k)) {
      const r = runFilters(pod, empty, filters);
      emptyVerdict.set(k, r.ok ? undefined : r.reasons);
    }
    const reasons = emptyVerdict.get(k);
    if (reasons) unfit.set(pod, reasons);
    else fitting.push(pod);
  }
  const fit = new FitChecker(facts, filters);
  const nodes: NodeInfo[] = [];
  const cursor = new Map<string, number>();
  const placed: Pod[] = [];
  const overLimit: Pod[] = [];
  for (const pod of sortDecreasing(fitting, alloc, facts)) {
    const k = facts.key(pod);
    let at = -1;
    for (let i = cursor.get(k) ?? 0; i < nodes.length; i++) {
      const info = nodes[i];
      if (info && fit.fits(pod, info)) {
        at = i;
        break;
      }
    }
    if (at < 0 && nodes.length < limit) {
      nodes.push(templateNodeInfo(group, nodes.length, daemonSets));
      at = nodes.length - 1;
    }
    const info = nodes[at];
    if (!info) {
      overLimit.push(pod);
      cursor.set(k, nodes.length);
      continue;
    }
    assume(info, pod);
    cursor.set(k, at);
    placed.push(pod);
  }
  return { nodeCount: nodes.length, placed, unfit, overLimit, waste: wasteOf(nodes, alloc) };
}
