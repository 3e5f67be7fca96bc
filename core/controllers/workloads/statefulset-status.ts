/** Pure StatefulSet status and claim retention (Kubernetes' computeReplicaStatus, completeRollingUpdate, PVC owner references). */
import type { OwnerReference, PersistentVolumeClaim, Pod, StatefulSet, StatefulSetStatus } from '../../api/index.js';
import { isPodAvailable } from './common.js';
import { isRunningAndReady, isTerminating } from './statefulset-decide.js';
import { endOrdinal, ordinalOf, podRevision, startOrdinal } from './statefulset-identity.js';

export interface StatusInput {
  set: StatefulSet;
  /** Every pod the set owns (in range or condemned). */
  pods: readonly Pod[];
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  now: number;
}

/** Kubernetes' status after a sync: counts over the owned pods, then completeRollingUpdate. */
export function computeStatefulSetStatus(input: StatusInput): StatefulSetStatus {
  const { set, pods, now } = input;
  const minReady = set.spec.minReadySeconds ?? 0;
  const status: StatefulSetStatus = {
    ...(set.status?.conditions ? { conditions: set.status.conditions } : {}),
    replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0,
    currentRevision: input.currentRevision, updateRevision: input.updateRevision, collisionCount: input.collisionCount,
  };
  if (set.metadata.generation !== undefined) status.observedGeneration = set.metadata.generation;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pod of pods) {
    const created = pod.status?.phase !== undefined;
    if (created) status.replicas++;
    if (isRunningAndReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
    if (created && !isTerminating(pod)) {
      const rev = podRevision(pod);
      if (rev === input.currentRevision) current++;
      if (rev === input.updateRevision) updated++;
    }
  }
  Object.assign(status, { readyReplicas: ready, availableReplicas: available, currentReplicas: current, updatedReplicas: updated });
  const rolling = (set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && updated === status.replicas && ready === status.replicas) {
    status.currentReplicas = updated;
    status.currentRevision = input.updateRevision;
  }
  return status;
}

const refOf = (o: { apiVersion: string; kind: string; metadata: { name?: string; uid?: string } }): OwnerReference =>
  ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' });

/**
 * Kubernetes' updateClaimOwnerRefForSetAndPod: the owner references a claim of `pod` should carry
 * under the set's `persistentVolumeClaimRetentionPolicy` — the set when `whenDeleted: Delete` (the
 * garbage collector deletes the claim with the set), the pod when `whenScaled: Delete` and the pod
 * is beyond the replicas (deleted with the pod). Returns the new list, or undefined when it is right.
 */
export function claimOwnerRefs(set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim): OwnerReference[] | undefined {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
  const ordinal = ordinalOf(set, pod);
  const scaledDown = ordinal === undefined || ordinal < startOrdinal(set) || ordinal >= endOrdinal(set);
  const wantSet = policy.whenDeleted === 'Delete' && !(policy.whenScaled === 'Delete' && scaledDown);
  const wantPod = policy.whenScaled === 'Delete' && scaledDown;
  const refs = claim.metadata.ownerReferences ?? [];
  const setUid = set.metadata.uid;
  const podUid = pod.metadata.uid;
  let out = refs.filter((r) => (wantSet || r.uid !== setUid) && (wantPod || r.uid !== podUid));
  if (wantSet && !out.some((r) => r.uid === setUid)) out = [...out, refOf({ ...set, apiVersion: set.apiVersion || 'apps/v1', kind: set.kind || 'StatefulSet' })];
  if (wantPod && !out.some((r) => r.uid === podUid)) out = [...out, refOf({ ...pod, apiVersion: 'v1', kind: 'Pod' })];
  return out.length === refs.length && out.every((r, i) => r === refs[i]) ? undefined : out;
}
