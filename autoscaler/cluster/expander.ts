/**
 * Expanders: pick one scale-up option, as cluster-autoscaler's `--expander` strategies do. Each returns
 * the choice and a short explanation ("least-waste 0.12"). Pure; randomness is injected.
 */
import { parse } from 'yaml';
import type { ExpanderName, ScaleGroup, ScaleUpOption } from './types.js';

export interface ExpanderInput {
  options: readonly ScaleUpOption[];
  groups: ReadonlyMap<string, ScaleGroup>;
  rand?: () => number;
  priorities?: Readonly<Record<number, readonly string[]>>;
}

export interface ExpanderChoice { option: ScaleUpOption; why: string }

const byGroup = (a: ScaleUpOption, b: ScaleUpOption): number => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0);

/** Among equally good options: a random one when `rand` is given (as cluster-autoscaler does), else the first by name. */
function pick(ties: ScaleUpOption[], rand?: () => number): ScaleUpOption | undefined {
  const sorted = [...ties].sort(byGroup);
  if (!rand || sorted.length < 2) return sorted[0];
  return sorted[Math.min(sorted.length - 1, Math.floor(rand() * sorted.length))];
}

function best(options: readonly ScaleUpOption[], score: (o: ScaleUpOption) => number, rand?: () => number): ScaleUpOption | undefined {
  let top = -Infinity;
  let ties: ScaleUpOption[] = [];
  for (const o of options) {
    const s = score(o);
    if (s > top + 1e-12) {
      top = s;
      ties = [o];
    } else if (Math.abs(s - top) <= 1e-12) ties.push(o);
  }
  return pick(ties, rand);
}

function leastWaste(i: ExpanderInput): ExpanderChoice | undefined {
  const o = best(i.options, (x) => -x.waste, i.rand);
  return o && { option: o, why: `least-waste ${o.waste.toFixed(2)}` };
}

function mostPods(i: ExpanderInput): ExpanderChoice | undefined {
  const o = best(i.options, (x) => x.pods.length, i.rand);
  return o && { option: o, why: `most-pods ${o.pods.length}` };
}

function random(i: ExpanderInput): ExpanderChoice | undefined {
  const sorted = [...i.options].sort(byGroup);
  const r = i.rand ? i.rand() : 0;
  const o = sorted[Math.min(sorted.length - 1, Math.floor(r * sorted.length))];
  return o && { option: o, why: 'random' };
}

/** The group's priority: the highest configured priority whose regex matches the whole name, else spec.priority. */
export function groupPriority(group: ScaleGroup, priorities?: Readonly<Record<number, readonly string[]>>): number | undefined {
  let found: number | undefined;
  for (const [p, regexes] of Object.entries(priorities ?? {})) {
    const n = Number(p);
    if (regexes.some((r) => safeRegex(r)?.test(group.name)) && (found === undefined || n > found)) found = n;
  }
  return found ?? group.priority;
}

function safeRegex(r: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${r})$`);
  } catch {
    return undefined;
  }
}

function priority(i: ExpanderInput): ExpanderChoice | undefined {
  const withP = i.options.flatMap((o) => {
    const g = i.groups.get(o.group);
    const p = g ? groupPriority(g, i.priorities) : undefined;
    return p === undefined ? [] : [{ o, p }];
  });
  if (withP.length === 0) {
    const o = pick([...i.options], i.rand);
    return o && { option: o, why: 'priority: no group has a priority, first' };
  }
  const top = Math.max(...withP.map((x) => x.p));
  const o = pick(withP.filter((x) => x.p === top).map((x) => x.o), i.rand);
  return o && { option: o, why: `priority ${top}` };
}

/** Cheapest per pod helped; options without a price are left out; none priced → least-waste. */
function price(i: ExpanderInput): ExpanderChoice | undefined {
  const priced = i.options.filter((o) => o.pricePerHour !== undefined && o.pods.length > 0);
  if (priced.length === 0) {
    const c = leastWaste(i);
    return c && { option: c.option, why: `price: no group has a price, ${c.why}` };
  }
  const perPod = (o: ScaleUpOption): number => (o.pricePerHour ?? 0) / o.pods.length;
  const o = best(priced, (x) => -perPod(x), i.rand);
  return o && { option: o, why: `price ${(o.pricePerHour ?? 0).toFixed(3)}/h, ${perPod(o).toFixed(4)}/pod-hour` };
}

const expanders: Record<ExpanderName, (i: ExpanderInput) => ExpanderChoice | undefined> = {
  'least-waste': leastWaste, 'most-pods': mostPods, random, priority, price,
};

export function expand(name: ExpanderName, input: ExpanderInput): ExpanderChoice | undefined {
  return expanders[name](input);
}

export const EXPANDERS: readonly ExpanderName[] = ['least-waste', 'most-pods', 'random', 'priority', 'price'];

/**
 * Parses the `priorities` key of the `cluster-autoscaler-priority-expander` ConfigMap
 * (YAML: priority → list of regexes). Throws a plain Error on a malformed document.
 */
export function parsePriorities(text: string): Record<number, string[]> {
  const doc: unknown = parse(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('priorities must be a map of priority to regex list');
  const out: Record<number, string[]> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const n = Number(k);
    if (!Number.isInteger(n)) throw new Error(`priority ${k} is not an integer`);
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw new Error(`priority ${k}: expected a list of regexes`);
    out[n] = v;
  }
  return out;
}
