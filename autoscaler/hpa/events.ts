/** Scale-event bookkeeping (horizontal.go storeScaleEvent) and condition merging (setConditionInList). */
import type { Condition } from '../../core/api/index.js';
import { resolveBehavior } from './behavior.js';
import type { Behavior, ResolvedRules } from './behavior.js';
import type { ScaleEventHistory, TimestampedScaleEvent } from './types.js';

function longestPeriod(rules: ResolvedRules): number {
  return rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
}

function store(events: readonly TimestampedScaleEvent[], periodSeconds: number, change: number, now: number): TimestampedScaleEvent[] {
  const cutoff = now - periodSeconds * 1000;
  let oldIndex = -1;
  events.forEach((e, i) => {
    if (e.timestamp < cutoff) oldIndex = i;
  });
  const next = events.map((e) => ({ ...e }));
  if (oldIndex >= 0) next[oldIndex] = { replicaChange: change, timestamp: now };
  else next.push({ replicaChange: change, timestamp: now });
  return next;
}

/**
 * Records a successful rescale from `prev` to `next` replicas, reusing the slot of an event older than the
 * longest policy period. Without `behavior` nothing is recorded (Kubernetes keeps no events then).
 * Never mutates `history`.
 */
export function recordScaleEvent(
  history: ScaleEventHistory, behavior: Behavior | undefined, prev: number, next: number, now: number,
  downscaleStabilizationSeconds = 300,
): ScaleEventHistory {
  if (!behavior || prev === next) return { up: [...history.up], down: [...history.down] };
  const rules = resolveBehavior(behavior, downscaleStabilizationSeconds);
  if (next > prev) return { up: store(history.up, longestPeriod(rules.up), next - prev, now), down: [...history.down] };
  return { up: [...history.up], down: store(history.down, longestPeriod(rules.down), prev - next, now) };
}

/**
 * Merges condition updates into an existing list: a condition keeps its `lastTransitionTime` unless its
 * status changes (then it becomes `now`). Never mutates its inputs.
 */
export function mergeHpaConditions(existing: readonly Condition[], updates: readonly Condition[], now: number): Condition[] {
  const out = existing.map((c) => ({ ...c }));
  for (const u of updates) {
    const i = out.findIndex((c) => c.type === u.type);
    const prev = i >= 0 ? out[i] : undefined;
    const lastTransitionTime = prev && prev.status === u.status && prev.lastTransitionTime ? prev.lastTransitionTime : new Date(now).toISOString();
    const merged: Condition = { ...u, lastTransitionTime };
    if (i >= 0) out[i] = merged;
    else out.push(merged);
  }
  return out;
}
