/**
 * The pure HPA decision: Kubernetes' horizontal.go reconcile logic (minus the I/O) over the replica
 * calculator. Imports nothing that does I/O; time comes in as `input.now`.
 */
import { quantityToNumber } from '../../core/api/index.js';
import type { Condition, MetricSpec, MetricStatus } from '../../core/api/index.js';
import { normalizeLegacy, resolveBehavior } from './behavior.js';
import type { Normalized } from './behavior.js';
import { describeDecision } from './explain.js';
import { computeMetric } from './metrics.js';
import type { MetricContext, MetricOutcome } from './metrics.js';
import type { Tolerances } from './replicas.js';
import { normalizeWithBehavior } from './stabilize.js';
import type { HpaDecideInput, HpaDecision, MetricProposal, TimestampedRecommendation } from './types.js';

const DEFAULT_METRICS: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];

/** Conditions in the order Kubernetes first sets them; a later set of the same type replaces it in place. */
class ConditionList {
  readonly items: Condition[] = [];
  set(type: string, status: Condition['status'], reason: string, message: string): void {
    const c: Condition = { type, status, reason, message };
    const i = this.items.findIndex((x) => x.type === type);
    if (i >= 0) this.items[i] = c;
    else this.items.push(c);
  }
}

function tolerancesFor(input: HpaDecideInput): Tolerances {
  const base = input.tolerance ?? 0.1;
  const behavior = input.hpa.spec.behavior;
  const parse = (q: string | undefined): number => (q === undefined ? base : quantityToNumber(q));
  return { scaleUp: parse(behavior?.scaleUp?.tolerance), scaleDown: parse(behavior?.scaleDown?.tolerance) };
}

interface MetricsResult { replicas: number; metric: string; statuses: MetricStatus[]; proposals: MetricProposal[]; error?: string; invalid?: Condition }

