/** autoscaler/vpa: the pure Vertical Pod Autoscaler recommender (Kubernetes VPA's histograms and estimators). */
export { vpaRecommend } from './recommend.js';
export { ExponentialBuckets, Histogram, DecayingHistogram, GO_ZERO_TIME_MS } from './histogram.js';
export { AggregateContainerState, ContainerState, defaultAggregationConfig, resourceAmount } from './aggregate.js';
export type { AggregationConfig } from './aggregate.js';
export { confidence, estimate, defaultEstimatorConfig } from './estimator.js';
export type { EstimatorConfig, Estimate, Amounts } from './estimator.js';
export type { VpaContainerDetail, VpaContainerHistory, VpaRecommendInput, VpaRecommendation, VpaRecommenderConfig } from './types.js';
