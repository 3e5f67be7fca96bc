/**
 * planScaleUp: which node group grows, by how much, for the pending pods — cluster-autoscaler's
 * ScaleUp: filter out pods that fit existing or upcoming nodes, estimate per group with binpacking,
 * skip groups at max / in back-off / over cluster limits, let the expander choose, and explain each pod. Pure.
 */
import type { Pod } from '../../core/api/index.js';
import { allocatable, assume, buildNodeInfos, reasonHistogram } from '../../core/scheduler/index.js';
import type { NodeInfo } from '../../core/scheduler/index.js';
import { estimate, podFacts, type PodFacts } from './binpack.js';
import { expand } from './expander.js';
import { FitChecker } from './fit.js';
import { formatCpu, formatMemory } from './format.js';
import { isDaemonSetPod, isUnschedulablePending } from './pods.js';
import { readyCounts, templateNode, templateNodeInfo } from './template.js';
import { resolveOptions } from './types.js';
import type { ClusterAutoscalerOptions, ScaleGroup, ScaleUpInput, ScaleUpOption, ScaleUpPlan } from './types.js';

export const REASON_MAX_GROUP_SIZE = 'max node group size reached';
export const REASON_BACKOFF = 'in backoff after failed scale-up';
export const REASON_MAX_NODES_TOTAL = 'max node total count already reached';
export const REASON_MAX_RESOURCES = 'max cluster cpu, memory limit reached';

/** Existing nodes plus template nodes for each group's upcoming (requested, not yet Ready) nodes. */
function clusterInfos(input: ScaleUpInput): { infos: NodeInfo[]; upcoming: Map<string, number> } {
  const infos = buildNodeInfos(input.nodes, input.pods);
  const ready = readyCounts(input.nodes, input.groups);
  const upcoming = new Map<string, number>();
  for (const g of input.groups) {
    const n = Math.max(0, g.targetSize - (ready.get(g.name) ?? 0));
    upcoming.set(g.name, n);
    for (let i = 0; i < n; i++) infos.push(templateNodeInfo(g, `upcoming-${i}`, input.daemonSets ?? []));
  }
  return { infos, upcoming };
}

/** Splits pending pods into those that fit somewhere now (assumed there) and those that do not. */
function filterSchedulable(pending: readonly Pod[], infos: NodeInfo[], facts: PodFacts): { schedulable: Pod[]; unschedulable: Pod[] } {
  const fit = new FitChecker(facts);
  const cursor = new Map<string, number>();
  const schedulable: Pod[] = [];
  const unschedulable: Pod[] = [];
  for (const pod of pending) {
    const k = facts.key(pod);
    let placed = false;
    for (let i = cursor.get(k) ?? 0; i < infos.length; i++) {
      const info = infos[i];
      if (info && fit.fits(pod, info)) {
        assume(info, pod);
        cursor.set(k, i);
        placed = true;
        break;
      }
    }
    if (placed) schedulable.push(pod);
    else {
      cursor.set(k, infos.length);
      unschedulable.push(pod);
    }
  }
  return { schedulable, unschedulable };
}

interface Totals { nodes: number; cpu: number; memory: number }

function clusterTotals(infos: readonly NodeInfo[]): Totals {
  let cpu = 0;
  let memory = 0;
  for (const i of infos) {
    const a = allocatable(i.node);
    cpu += a.cpu ?? 0;
    memory += a.memory ?? 0;
  }
  return { nodes: infos.length, cpu, memory };
}

/** How many nodes `g` may add, and the reason when it is 0. */
function headroom(g: ScaleGroup, t: Totals, o: ClusterAutoscalerOptions): { limit: number; reason: string } {
  let limit = g.max - g.targetSize;
  let reason = REASON_MAX_GROUP_SIZE;
  const cap = allocatable(templateNode(g, 'limit'));
  const clamp = (n: number, why: string): void => {
    if (n < limit) {
      limit = Math.max(0, n);
      reason = why;
    }
  };
  if (o.maxNodesTotal > 0) clamp(o.maxNodesTotal - t.nodes, REASON_MAX_NODES_TOTAL);
  if (o.maxCoresTotal > 0 && (cap.cpu ?? 0) > 0) clamp(Math.floor((o.maxCoresTotal * 1000 - t.cpu) / (cap.cpu ?? 1)), REASON_MAX_RESOURCES);
  if (o.maxMemoryTotal > 0 && (cap.memory ?? 0) > 0) clamp(Math.floor((o.maxMemoryTotal - t.memory) / (cap.memory ?? 1)), REASON_MAX_RESOURCES);
  return { limit: Math.max(0, limit), reason };
}

function addReason(reasons: Map<Pod, string[]>, pod: Pod, ...r: readonly string[]): void {
  const list = reasons.get(pod);
  if (list) list.push(...r);
  else reasons.set(pod, [...r]);
}

