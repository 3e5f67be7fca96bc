/** Fixture builders for the HPA decision tests (Kubernetes' replica_calculator_test/horizontal_test shapes). */
import type { HorizontalPodAutoscaler, MetricSpec } from '../../../core/api/index.js';
import type { HpaDecideInput, HpaMetricSamples, HpaPod } from '../../../autoscaler/index.js';

export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
export const SEC = 1000;
/** An old recommendation, outside every window: stabilization does not interfere. */
export const OLD_HISTORY = [{ replicas: 1, timestamp: NOW - 3600 * SEC }];

export interface PodOpts {
  cpu?: string | null;
  memory?: string;
  ready?: 'True' | 'False' | 'none';
  phase?: HpaPod['phase'];
  deleted?: boolean;
  /** A pod that started 60 s ago and turned Ready 30 s ago: its CPU sample predates readiness. */
  hot?: boolean;
  /** When the Ready condition last changed (default: the pod's start). */
  transition?: number;
  containers?: HpaPod['containers'];
}

export function makePod(name: string, o: PodOpts = {}): HpaPod {
  const start = o.hot ? NOW - 60 * SEC : NOW - 600 * SEC;
  const transition = o.transition ?? (o.hot ? NOW - 30 * SEC : start);
  const requests: Record<string, string> = {};
  if (o.cpu !== null) requests.cpu = o.cpu ?? '1';
  if (o.memory) requests.memory = o.memory;
  const pod: HpaPod = {
    name,
    phase: o.phase ?? 'Running',
    startTime: start,
    containers: o.containers ?? [{ name: 'app', requests }],
  };
  if (o.ready !== 'none') pod.ready = { status: o.ready ?? 'True', lastTransitionTime: transition };
  if (o.deleted) pod.deletionTimestamp = NOW - 5 * SEC;
  return pod;
}

export function makePods(n: number, o: (i: number) => PodOpts = () => ({})): HpaPod[] {
  return Array.from({ length: n }, (_, i) => makePod(`p${i}`, o(i)));
}

/** CPU samples in millicores for pods p0..pN; `undefined` leaves a pod without a metric. */
export function cpuSamples(levels: (number | undefined)[]): HpaMetricSamples {
  const pods: Record<string, { value: number; timestamp: number; windowSeconds: number }> = {};
  levels.forEach((v, i) => {
    if (v !== undefined) pods[`p${i}`] = { value: v, timestamp: NOW - 10 * SEC, windowSeconds: 30 };
  });
  return { type: 'Resource', pods, timestamp: NOW - 10 * SEC };
}

export function podsSamples(levels: (number | undefined)[]): HpaMetricSamples {
  const pods: Record<string, number> = {};
  levels.forEach((v, i) => {
    if (v !== undefined) pods[`p${i}`] = v;
  });
  return { type: 'Pods', pods };
}

export const cpuUtil = (target: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
export const podsAvg = (name: string, avg: string): MetricSpec => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: avg } } });
export const objectMetric = (target: { value?: string; averageValue?: string }): MetricSpec => ({
  type: 'Object',
  object: {
    describedObject: { apiVersion: 'v1', kind: 'Service', name: 'frontend' },
    metric: { name: 'qps' },
    target: { type: target.value !== undefined ? 'Value' : 'AverageValue', ...target },
  },
});
export const externalMetric = (target: { value?: string; averageValue?: string }): MetricSpec => ({
  type: 'External',
  external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: target.value !== undefined ? 'Value' : 'AverageValue', ...target } },
});

export function makeHpa(spec: Partial<HorizontalPodAutoscaler['spec']>): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 100, ...spec },
  };
}

/** A decide input with sensible defaults: CPU pods with 1-core requests and an old recommendation history. */
export function makeInput(o: Partial<HpaDecideInput> & { spec?: Partial<HorizontalPodAutoscaler['spec']> }): HpaDecideInput {
  const { spec, ...rest } = o;
  return {
    hpa: makeHpa(spec ?? {}),
    currentReplicas: 3,
    pods: makePods(3),
    metrics: [],
    now: NOW,
    recommendations: OLD_HISTORY,
    ...rest,
  };
}
