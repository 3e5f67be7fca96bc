/**
 * planScaleDown: which nodes are unneeded and which to remove now — cluster-autoscaler's scale-down:
 * utilization from requests (DaemonSet and mirror pods left out) under the threshold, every pod
 * movable (drain rules) and placeable on the other nodes with the scheduler's filters, unneeded for
 * long enough, never below a group's min, not during the delays; empty nodes in bulk, one busy node
 * at a time. Pure: "unneeded since" times go in and come out.
 */
import type { Node, Pod } from '../../core/api/index.js';
import { allocatable, assume, buildNodeInfos, podRequests } from '../../core/scheduler/index.js';
import type { NodeInfo } from '../../core/scheduler/index.js';
import { podFacts } from './binpack.js';
import { FitChecker } from './fit.js';
import { percent } from './format.js';
import { budgetBlocks, remainingBudgets, spendBudgets } from './pdb.js';
import type { RemainingBudget } from './pdb.js';
import { blockingReason, hasTaint, SCALE_DOWN_DISABLED_ANNOTATION, staysWithNode, TO_BE_DELETED_TAINT } from './pods.js';
import { groupsOfNodes } from './template.js';
import { resolveOptions } from './types.js';
import type { ClusterAutoscalerOptions, NodeScaleDownStatus, ScaleDownInput, ScaleDownPlan } from './types.js';

export const REASON_DISABLED = 'scale-down disabled by annotation';
export const REASON_NOT_AUTOSCALED = 'node is not in an autoscaled node group';
export const REASON_BEING_DELETED = 'node is being deleted';
export const REASON_NO_PLACE = 'no place to move pods';
export const REASON_MIN_SIZE = 'node group min size reached';

interface Candidate { info: NodeInfo; group: string; utilization: number; movable: Pod[] }

/** max(cpu requested / allocatable, memory requested / allocatable), DaemonSet and mirror pods left out. */
export function nodeUtilization(info: NodeInfo): number {
  const alloc = allocatable(info.node);
  let cpu = info.requested.cpu ?? 0;
  let memory = info.requested.memory ?? 0;
  for (const p of info.pods) {
    if (!staysWithNode(p)) continue;
    const r = podRequests(p);
    cpu -= r.cpu ?? 0;
    memory -= r.memory ?? 0;
  }
  const frac = (used: number, total: number | undefined): number => (total && total > 0 ? Math.max(0, used) / total : 0);
  return Math.max(frac(cpu, alloc.cpu), frac(memory, alloc.memory));
}

const movable = (p: Pod): boolean => !staysWithNode(p) && !p.metadata.deletionTimestamp;

/** A status for every node; candidates are the under-used, removable-looking ones (not yet simulated). */
function screen(input: ScaleDownInput, infos: readonly NodeInfo[], o: ClusterAutoscalerOptions) {
  const groupOf = groupsOfNodes(input.nodes, input.groups);
  const deleting = new Set(input.deleting ?? []);
  const statuses = new Map<string, NodeScaleDownStatus>();
  const candidates: Candidate[] = [];
  for (const info of infos) {
    const group = groupOf.get(info.name);
    const utilization = nodeUtilization(info);
    const st: NodeScaleDownStatus = { node: info.name, utilization, unneeded: false, ...(group ? { group } : {}) };
    statuses.set(info.name, st);
    const reason = screenReason(info.node, group, utilization, deleting, o) ?? blocking(info, input);
    if (reason) {
      st.reason = reason;
      continue;
    }
    candidates.push({ info, group: group ?? '', utilization, movable: info.pods.filter(movable) });
  }
  candidates.sort((a, b) => a.movable.length - b.movable.length || a.utilization - b.utilization || (a.info.name < b.info.name ? -1 : 1));
  return { statuses, candidates };
}