/** Estimates every group; collects options and, per pod, one reason for each group that cannot help it. */
function computeOptions(input: ScaleUpInput, pods: readonly Pod[], totals: Totals, facts: PodFacts, o: ClusterAutoscalerOptions) {
  const options: ScaleUpOption[] = [];
  const reasons = new Map<Pod, string[]>();
  for (const g of [...input.groups].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const backoff = input.backoff?.[g.name];
    if (backoff && backoff.until > input.now) {
      for (const p of pods) addReason(reasons, p, REASON_BACKOFF);
      continue;
    }
    const { limit, reason } = headroom(g, totals, o);
    const est = estimate(g, pods, limit, facts, input.daemonSets ?? []);
    for (const [p, r] of est.unfit) addReason(reasons, p, ...r);
    for (const p of est.overLimit) addReason(reasons, p, reason);
    if (est.nodeCount > 0) {
      options.push({
        group: g.name, nodeCount: est.nodeCount, pods: est.placed, waste: est.waste,
        ...(g.pricePerHour !== undefined ? { pricePerHour: g.pricePerHour * est.nodeCount } : {}),
      });
    }
  }
  return { options, reasons };
}

function describePods(pods: readonly Pod[], facts: PodFacts): string {
  const cpus = pods.map((p) => facts.requests(p).cpu ?? 0);
  const mems = pods.map((p) => facts.requests(p).memory ?? 0);
  const same = (xs: number[]): boolean => xs.every((x) => x === xs[0]);
  const parts: string[] = [];
  if (same(cpus)) parts.push(`cpu ${formatCpu(cpus[0] ?? 0)} each`);
  else parts.push(`cpu ${formatCpu(cpus.reduce((a, b) => a + b, 0))} in total`);
  if ((mems[0] ?? 0) > 0 && same(mems)) parts.push(`memory ${formatMemory(mems[0] ?? 0)} each`);
  return `${pods.length} pending pod${pods.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/**
 * cluster-autoscaler's NotTriggerScaleUp text: the reasons each node group gave. With no node group there
 * is no reason to list, and an empty list (`pod didn't trigger scale-up: `) says nothing: then it is
 * cluster-autoscaler's sentence for "no expansion option" and why there is none.
 */
export function notTriggeredMessage(reasons: readonly string[]): string {
  if (reasons.length === 0) return "pod didn't trigger scale-up (it wouldn't fit if a new node is added): no node groups";
  return `pod didn't trigger scale-up: ${reasonHistogram(reasons)}`;
}

export function triggeredMessage(group: string, from: number, to: number, max: number): string {
  return `pod triggered scale-up: [{${group} ${from}->${to} (max: ${max})}]`;
}

/** Plans one scale-up. Never mutates its inputs. */
export function planScaleUp(input: ScaleUpInput): ScaleUpPlan {
  const o = resolveOptions(input.options);
  const facts = podFacts();
  // As cluster-autoscaler's FilterOutDaemonSetPodListProcessor: a pending daemon pod belongs to its own node.
  const pending = input.pods.filter((p) => isUnschedulablePending(p) && !isDaemonSetPod(p));
  const { infos } = clusterInfos(input);
  const totals = clusterTotals(infos);
  const { schedulable, unschedulable } = filterSchedulable(pending, infos, facts);
  const base = { options: [], triggered: [], notTriggered: [], schedulable, pending: pending.length };
  if (unschedulable.length === 0) {
    const explanation = pending.length === 0 ? 'no unschedulable pods' : `${pending.length} unschedulable pods fit existing or upcoming nodes: no scale-up`;
    return { ...base, explanation };
  }
  const { options, reasons } = computeOptions(input, unschedulable, totals, facts, o);
  const groups = new Map(input.groups.map((g) => [g.name, g]));
  const choice = expand(o.expander, { options, groups, ...(input.rand ? { rand: input.rand } : {}), ...(o.priorities ? { priorities: o.priorities } : {}) });
  const helped = new Set(options.flatMap((x) => x.pods));
  const notTriggered = unschedulable.filter((p) => !helped.has(p)).map((pod) => {
    const r = reasons.get(pod) ?? [];
    return { pod, reasons: r, message: notTriggeredMessage(r) };
  });
  const group = choice ? groups.get(choice.option.group) : undefined;
  if (!choice || !group) {
    return { ...base, options, notTriggered, explanation: `${describePods(unschedulable, facts)} fit no node group: no scale-up` };
  }
  const c = choice.option;
  const to = group.targetSize + c.nodeCount;
  const explanation = `${describePods(c.pods, facts)} fit ${c.nodeCount} new node${c.nodeCount === 1 ? '' : 's'} of group ${c.group} (${choice.why}) → group ${c.group} ${group.targetSize} → ${to}`;
  return {
    ...base, options, notTriggered, chosen: c, triggered: c.pods, explanation,
    increase: { group: c.group, from: group.targetSize, to, max: group.max, delta: c.nodeCount },
  };
}
