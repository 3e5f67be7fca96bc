/** autoscaler/hpa: the pure Horizontal Pod Autoscaler decision (Kubernetes' replica calculator and normalization). */
export { hpaDecide } from './decide.js';
export { recordScaleEvent, mergeHpaConditions } from './events.js';
export { hpaPodFromPod } from './pods.js';
export { describeProposal } from './explain.js';
export type {
  HpaDecideInput, HpaDecision, HpaMetricSamples, HpaPod, MetricProposal, PodResourceSample,
  ScaleEventHistory, TimestampedRecommendation, TimestampedScaleEvent,
} from './types.js';
