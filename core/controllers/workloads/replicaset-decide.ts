/** Pure decisions of the ReplicaSet controller: which pods to delete first, batch sizes, pods from templates, status. */
import { labelSelectorFromObject, matchesLabels, removeCondition, setCondition } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import type { Pod, ReplicaSet } from '../../api/index.js';
import { controllerRef, isPodAvailable, isPodReady, readySince, timeOf } from './common.js';

/** Kubernetes' SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;
/** Kubernetes' BurstReplicas: at most this many creates or deletes per sync. */
export const burstReplicas = 500;
const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount));
}

function deletionCost(pod: Pod): number {
  const v = Number(pod.metadata.annotations?.[deletionCostAnnotation] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/**
 * Kubernetes' ActivePods ordering (controller_utils.go): negative when `a` should be deleted
 * before `b`. Unscheduled < scheduled; Pending < Unknown < Running; not ready < ready; lower
 * pod-deletion-cost first; ready for less time first; more restarts first; newer first.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const sa = a.spec.nodeName ? 1 : 0;
  const sb = b.spec.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const pa = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (ra === 1) {
    const ta = readySince(a) ?? 0;
    const tb = readySince(b) ?? 0;
    if (ta !== tb) return tb - ta;
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const na = timeOf(a.metadata.creationTimestamp);
  const nb = timeOf(b.metadata.creationTimestamp);
  if (na !== nb) return nb - na;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** The `count` pods to delete, in deletion order. */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, count));
}

/** Batch sizes for `count` creates with slow start: 1, 2, 4, … (the last one trimmed). */
export function slowStartBatches(count: number, initial = slowStartInitialBatchSize): number[] {
  const out: number[] = [];
  let remaining = count;
  let size = Math.min(remaining, initial);
  while (size > 0) {
    out.push(size);
    remaining -= size;
    size = Math.min(2 * size, remaining);
  }
  return out;
}

/** The pod the ReplicaSet creates from its template: `generateName: <rs>-`, template labels, controller reference. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const tmpl = rs.spec.template;
  const meta = tmpl?.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name ?? 'rs'}-`,
      namespace: rs.metadata.namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef({ ...rs, apiVersion: rs.apiVersion || 'apps/v1', kind: rs.kind || 'ReplicaSet' })],
    },
    spec: structuredClone(tmpl?.spec ?? { containers: [] }),
  };
}

export type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;

/** Kubernetes' calculateStatus: counts over the active pods the ReplicaSet owns. */
export function computeReplicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], now: number): ReplicaSetStatus {
  const minReady = rs.spec.minReadySeconds ?? 0;
  const templateLabels = rs.spec.template?.metadata?.labels ?? {};
  const fullyLabeled = pods.filter((p) => matchesLabels(labelSelectorFromObject({ matchLabels: templateLabels }), p.metadata.labels)).length;
  const status: ReplicaSetStatus = {
    ...(rs.status ?? {}),
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
  };
  if (rs.metadata.generation !== undefined) status.observedGeneration = rs.metadata.generation;
  return status;
}

/** Milliseconds until the next ready-but-not-yet-available pod becomes available; undefined when none is waiting. */
export function nextAvailableInMs(pods: readonly Pod[], minReadySeconds: number, now: number): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let best: number | undefined;
  for (const p of pods) {
    const since = readySince(p);
    if (since === undefined) continue;
    const at = since + minReadySeconds * 1000;
    if (at > now && (best === undefined || at - now < best)) best = at - now;
  }
  return best;
}

/**
 * Kubernetes' ReplicaFailure condition: set (reason FailedCreate or FailedDelete, the error as
 * message) when managing replicas failed, removed once a sync succeeds.
 */
export function withReplicaFailure(status: ReplicaSetStatus, failure: { reason: 'FailedCreate' | 'FailedDelete'; message: string } | undefined, now: number): ReplicaSetStatus {
  if (!failure) {
    if (!status.conditions?.some((c) => c.type === 'ReplicaFailure')) return status;
    const conditions = removeCondition(status.conditions, 'ReplicaFailure');
    const out: ReplicaSetStatus = { ...status, conditions };
    if (conditions.length === 0) delete out.conditions;
    return out;
  }
  return { ...status, conditions: setCondition(status.conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message }, rfc3339(now)) };
}
