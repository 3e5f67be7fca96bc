/** The `behavior` path of Kubernetes' HPA normalization (normalizeDesiredReplicasWithBehaviors). */
import { DOWN_STABILIZED, READY, SCALE_DOWN_LIMIT, SCALE_UP_LIMIT, TOO_FEW, TOO_MANY, UP_STABILIZED, WITHIN, scaleDownLimit, scaleUpLimit } from './behavior.js';
import type { Normalized, ResolvedRules } from './behavior.js';
import type { ScaleEventHistory, TimestampedRecommendation } from './types.js';

export interface BehaviorArgs {
  current: number;
  desired: number;
  min: number;
  max: number;
  now: number;
  up: ResolvedRules;
  down: ResolvedRules;
  history: readonly TimestampedRecommendation[];
  events: ScaleEventHistory;
}

/** stabilizeRecommendationWithBehaviors: clamps to [min over up-window, max over down-window] around current. */
function stabilize(args: BehaviorArgs): { stabilized: number; recommendations: TimestampedRecommendation[] } {
  const upCutoff = args.now - args.up.stabilizationWindowSeconds * 1000;
  const downCutoff = args.now - args.down.stabilizationWindowSeconds * 1000;
  let upRec = args.desired;
  let downRec = args.desired;
  let oldIndex = -1;
  args.history.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) upRec = Math.min(rec.replicas, upRec);
    if (rec.timestamp > downCutoff) downRec = Math.max(rec.replicas, downRec);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
  });
  let stabilized = args.current;
  if (stabilized < upRec) stabilized = upRec;
  if (stabilized > downRec) stabilized = downRec;
  const recommendations = args.history.map((r) => ({ ...r }));
  if (oldIndex >= 0) recommendations[oldIndex] = { replicas: args.desired, timestamp: args.now };
  else recommendations.push({ replicas: args.desired, timestamp: args.now });
  return { stabilized, recommendations };
}

/** convertDesiredReplicasWithBehaviorRate: applies the scaling policies, then min/max. */
function applyRate(args: BehaviorArgs, desired: number): { replicas: number; reason: string; message: string; limitedBy?: string } {
  if (desired > args.current) {
    const { limit: rawLimit, policy } = scaleUpLimit(args.current, args.events, args.up, args.now);
    const limit = Math.max(rawLimit, args.current);
    if (args.max > limit) {
      if (desired > limit) {
        return { replicas: limit, ...SCALE_UP_LIMIT, limitedBy: `scale-up policy ${policy ?? ''}`.trim() };
      }
    } else if (desired > args.max) {
      return { replicas: args.max, ...TOO_MANY, limitedBy: `maxReplicas ${args.max}` };
    }
  } else if (desired < args.current) {
    const { limit: rawLimit, policy } = scaleDownLimit(args.current, args.events, args.down, args.now);
    const limit = Math.min(rawLimit, args.current);
    if (args.min < limit) {
      if (desired < limit) {
        return { replicas: limit, ...SCALE_DOWN_LIMIT, limitedBy: `scale-down policy ${policy ?? ''}`.trim() };
      }
    } else if (desired < args.min) {
      return { replicas: args.min, ...TOO_FEW, limitedBy: `minReplicas ${args.min}` };
    }
  }
  return { replicas: desired, ...WITHIN };
}

/** Stabilizes, then rate-limits, reporting the AbleToScale and ScalingLimited outcomes as Kubernetes does. */
export function normalizeWithBehavior(args: BehaviorArgs): Normalized {
  const { stabilized, recommendations } = stabilize(args);
  let ableToScale = READY;
  if (stabilized !== args.desired) ableToScale = args.desired >= args.current ? UP_STABILIZED : DOWN_STABILIZED;
  const rate = applyRate(args, stabilized);
  return {
    replicas: rate.replicas,
    ableToScale,
    limited: { limited: rate.replicas !== stabilized, reason: rate.reason, message: rate.message },
    recommendations,
    stabilized,
    ...(rate.limitedBy ? { limitedBy: rate.limitedBy } : {}),
  };
}
