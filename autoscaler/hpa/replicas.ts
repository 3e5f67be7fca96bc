/**
 * The replica calculator of Kubernetes' HPA (pkg/controller/podautoscaler/replica_calculator.go and
 * metrics/utilization.go), as pure functions over already-fetched samples. All values are milli-units
 * (integers), as Kubernetes computes them; integer divisions truncate as in Go.
 */
import { groupPods, podRequests, readyRunningPods } from './pods.js';
import type { GroupTiming, PodSampleTime } from './pods.js';
import type { HpaPod } from './types.js';

/** Thrown for a metric that cannot yield a replica count; the message is Kubernetes' error text. */
export class ReplicaCalcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicaCalcError';
  }
}

export interface Tolerances { scaleDown: number; scaleUp: number }

/** True when the usage ratio is close enough to 1 that no scaling happens. */
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1 - t.scaleDown <= usageRatio && usageRatio <= 1 + t.scaleUp;
}

const div = (a: number, b: number): number => Math.trunc(a / b);
const MAX_INT32 = 2147483647;

export interface PodMetric extends PodSampleTime { value: number }

export interface ResourceResult { replicas: number; utilization: number; rawUtilization: number; readyPods: number }

function utilizationRatio(metrics: ReadonlyMap<string, number>, requests: ReadonlyMap<string, number>, target: number): ResourceResult & { ratio: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [pod, value] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue; // extraneous metric: no such pod
    metricsTotal += value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new ReplicaCalcError('no metrics returned matched known pods');
  const utilization = div(metricsTotal * 100, requestsTotal);
  return { ratio: utilization / target, utilization, rawUtilization: div(metricsTotal, entries), replicas: 0, readyPods: 0 };
}

function usageRatio(metrics: ReadonlyMap<string, number>, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const v of metrics.values()) total += v;
  const usage = div(total, metrics.size);
  return { ratio: usage / target, usage };
}

/** Resources, ContainerResources with a Utilization target (GetResourceReplicas). */
export function resourceReplicas(args: {
  currentReplicas: number; targetUtilization: number; resource: string; container: string;
  tolerances: Tolerances; pods: readonly HpaPod[]; samples: ReadonlyMap<string, PodMetric>; timing: GroupTiming;
}): ResourceResult {
  const { pods, tolerances, currentReplicas, targetUtilization } = args;
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const groups = groupPods(pods, args.samples, args.resource, args.timing);
  const metrics = new Map<string, number>();
  for (const [pod, s] of args.samples) if (!groups.ignored.has(pod) && !groups.unready.has(pod)) metrics.set(pod, s.value);
  if (metrics.size === 0) throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, args.container, args.resource);
  const first = utilizationRatio(metrics, requests, targetUtilization);
  const keep = { replicas: currentReplicas, utilization: first.utilization, rawUtilization: first.rawUtilization, readyPods: groups.readyPodCount };
  const scaleUpWithUnready = groups.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (isWithin(tolerances, first.ratio)) return keep;
    return { ...keep, replicas: Math.ceil(first.ratio * groups.readyPodCount) };
  }
  if (groups.missing.size > 0) {
    const fallback = Math.max(100, targetUtilization);
    for (const pod of groups.missing) {
      if (first.ratio < 1) metrics.set(pod, div((requests.get(pod) ?? 0) * fallback, 100));
      else if (first.ratio > 1) metrics.set(pod, 0);
    }
  }
  if (scaleUpWithUnready) for (const pod of groups.unready) metrics.set(pod, 0);
  const second = utilizationRatio(metrics, requests, targetUtilization);
  if (isWithin(tolerances, second.ratio) || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) return keep;
  const replicas = Math.ceil(second.ratio * metrics.size);
  if ((second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas)) return keep;
  return { ...keep, replicas };
}

/** Pods metrics and AverageValue resource targets (calcPlainMetricReplicas). */
export function plainMetricReplicas(args: {
  currentReplicas: number; targetUsage: number; resource: string; tolerances: Tolerances;
  pods: readonly HpaPod[]; samples: ReadonlyMap<string, PodMetric>; timing: GroupTiming;
}): { replicas: number; usage: number; readyPods: number } {
  const { pods, tolerances, currentReplicas, targetUsage } = args;
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const groups = groupPods(pods, args.samples, args.resource, args.timing);
  const metrics = new Map<string, number>();
  for (const [pod, s] of args.samples) if (!groups.ignored.has(pod) && !groups.unready.has(pod)) metrics.set(pod, s.value);
  if (metrics.size === 0) throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  const first = usageRatio(metrics, targetUsage);
  const keep = { replicas: currentReplicas, usage: first.usage, readyPods: groups.readyPodCount };
  const scaleUpWithUnready = groups.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (isWithin(tolerances, first.ratio)) return keep;
    return { ...keep, replicas: Math.ceil(first.ratio * groups.readyPodCount) };
  }
  for (const pod of groups.missing) {
    if (first.ratio < 1) metrics.set(pod, targetUsage);
    else if (first.ratio > 1) metrics.set(pod, 0);
  }
  if (scaleUpWithUnready) for (const pod of groups.unready) metrics.set(pod, 0);
  const second = usageRatio(metrics, targetUsage);
  if (isWithin(tolerances, second.ratio) || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) return keep;
  const replicas = Math.ceil(second.ratio * metrics.size);
  if ((second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas)) return keep;
  return { ...keep, replicas };
}

/** getUsageRatioReplicaCount: scales by ready pods, or to ceil(ratio) from zero replicas. */
export function usageRatioReplicaCount(currentReplicas: number, ratio: number, tolerances: Tolerances, pods: readonly HpaPod[]): number {
  if (currentReplicas === 0) return Math.ceil(ratio);
  if (isWithin(tolerances, ratio)) return currentReplicas;
  if (pods.length === 0) {
    throw new ReplicaCalcError('unable to calculate ready pods: no pods returned by selector while calculating replica count');
  }
  const replicas = ratio * readyRunningPods(pods);
  return replicas > MAX_INT32 ? MAX_INT32 : Math.ceil(replicas);
}

/** Object and External metrics with a Value target. */
export function valueReplicas(currentReplicas: number, usage: number, target: number, tolerances: Tolerances, pods: readonly HpaPod[]): number {
  return usageRatioReplicaCount(currentReplicas, usage / target, tolerances, pods);
}

/** Object and External metrics with an AverageValue target (GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas). */
export function perPodReplicas(statusReplicas: number, usage: number, targetPerPod: number, tolerances: Tolerances): { replicas: number; usage: number } {
  let replicas = statusReplicas;
  const ratio = usage / (targetPerPod * statusReplicas);
  if (!isWithin(tolerances, ratio)) replicas = Math.min(MAX_INT32, Math.ceil(usage / targetPerPod));
  return { replicas, usage: Math.ceil(usage / statusReplicas) };
}
