/**
 * autoscaler: pure decision math for the Horizontal and Vertical Pod Autoscalers.
 *
 * - {@link hpaDecide} reproduces Kubernetes' HPA controller (replica calculator, tolerance, unready and
 *   missing pods, multiple metrics, legacy and `behavior` normalization) and explains its decision.
 * - The controllers that fetch metrics and apply results live elsewhere and call these functions.
 */
export {
  hpaDecide, recordScaleEvent, mergeHpaConditions, hpaPodFromPod, describeProposal,
} from './hpa/index.js';
export type {
  HpaDecideInput, HpaDecision, HpaMetricSamples, HpaPod, MetricProposal, PodResourceSample,
  ScaleEventHistory, TimestampedRecommendation, TimestampedScaleEvent,
} from './hpa/index.js';