function screenReason(node: Node, group: string | undefined, utilization: number, deleting: ReadonlySet<string>, o: ClusterAutoscalerOptions): string | undefined {
  const name = node.metadata.name ?? '';
  if (deleting.has(name) || hasTaint(node, TO_BE_DELETED_TAINT)) return REASON_BEING_DELETED;
  if (node.metadata.annotations?.[SCALE_DOWN_DISABLED_ANNOTATION] === 'true') return REASON_DISABLED;
  if (!group) return REASON_NOT_AUTOSCALED;
  if (utilization >= o.scaleDownUtilizationThreshold) {
    return `node utilization ${percent(utilization)} is not below the threshold ${percent(o.scaleDownUtilizationThreshold)}`;
  }
  return undefined;
}

function blocking(info: NodeInfo, input: ScaleDownInput): string | undefined {
  for (const p of info.pods) {
    if (staysWithNode(p) || p.metadata.deletionTimestamp) continue;
    const r = blockingReason(p, input.pdbs);
    if (r) return r;
  }
  return undefined;
}

/**
 * Places each candidate's pods on the other nodes (first fit, starting where the last pod landed),
 * skipping nodes already found unneeded; on success the pods stay assumed on their new nodes.
 */
function simulate(candidates: readonly Candidate[], infos: readonly NodeInfo[], deleting: ReadonlySet<string>, budgets: RemainingBudget[]): { unneeded: Set<string>; blocked: Map<string, string> } {
  const fit = new FitChecker(podFacts());
  const removed = new Set<string>(deleting);
  const unneeded = new Set<string>();
  const blocked = new Map<string, string>();
  for (const c of candidates) {
    // Disruption budgets first (cluster-autoscaler's GetPodsToMove), spent by the nodes already found removable.
    const noBudget = budgetBlocks(c.info.pods.filter(movable), budgets);
    if (noBudget) {
      blocked.set(c.info.name, noBudget);
      continue;
    }
    const plan: [NodeInfo, Pod][] = [];
    const scratch = new Map<NodeInfo, NodeInfo>();
    let hint = 0;
    let ok = true;
    // The node's pods now, including any an earlier candidate's simulation moved here.
    for (const pod of c.info.pods.filter(movable)) {
      const at = findPlace(pod, infos, hint, (i) => i === c.info || removed.has(i.name), scratch, fit);
      if (at < 0) {
        ok = false;
        break;
      }
      hint = at;
      const dest = infos[at];
      if (dest) plan.push([dest, pod]);
    }
    if (!ok) continue;
    for (const [dest, pod] of plan) assume(dest, pod);
    spendBudgets(c.info.pods.filter(movable), budgets);
    removed.add(c.info.name);
    unneeded.add(c.info.name);
  }
  return { unneeded, blocked };
}

/** Copies an info (pods and sums) so a trial placement can be undone by dropping the copy. */
function copyInfo(i: NodeInfo): NodeInfo {
  return { ...i, pods: [...i.pods], requested: { ...i.requested }, nonZeroRequested: { ...i.nonZeroRequested }, usedPorts: [...i.usedPorts] };
}

function findPlace(pod: Pod, infos: readonly NodeInfo[], hint: number, skip: (i: NodeInfo) => boolean, scratch: Map<NodeInfo, NodeInfo>, fit: FitChecker): number {
  for (let k = 0; k < infos.length; k++) {
    const idx = (hint + k) % infos.length;
    const real = infos[idx];
    if (!real || skip(real)) continue;
    const trial = scratch.get(real) ?? real;
    if (!fit.fits(pod, trial)) continue;
    const copy = scratch.get(real) ?? copyInfo(real);
    assume(copy, pod);
    scratch.set(real, copy);
    return idx;
  }
  return -1;
}

function cooldownOf(input: ScaleDownInput, o: ClusterAutoscalerOptions): string | undefined {
  const since = (t: number | undefined): number => (t === undefined ? Infinity : input.now - t);
  if (since(input.lastScaleUpTime) < o.scaleDownDelayAfterAddMs) return 'scale-down in cooldown: delay after add';
  if (since(input.lastScaleDownDeleteTime) < o.scaleDownDelayAfterDeleteMs) return 'scale-down in cooldown: delay after delete';
  if (since(input.lastScaleDownFailTime) < o.scaleDownDelayAfterFailureMs) return 'scale-down in cooldown: delay after failure';
  return undefined;
}

