/** Inputs and outputs of the pure HPA decision (`hpaDecide`). Times are milliseconds since the epoch. */
import type { Condition, HorizontalPodAutoscaler, MetricStatus } from '../../core/api/index.js';

/** The facts about one pod that the replica calculator needs (see `hpaPodFromPod`). */
export interface HpaPod {
  name: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** The pod's `Ready` condition; absent when the pod has none. */
  ready?: { status: 'True' | 'False' | 'Unknown'; lastTransitionTime: number };
  startTime?: number;
  deletionTimestamp?: number;
  /** Regular containers plus restartable (sidecar) init containers, with their requests as quantities. */
  containers: { name: string; requests?: Record<string, string> }[];
}

/** One pod's resource usage as reported by the resource metrics API, in milli-units (millicores, millibytes). */
export interface PodResourceSample {
  /** The pod total; used for `Resource` metrics when `containers` is absent. */
  value?: number;
  /** Per-container usage; `ContainerResource` metrics read the named container. */
  containers?: Record<string, number>;
  timestamp: number;
  windowSeconds: number;
}

/** The samples fetched for one entry of `spec.metrics`, in the same order. Values are milli-units. */
export type HpaMetricSamples =
  | { type: 'Resource' | 'ContainerResource'; pods: Record<string, PodResourceSample>; timestamp?: number }
  | { type: 'Pods'; pods: Record<string, number>; timestamp?: number }
  | { type: 'Object'; value: number; timestamp?: number }
  | { type: 'External'; values: number[]; timestamp?: number }
  /** Fetching failed; `message` is the metrics client's error. */
  | { type: 'Error'; message: string };

export interface TimestampedRecommendation { replicas: number; timestamp: number }
/** `replicaChange` is always positive: the size of one scale-up or scale-down. */
export interface TimestampedScaleEvent { replicaChange: number; timestamp: number }
export interface ScaleEventHistory { up: TimestampedScaleEvent[]; down: TimestampedScaleEvent[] }

export interface HpaDecideInput {
  hpa: HorizontalPodAutoscaler;
  /** `spec.replicas` of the target's scale subresource. */
  currentReplicas: number;
  /** `status.replicas` of the scale subresource (used by AverageValue Object/External metrics); defaults to `currentReplicas`. */
  statusReplicas?: number;
  pods: HpaPod[];
  /** One entry per `hpa.spec.metrics` entry (after defaulting: no metrics means CPU at 80%). */
  metrics: HpaMetricSamples[];
  now: number;
  /** Controller-wide tolerance (`--horizontal-pod-autoscaler-tolerance`), default 0.1. */
  tolerance?: number;
  /** Default 300. */
  cpuInitializationPeriodSeconds?: number;
  /** Default 30. */
  initialReadinessDelaySeconds?: number;
  /** Unstabilized recommendations stored by previous decisions (empty on the first run). */
  recommendations?: TimestampedRecommendation[];
  scaleEvents?: ScaleEventHistory;
  /** `--horizontal-pod-autoscaler-downscale-stabilization`, default 300. */
  downscaleStabilizationSeconds?: number;
}

/** What one metric proposed. */
export interface MetricProposal {
  /** Kubernetes' description of the metric, e.g. "cpu resource utilization (percentage of request)". */
  metric: string;
  type: string;
  replicas?: number;
  /** Current value in milli-units (average per pod for averaged targets). */
  currentValue?: number;
  /** Current utilization in percent of request, for Utilization targets. */
  utilization?: number;
  /** Target in milli-units, or percent for Utilization. */
  target?: number;
  readyPods?: number;
  timestamp?: number;
  /** Set when the metric could not be computed. */
  error?: string;
  /** Short human reason, e.g. "within tolerance". */
  reason?: string;
}

export interface HpaDecision {
  desiredReplicas: number;
  /** True when `desiredReplicas` differs from `currentReplicas` and the controller should update the scale. */
  rescale: boolean;
  /** Kubernetes' event reason text, e.g. "cpu resource utilization (percentage of request) above target". */
  rescaleReason: string;
  proposals: MetricProposal[];
  /** The metric whose proposal won (largest), if any. */
  chosenMetric?: string;
  /** Conditions set by this decision (no `lastTransitionTime`; merge with `mergeHpaConditions`). */
  conditions: Condition[];
  currentMetrics: MetricStatus[];
  /** The recommendation history to store for the next decision. */
  recommendations: TimestampedRecommendation[];
  /** The error Kubernetes would return from the sync (invalid metrics), if any. */
  error?: string;
  explanation: string;
}
