/**
 * autoscaler: pure decision math for the Horizontal and Vertical Pod Autoscalers.
 *
 * - {@link hpaDecide} reproduces Kubernetes' HPA controller (replica calculator, tolerance, unready and
 *   missing pods, multiple metrics, legacy and `behavior` normalization) and explains its decision.
 * - {@link vpaRecommend} reproduces Kubernetes VPA's recommender (decaying histograms, per-interval memory
 *   peaks, OOM bumps, percentiles with safety margin and confidence bounds, resource policies).
 * - The controllers that fetch metrics and apply results live elsewhere and call these functions.
 */
export {
  hpaDecide, recordScaleEvent, mergeHpaConditions, hpaPodFromPod, describeProposal,
} from './hpa/index.js';
export type {
  HpaDecideInput, HpaDecision, HpaMetricSamples, HpaPod, MetricProposal, PodResourceSample,
  ScaleEventHistory, TimestampedRecommendation, TimestampedScaleEvent,
} from './hpa/index.js';
export {
  vpaRecommend, ExponentialBuckets, Histogram, DecayingHistogram, AggregateContainerState, ContainerState,
  confidence, estimate, defaultAggregationConfig, defaultEstimatorConfig,
} from './vpa/index.js';
export type {
  AggregationConfig, EstimatorConfig, VpaContainerDetail, VpaContainerHistory, VpaRecommendInput, VpaRecommendation,
  VpaRecommenderConfig,
} from './vpa/index.js';
export * from './metrics/index.js';
export { HpaController, startHpaController, hpaTarget } from './hpa/controller.js';
export { gatherSamples } from './hpa/gather.js';
export type { GatherInput } from './hpa/gather.js';
export type { HpaControllerOptions, StartedHpaController } from './hpa/controller.js';
export { LAST_DECISION_ANNOTATION, lastDecisionAnnotation } from './hpa/controller-status.js';
export type { LastDecision } from './hpa/controller-status.js';
export { VpaRecommender, recommenderStatus, vpaTarget } from './vpa/controller.js';
export type { VpaOptions, VpaRecommenderOptions } from './vpa/controller.js';
export { VpaUpdater } from './vpa/updater.js';
export type { VpaUpdaterOptions } from './vpa/updater.js';
export { planEvictions, podDeviation, evictsPods } from './vpa/updater-plan.js';
export type { EvictionPlan } from './vpa/updater-plan.js';
export { vpaAdmit } from './vpa/admit.js';
export type { VpaAdmitOptions } from './vpa/admit.js';
export { startVpa } from './vpa/start.js';
export type { StartedVpa } from './vpa/start.js';
export { UsageHistory, defaultHistoryLimits } from './vpa/history.js';
export type { HistoryLimits } from './vpa/history.js';
// The cluster autoscaler (autoscaler/cluster): pure planScaleUp / planScaleDown / planProvisioning, the loop, their types.
export * from './cluster/index.js';