/** Picks empty nodes (bulk) or else one busy node among those unneeded long enough, keeping every group ≥ min. */
function choose(input: ScaleDownInput, candidates: readonly Candidate[], statuses: Map<string, NodeScaleDownStatus>, o: ClusterAutoscalerOptions) {
  const size = new Map(input.groups.map((g) => [g.name, g.targetSize]));
  const min = new Map(input.groups.map((g) => [g.name, g.min]));
  const ripe = candidates.filter((c) => {
    const st = statuses.get(c.info.name);
    return st?.unneeded === true && st.since !== undefined && input.now - st.since >= o.scaleDownUnneededTimeMs;
  });
  const take = (c: Candidate): boolean => {
    const s = size.get(c.group) ?? 0;
    if (s - 1 < (min.get(c.group) ?? 0)) {
      const st = statuses.get(c.info.name);
      if (st) st.reason = REASON_MIN_SIZE;
      return false;
    }
    size.set(c.group, s - 1);
    return true;
  };
  const removeEmpty = ripe.filter((c) => c.movable.length === 0).filter(take).slice(0, o.maxEmptyBulkDelete);
  if (removeEmpty.length > 0) return { removeEmpty, drain: undefined };
  return { removeEmpty, drain: ripe.filter((c) => c.movable.length > 0).find(take) };
}

/** Plans scale-down. Never mutates its inputs. */
export function planScaleDown(input: ScaleDownInput): ScaleDownPlan {
  const o = resolveOptions(input.options);
  const infos = buildNodeInfos(input.nodes, input.pods);
  const { statuses, candidates } = screen(input, infos, o);
  const { unneeded, blocked } = simulate(candidates, infos, new Set(input.deleting ?? []), remainingBudgets(input.pdbs ?? []));
  const unneededSince: Record<string, number> = {};
  for (const c of candidates) {
    const st = statuses.get(c.info.name);
    if (!st) continue;
    if (!unneeded.has(c.info.name)) {
      st.reason = blocked.get(c.info.name) ?? REASON_NO_PLACE;
      continue;
    }
    st.unneeded = true;
    st.since = input.unneededSince?.[c.info.name] ?? input.now;
    unneededSince[c.info.name] = st.since;
  }
  const nodes = [...statuses.values()];
  const count = Object.keys(unneededSince).length;
  if (!o.scaleDownEnabled) return { unneededSince, nodes, removeEmpty: [], explanation: `${count} unneeded nodes; scale-down disabled` };
  const cooldown = cooldownOf(input, o);
  if (cooldown) return { unneededSince, nodes, removeEmpty: [], cooldown, explanation: `${count} unneeded nodes; ${cooldown}` };
  const picked = choose(input, candidates, statuses, o);
  const removeEmpty = picked.removeEmpty.map((c) => ({ node: c.info.name, group: c.group }));
  const d = picked.drain;
  const drain = d ? { node: d.info.name, group: d.group, pods: d.movable } : undefined;
  return { unneededSince, nodes, removeEmpty, ...(drain ? { drain } : {}), explanation: explainDown(count, removeEmpty, drain, statuses, o) };
}

function explainDown(count: number, empty: { node: string; group: string }[], drain: { node: string; group: string; pods: Pod[] } | undefined,
  statuses: ReadonlyMap<string, NodeScaleDownStatus>, o: ClusterAutoscalerOptions): string {
  const minutes = `${Math.round(o.scaleDownUnneededTimeMs / 60_000)} m`;
  if (empty.length > 0) return `${empty.length} empty node${empty.length === 1 ? '' : 's'} unneeded for ${minutes}: remove ${empty.map((e) => `${e.node} (group ${e.group})`).join(', ')}`;
  if (drain) {
    const u = statuses.get(drain.node)?.utilization ?? 0;
    return `node ${drain.node} (group ${drain.group}) at ${percent(u)} utilization, below ${percent(o.scaleDownUtilizationThreshold)} for ${minutes}, its ${drain.pods.length} pods fit elsewhere: drain and remove`;
  }
  return count === 0 ? 'no unneeded nodes' : `${count} unneeded node${count === 1 ? '' : 's'}, none unneeded for ${minutes} yet or removable`;
}
