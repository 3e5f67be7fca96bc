/**
 * Replica normalization of Kubernetes' HPA controller (horizontal.go): the legacy path without `behavior`
 * (max(2×current, 4) scale-up cap, down-stabilization over recent recommendations) and the `behavior`
 * path (stabilization windows, Pods/Percent policies over the scale-event history, selectPolicy).
 */
import type { HPAScalingPolicy, HPAScalingRules, HorizontalPodAutoscaler } from '../../core/api/index.js';
import type { ScaleEventHistory, TimestampedRecommendation, TimestampedScaleEvent } from './types.js';

export type Behavior = NonNullable<HorizontalPodAutoscaler['spec']['behavior']>;
export interface ResolvedRules { stabilizationWindowSeconds: number; selectPolicy: 'Max' | 'Min' | 'Disabled'; policies: HPAScalingPolicy[] }

const defaultScaleUp: ResolvedRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
const defaultScaleDownPolicies: HPAScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

/** API defaulting (GenerateHPAScaleUpRules/GenerateHPAScaleDownRules) plus the controller's default down window. */
export function resolveBehavior(behavior: Behavior, downscaleStabilizationSeconds: number): { up: ResolvedRules; down: ResolvedRules } {
  const merge = (rules: HPAScalingRules | undefined, defaults: ResolvedRules): ResolvedRules => ({
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: rules?.policies ?? defaults.policies,
  });
  return {
    up: merge(behavior.scaleUp, defaultScaleUp),
    down: merge(behavior.scaleDown, { stabilizationWindowSeconds: downscaleStabilizationSeconds, selectPolicy: 'Max', policies: defaultScaleDownPolicies }),
  };
}

export interface Normalized {
  replicas: number;
  ableToScale: { reason: string; message: string };
  limited: { limited: boolean; reason: string; message: string };
  recommendations: TimestampedRecommendation[];
  /** The recommendation after stabilization, before rate limits and min/max. */
  stabilized: number;
  /** Which policy or rule capped the recommendation, for the explanation. */
  limitedBy?: string;
}

export const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
export const UP_STABILIZED = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
export const DOWN_STABILIZED = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
export const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
export const SCALE_UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
export const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
export const SCALE_DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
export const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };

/** Replaces the last sample older than every window with the new one, or appends it. */
function record(history: readonly TimestampedRecommendation[], oldIndex: number, replicas: number, now: number): TimestampedRecommendation[] {
  const next = history.map((r) => ({ ...r }));
  if (oldIndex >= 0) next[oldIndex] = { replicas, timestamp: now };
  else next.push({ replicas, timestamp: now });
  return next;
}

/** Legacy path (behavior unset): stabilizeRecommendation + convertDesiredReplicasWithRules. */
export function normalizeLegacy(args: {
  current: number; desired: number; min: number; max: number; now: number;
  history: readonly TimestampedRecommendation[]; windowSeconds: number;
}): Normalized {
  const cutoff = args.now - args.windowSeconds * 1000;
  let stabilized = args.desired;
  let oldIndex = -1;
  args.history.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldIndex = i;
    else if (rec.replicas > stabilized) stabilized = rec.replicas;
  });
  const recommendations = record(args.history, oldIndex, args.desired, args.now);
  const ableToScale = stabilized !== args.desired ? DOWN_STABILIZED : READY;
  const scaleUpLimit = Math.trunc(Math.max(2 * args.current, 4));
  const [maxAllowed, maxReason] = args.max > scaleUpLimit ? [scaleUpLimit, SCALE_UP_LIMIT] : [args.max, TOO_MANY];
  let replicas = stabilized;
  let why = WITHIN;
  if (stabilized < args.min) [replicas, why] = [args.min, TOO_FEW];
  else if (stabilized > maxAllowed) [replicas, why] = [maxAllowed, maxReason];
  const limitedBy = why === SCALE_UP_LIMIT ? `scale-up limit max(2×${args.current}, 4)=${scaleUpLimit}`
    : why === TOO_MANY ? `maxReplicas ${args.max}` : why === TOO_FEW ? `minReplicas ${args.min}` : undefined;
  return { replicas, ableToScale, limited: { limited: replicas !== stabilized, ...why }, recommendations, stabilized, ...(limitedBy ? { limitedBy } : {}) };
}

/** Sum of replica changes strictly newer than `now - periodSeconds` (getReplicasChangePerPeriod). */
function changeInPeriod(periodSeconds: number, events: readonly TimestampedScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.timestamp > cutoff).reduce((sum, e) => sum + e.replicaChange, 0);
}

function policyLabel(p: HPAScalingPolicy): string {
  return `${p.type}=${p.value}/${p.periodSeconds}s`;
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow now. */
export function scaleUpLimit(current: number, events: ScaleEventHistory, rules: ResolvedRules, now: number): { limit: number; policy?: string } {
  if (rules.selectPolicy === 'Disabled') return { limit: current, policy: 'selectPolicy Disabled' };
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  let policy: string | undefined;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(p.periodSeconds, events.up, now) + changeInPeriod(p.periodSeconds, events.down, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    if (pickMin ? proposed <= result : proposed >= result) {
      if (proposed !== result) policy = policyLabel(p);
      result = proposed;
    }
  }
  return policy ? { limit: result, policy } : { limit: result };
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow now. */
export function scaleDownLimit(current: number, events: ScaleEventHistory, rules: ResolvedRules, now: number): { limit: number; policy?: string } {
  if (rules.selectPolicy === 'Disabled') return { limit: current, policy: 'selectPolicy Disabled' };
  const pickMin = rules.selectPolicy === 'Min'; // the smallest change: the largest replica count
  let result = pickMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  let policy: string | undefined;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(p.periodSeconds, events.up, now) + changeInPeriod(p.periodSeconds, events.down, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    if (pickMin ? proposed >= result : proposed <= result) {
      if (proposed !== result) policy = policyLabel(p);
      result = proposed;
    }
  }
  return policy ? { limit: result, policy } : { limit: result };
}
