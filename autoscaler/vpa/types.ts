/** Inputs and outputs of `vpaRecommend`. Times are milliseconds since the epoch. */
import type { RecommendedContainerResources, VerticalPodAutoscaler } from '../../core/api/index.js';
import type { AggregationConfig } from './aggregate.js';
import type { EstimatorConfig } from './estimator.js';

/** The usage history of one container instance (one container of one pod). */
export interface VpaContainerHistory {
  pod: string;
  container: string;
  /** The container's current requests; the CPU request weights its CPU samples, the memory request feeds OOM bumps. */
  requests?: Record<string, string>;
  /** Average CPU usage over each sample interval, in millicores, keyed by the interval start. */
  cpuSamples?: { timestamp: number; millicores: number }[];
  /** Memory working-set samples in bytes. */
  memorySamples?: { timestamp: number; bytes: number }[];
  /** OOM kills; `memoryRequestBytes` defaults to the memory request. */
  ooms?: { timestamp: number; memoryRequestBytes?: number }[];
}

export type VpaRecommenderConfig = AggregationConfig & EstimatorConfig;

export interface VpaRecommendInput {
  vpa: VerticalPodAutoscaler;
  containers: VpaContainerHistory[];
  /** Containers per pod, to split the pod minimums; defaults to the number of containers recommended for. */
  containersPerPod?: number;
  config?: Partial<VpaRecommenderConfig>;
}

/** Per-container numbers behind the recommendation, for explanations. */
export interface VpaContainerDetail {
  containerName: string;
  confidenceDays: number;
  totalSamples: number;
  /** Uncapped values: CPU in millicores, memory in bytes. */
  target: { cpu: number; memory: number };
  lowerBound: { cpu: number; memory: number };
  upperBound: { cpu: number; memory: number };
}

export interface VpaRecommendation {
  /** Sorted by container name, as `status.recommendation.containerRecommendations`. */
  containerRecommendations: RecommendedContainerResources[];
  details: VpaContainerDetail[];
  explanation: string;
}
