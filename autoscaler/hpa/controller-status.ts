/** Pure helpers of the HPA controller: the status it writes, the decision annotation and event reasons. */
import type { Condition, HorizontalPodAutoscaler, MetricSpec } from '../../core/api/index.js';
import { rfc3339 } from '../../core/util/index.js';
import { mergeHpaConditions } from './events.js';
import type { HpaDecision } from './types.js';

/** The annotation `skiff explain hpa` reads: JSON `{ time, replicas, currentReplicas, explanation }`. */
export const LAST_DECISION_ANNOTATION = 'autoscaling.skiff.dev/last-decision';

export interface LastDecision {
  /** RFC 3339. */
  time: string;
  replicas: number;
  currentReplicas: number;
  explanation: string;
}

export function lastDecisionAnnotation(now: number, replicas: number, currentReplicas: number, explanation: string): string {
  const d: LastDecision = { time: new Date(now).toISOString(), replicas, currentReplicas, explanation };
  return JSON.stringify(d);
}

/** The Warning event reason Kubernetes uses when a metric of `type` cannot be fetched. */
export function failedMetricReason(type: MetricSpec['type'] | string): string {
  switch (type) {
    case 'ContainerResource': return 'FailedGetContainerResourceMetric';
    case 'Pods': return 'FailedGetPodsMetric';
    case 'Object': return 'FailedGetObjectMetric';
    case 'External': return 'FailedGetExternalMetric';
    default: return 'FailedGetResourceMetric';
  }
}

export interface StatusInput {
  hpa: HorizontalPodAutoscaler;
  now: number;
  currentReplicas: number;
  desiredReplicas: number;
  currentMetrics?: HpaDecision['currentMetrics'];
  conditions: readonly Condition[];
  rescaled: boolean;
}

/** The next `status`: conditions merged (transition times kept unless status changes), lastScaleTime set on rescale. */
export function nextStatus(i: StatusInput): NonNullable<HorizontalPodAutoscaler['status']> {
  const old = i.hpa.status;
  const lastScaleTime = i.rescaled ? rfc3339(i.now) : old?.lastScaleTime;
  return {
    ...(i.hpa.metadata.generation !== undefined ? { observedGeneration: i.hpa.metadata.generation } : {}),
    ...(lastScaleTime ? { lastScaleTime } : {}),
    currentReplicas: i.currentReplicas,
    desiredReplicas: i.desiredReplicas,
    ...(i.currentMetrics ?? old?.currentMetrics ? { currentMetrics: i.currentMetrics ?? old?.currentMetrics } : {}),
    conditions: mergeHpaConditions(old?.conditions ?? [], i.conditions, i.now),
  };
}

/** The `apiVersion` to resolve a scale target with when the reference omits it. */
export function defaultTargetApiVersion(kind: string): string {
  return kind === 'ReplicationController' ? 'v1' : 'apps/v1';
}