/** computeReplicasForMetrics: the largest proposal; invalid metrics block scale-down. */
function computeMetrics(input: HpaDecideInput, ctx: MetricContext, conditions: ConditionList): MetricsResult {
  const specs = input.hpa.spec.metrics?.length ? input.hpa.spec.metrics : DEFAULT_METRICS;
  const outcomes: MetricOutcome[] = specs.map((spec, i) => computeMetric(spec, input.metrics[i], ctx));
  let replicas = 0;
  let metric = '';
  let firstInvalid: MetricOutcome | undefined;
  let invalidCount = 0;
  for (const o of outcomes) {
    if (o.error !== undefined) {
      if (!firstInvalid) firstInvalid = o;
      invalidCount++;
      continue;
    }
    const proposal = o.proposal.replicas ?? 0;
    if (replicas === 0 || proposal > replicas) [replicas, metric] = [proposal, o.proposal.metric];
  }
  const statuses = outcomes.flatMap((o) => (o.status ? [o.status] : []));
  const proposals = outcomes.map((o) => o.proposal);
  const error = firstInvalid ? `invalid metrics (${invalidCount} invalid out of ${specs.length}), first error is: ${firstInvalid.error ?? ''}` : undefined;
  if (firstInvalid?.condition && (invalidCount >= specs.length || replicas < ctx.specReplicas)) {
    const c = firstInvalid.condition;
    conditions.set(c.type, c.status, c.reason ?? '', c.message ?? '');
    return { replicas: -1, metric: '', statuses, proposals, invalid: c, ...(error ? { error } : {}) };
  }
  conditions.set('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
  return { replicas, metric, statuses, proposals, ...(error ? { error } : {}) };
}

function normalize(input: HpaDecideInput, desired: number, min: number, history: TimestampedRecommendation[]): Normalized {
  const { hpa, currentReplicas: current, now } = input;
  const window = input.downscaleStabilizationSeconds ?? 300;
  const max = hpa.spec.maxReplicas;
  if (!hpa.spec.behavior) return normalizeLegacy({ current, desired, min, max, now, history, windowSeconds: window });
  const { up, down } = resolveBehavior(hpa.spec.behavior, window);
  const events = input.scaleEvents ?? { up: [], down: [] };
  return normalizeWithBehavior({ current, desired, min, max, now, up, down, history, events });
}

/**
 * Decides the replica count for one HPA exactly as Kubernetes' HPA controller would, given the target's
 * current scale, its pods, the fetched metric samples and the stored history. Pure: never mutates `input`.
 */
export function hpaDecide(input: HpaDecideInput): HpaDecision {
  const { hpa, currentReplicas: current, now } = input;
  const min = hpa.spec.minReplicas ?? 1;
  const max = hpa.spec.maxReplicas;
  const conditions = new ConditionList();
  conditions.set('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const history = input.recommendations?.length ? input.recommendations.map((r) => ({ ...r })) : [{ replicas: current, timestamp: now }];
  const base = { proposals: [] as MetricProposal[], currentMetrics: hpa.status?.currentMetrics ?? [], recommendations: history };

  if (current === 0 && min !== 0) {
    conditions.set('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    return { ...base, desiredReplicas: 0, rescale: false, rescaleReason: '', conditions: conditions.items, explanation: describeDecision({ proposals: [], prefix: 'scaling is disabled since the replica count of the target is zero', desired: 0, current }) };
  }
  if (current > max || current < min) {
    const desired = current > max ? max : min;
    const rescaleReason = current > max ? 'Current number of replicas above Spec.MaxReplicas' : 'Current number of replicas below Spec.MinReplicas';
    return { ...base, desiredReplicas: desired, rescale: true, rescaleReason, conditions: conditions.items, explanation: describeDecision({ proposals: [], prefix: rescaleReason, desired, current }) };
  }

  const ctx: MetricContext = {
    specReplicas: current, statusReplicas: input.statusReplicas ?? current, pods: input.pods, tolerances: tolerancesFor(input), namespace: hpa.metadata.namespace ?? 'default',
    timing: { now, cpuInitializationPeriodMs: (input.cpuInitializationPeriodSeconds ?? 300) * 1000, initialReadinessDelayMs: (input.initialReadinessDelaySeconds ?? 30) * 1000 },
  };
  const m = computeMetrics(input, ctx, conditions);
  if (m.replicas === -1) {
    return { ...base, proposals: m.proposals, desiredReplicas: current, rescale: false, rescaleReason: '', conditions: conditions.items, ...(m.error ? { error: m.error } : {}), explanation: describeDecision({ proposals: m.proposals, prefix: m.invalid?.message ?? '', desired: current, current }) };
  }
  const prenormalized = Math.max(0, m.replicas);
  let rescaleReason = '';
  if (prenormalized > current) rescaleReason = `${m.replicas > 0 ? m.metric : ''} above target`;
  if (prenormalized < current) rescaleReason = 'All metrics below target';
  const n = normalize(input, prenormalized, min, history);
  conditions.set('AbleToScale', 'True', n.ableToScale.reason, n.ableToScale.message);
  conditions.set('ScalingLimited', n.limited.limited ? 'True' : 'False', n.limited.reason, n.limited.message);
  const rescale = n.replicas !== current;
  const desiredReplicas = rescale ? n.replicas : current;
  const explanation = describeDecision({
    proposals: m.proposals, desired: desiredReplicas, current,
    ...(n.stabilized !== prenormalized ? { stabilized: { from: prenormalized, to: n.stabilized, reason: n.ableToScale.reason } } : {}),
    ...(n.limitedBy && n.limited.limited ? { limited: { to: n.replicas, by: n.limitedBy } } : {}),
  });
  return {
    desiredReplicas, rescale, rescaleReason, proposals: m.proposals, ...(m.metric ? { chosenMetric: m.metric } : {}),
    conditions: conditions.items, currentMetrics: m.statuses, recommendations: n.recommendations, ...(m.error ? { error: m.error } : {}), explanation,
  };
}
