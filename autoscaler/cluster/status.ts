/**
 * The `kube-system/cluster-autoscaler-status` ConfigMap's `status` text, in cluster-autoscaler's
 * (pre-YAML) layout: cluster-wide Health / ScaleUp / ScaleDown, then the same per node group. Pure.
 */
import type { Node } from '../../core/api/index.js';
import { groupsOfNodes, isReady } from './template.js';
import type { GroupBackoff, ScaleDownPlan, ScaleGroup } from './types.js';

export const STATUS_CONFIGMAP = 'cluster-autoscaler-status';
export const STATUS_NAMESPACE = 'kube-system';
export const LAST_UPDATED_ANNOTATION = 'cluster-autoscaler.kubernetes.io/last-updated';
/** skiff's JSON decision log, next to `status`. */
export const DECISIONS_KEY = 'decisions.json';

/** Condition key → value and when it last changed; carried between calls by the caller. */
export type Transitions = Record<string, { value: string; since: number }>;

export interface StatusInput {
  now: number;
  nodes: readonly Node[];
  groups: readonly ScaleGroup[];
  backoff: Readonly<Record<string, GroupBackoff>>;
  scaleDown?: ScaleDownPlan;
  transitions?: Transitions;
}

/** Go's `time.Time.String()` shape, to the millisecond: `2026-01-01 00:00:00.000 +0000 UTC`. */
export function goTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC`;
}

interface Counts { ready: number; unready: number; registered: number }

function count(nodes: readonly Node[]): Counts {
  const ready = nodes.filter(isReady).length;
  return { ready, unready: nodes.length - ready, registered: nodes.length };
}

function health(c: Counts): string {
  return c.unready > 3 && c.unready / Math.max(1, c.registered) > 0.45 ? 'Unhealthy' : 'Healthy';
}

export function statusText(input: StatusInput): { text: string; transitions: Transitions } {
  const transitions: Transitions = {};
  const line = (key: string, label: string, value: string, detail: string): string => {
    const prev = input.transitions?.[key];
    const since = prev && prev.value === value ? prev.since : input.now;
    transitions[key] = { value, since };
    return [`  ${`${label}:`.padEnd(13)}${value} (${detail})`, `               LastProbeTime:      ${goTime(input.now)}`, `               LastTransitionTime: ${goTime(since)}`].join('\n');
  };
  const groupOf = groupsOfNodes(input.nodes, input.groups);
  const all = count(input.nodes);
  const candidates = (group?: string): number => (input.scaleDown?.nodes ?? []).filter((n) => n.unneeded && (group === undefined || n.group === group)).length;
  const upcoming = (g: ScaleGroup, registered: number): number => Math.max(0, g.targetSize - registered);
  const totalUpcoming = input.groups.reduce((s, g) => s + upcoming(g, input.nodes.filter((n) => groupOf.get(n.metadata.name ?? '') === g.name).length), 0);
  const out = [`Cluster-autoscaler status at ${goTime(input.now)}:`, 'Cluster-wide:'];
  out.push(line('health', 'Health', health(all), `ready=${all.ready} unready=${all.unready} notStarted=0 longNotStarted=0 registered=${all.registered} longUnregistered=0`));
  out.push(line('scaleUp', 'ScaleUp', totalUpcoming > 0 ? 'InProgress' : 'NoActivity', `ready=${all.ready} registered=${all.registered}`));
  const cc = candidates();
  out.push(line('scaleDown', 'ScaleDown', cc > 0 ? 'CandidatesPresent' : 'NoCandidates', `candidates=${cc}`), '', 'NodeGroups:');
  for (const g of input.groups) {
    const c = count(input.nodes.filter((n) => groupOf.get(n.metadata.name ?? '') === g.name));
    const b = input.backoff[g.name];
    const up = b && b.until > input.now ? 'Backoff' : upcoming(g, c.registered) > 0 ? 'InProgress' : 'NoActivity';
    const gc = candidates(g.name);
    out.push(`  Name:        ${g.name}`);
    out.push(line(`${g.name}/health`, 'Health', health(c), `ready=${c.ready} unready=${c.unready} notStarted=0 longNotStarted=0 registered=${c.registered} longUnregistered=0 cloudProviderTarget=${g.targetSize} (minSize=${g.min}, maxSize=${g.max})`));
    out.push(line(`${g.name}/scaleUp`, 'ScaleUp', up, `ready=${c.ready} cloudProviderTarget=${g.targetSize}`));
    out.push(line(`${g.name}/scaleDown`, 'ScaleDown', gc > 0 ? 'CandidatesPresent' : 'NoCandidates', `candidates=${gc}`), '');
  }
  return { text: out.join('\n'), transitions };
}
