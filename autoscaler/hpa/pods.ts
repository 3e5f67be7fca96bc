/** Pod grouping and request arithmetic of Kubernetes' replica calculator (replica_calculator.go). */
import type { Pod } from '../../core/api/index.js';
import { quantityMilli } from './quantity.js';
import type { HpaPod } from './types.js';

export interface PodGroups {
  readyPodCount: number;
  /** Pending pods, and (CPU only) pods that are unready or whose sample predates readiness. */
  unready: Set<string>;
  /** Pods with no metric. */
  missing: Set<string>;
  /** Deleted (deletionTimestamp set) or Failed pods. */
  ignored: Set<string>;
}

export interface GroupTiming {
  now: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

export interface PodSampleTime { timestamp: number; windowSeconds: number }

/** Mirrors groupPods: readiness only matters for the `cpu` resource. */
export function groupPods(
  pods: readonly HpaPod[],
  samples: ReadonlyMap<string, PodSampleTime | undefined>,
  resource: string,
  timing: GroupTiming,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deletionTimestamp !== undefined || pod.phase === 'Failed') {
      groups.ignored.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      groups.unready.add(pod.name);
      continue;
    }
    if (!samples.has(pod.name)) {
      groups.missing.add(pod.name);
      continue;
    }
    if (resource === 'cpu' && isCpuUnready(pod, samples.get(pod.name), timing)) {
      groups.unready.add(pod.name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

function isCpuUnready(pod: HpaPod, sample: PodSampleTime | undefined, timing: GroupTiming): boolean {
  const ready = pod.ready;
  if (ready === undefined || pod.startTime === undefined) return true;
  if (pod.startTime + timing.cpuInitializationPeriodMs > timing.now) {
    // Still initializing: unready, or no full metric window collected since the last transition.
    const sampleTs = sample?.timestamp ?? 0;
    const windowMs = (sample?.windowSeconds ?? 0) * 1000;
    return ready.status === 'False' || sampleTs < ready.lastTransitionTime + windowMs;
  }
  // Unready and never been ready since start.
  return ready.status === 'False' && pod.startTime + timing.initialReadinessDelayMs > ready.lastTransitionTime;
}

/** Thrown when a pod lacks a request for the resource (Kubernetes' "missing request for …"). */
export class MissingRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingRequestError';
  }
}

/** Per-pod request in milli-units, summed over containers (or the one named container); mirrors calculateRequests. */
export function podRequests(pods: readonly HpaPod[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) requests.set(pod.name, podRequest(pod, container, resource));
  return requests;
}

function podRequest(pod: HpaPod, container: string, resource: string): number {
  let sum = 0;
  for (const c of pod.containers) {
    if (container === '' || container === c.name) {
      const q = c.requests?.[resource];
      if (q === undefined) {
        throw new MissingRequestError(`missing request for ${resource} in container ${c.name} of Pod ${pod.name}`);
      }
      sum += quantityMilli(q);
    }
    if (container === c.name) return sum;
  }
  if (container !== '') throw new MissingRequestError(`container ${container} not found in Pod ${pod.name}`);
  return sum;
}

/** Running pods whose Ready condition is True (getReadyPodsCount). */
export function readyRunningPods(pods: readonly HpaPod[]): number {
  return pods.filter((p) => p.phase === 'Running' && p.ready?.status === 'True').length;
}

function parseTime(t: string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Extracts the facts the HPA needs from a Pod object (regular plus restartable init containers). */
export function hpaPodFromPod(pod: Pod): HpaPod {
  const readyCond = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => (c as { restartPolicy?: string }).restartPolicy === 'Always');
  const result: HpaPod = {
    name: pod.metadata.name ?? '',
    phase: pod.status?.phase ?? 'Pending',
    containers: [...pod.spec.containers, ...sidecars].map((c) => ({ name: c.name, requests: c.resources?.requests })),
  };
  if (readyCond) result.ready = { status: readyCond.status, lastTransitionTime: parseTime(readyCond.lastTransitionTime) ?? 0 };
  const start = parseTime(pod.status?.startTime);
  if (start !== undefined) result.startTime = start;
  const deletion = parseTime(pod.metadata.deletionTimestamp);
  if (deletion !== undefined) result.deletionTimestamp = deletion;
  return result;
}
