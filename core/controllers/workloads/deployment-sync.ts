/** The Deployment controller's writes: claiming ReplicaSets, finding or creating the new one, scaling, status. */
import { deepEqual, isAlreadyExists, isControlledBy, isNotFound } from '../../api/index.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../api/index.js';
import type { EventRecorder, KubeClient } from '../../client/index.js';
import type { Clock } from '../../util/index.js';
import { claimAction, deploymentsTarget, replicaSetsTarget } from './common.js';
import { newRSNewReplicas } from './deployment-rollout.js';
import type { ScalePlan } from './deployment-rollout.js';
import { newCondition, reasons, setDeploymentCondition, hasProgressDeadline } from './deployment-status.js';
import {
  equalIgnoreHash, findNewReplicaSet, maxRevision, maxSurge, newReplicaSetAnnotations, newReplicaSetFor, replicasOf,
  revisionAnnotation, withReplicasAnnotations,
} from './deployment-util.js';

export interface SyncDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
}

export interface RolloutState {
  /** A working copy; annotations and status conditions change as the sync goes. */
  d: Deployment;
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** Claims ReplicaSets for `d` (adopt matching orphans, release owned ones that stopped matching). */
export async function claimReplicaSets(deps: SyncDeps, d: Deployment, candidates: readonly ReplicaSet[], signal: AbortSignal): Promise<ReplicaSet[]> {
  const owned: ReplicaSet[] = [];
  for (const rs of candidates) {
    const action = claimAction(d, d.spec.selector, rs);
    if (action === 'own') owned.push(rs);
    if (action !== 'adopt' && action !== 'release') continue;
    const refs = action === 'adopt'
      ? [...(rs.metadata.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }]
      : (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid);
    try {
      const out = await deps.client.patch<ReplicaSet>(replicaSetsTarget, rs.metadata.namespace, rs.metadata.name ?? '',
        { metadata: { uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion, ownerReferences: refs } }, 'merge', { signal });
      if (action === 'adopt') owned.push(out);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return owned;
}

/**
 * Kubernetes' getAllReplicaSetsAndSyncRevision: finds the new ReplicaSet (creating it when
 * `create`), brings its revision and annotations up to date and the Deployment's revision with it.
 */
export async function syncRevision(deps: SyncDeps, d: Deployment, rss: readonly ReplicaSet[], create: boolean, signal: AbortSignal): Promise<RolloutState> {
  const found = findNewReplicaSet(d, rss);
  const oldRSs = rss.filter((rs) => rs !== found);
  const revision = maxRevision(oldRSs) + 1;
  let newRS = found;
  if (found) newRS = await refreshExisting(deps, d, found, revision, signal);
  else if (create) newRS = await createNewReplicaSet(deps, d, oldRSs, revision, signal);
  if (newRS) await syncDeploymentRevision(deps, d, newRS.metadata.annotations?.[revisionAnnotation], signal);
  return { d, newRS, oldRSs };
}

async function refreshExisting(deps: SyncDeps, d: Deployment, rs: ReplicaSet, revision: number, signal: AbortSignal): Promise<ReplicaSet> {
  const annotations = newReplicaSetAnnotations(d, rs, revision, false);
  const minReady = d.spec.minReadySeconds ?? 0;
  let out = rs;
  if (!deepEqual(annotations, rs.metadata.annotations ?? {}) || (rs.spec.minReadySeconds ?? 0) !== minReady) {
    out = await deps.client.update<ReplicaSet>(replicaSetsTarget, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, minReadySeconds: minReady } }, { signal });
  }
  if (hasProgressDeadline(d) && !d.status?.conditions?.some((c) => c.type === 'Progressing')) {
    const c = newCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${rs.metadata.name ?? ''}"`, deps.clock.now());
    d.status = { ...d.status, conditions: setDeploymentCondition(d.status?.conditions, c) };
  }
  return out;
}

async function createNewReplicaSet(deps: SyncDeps, d: Deployment, oldRSs: readonly ReplicaSet[], revision: number, signal: AbortSignal): Promise<ReplicaSet> {
  const draft = newReplicaSetFor(d, 0, revision);
  const replicas = newRSNewReplicas(d, oldRSs, draft);
  const want = newReplicaSetFor(d, replicas, revision);
  let created: ReplicaSet;
  try {
    created = await deps.client.create<ReplicaSet>(replicaSetsTarget, want, { signal });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const existing = await deps.client.get<ReplicaSet>(replicaSetsTarget, d.metadata.namespace, want.metadata.name ?? '', { signal });
    if (isControlledBy(existing, d) && equalIgnoreHash(existing.spec.template, d.spec.template)) return existing;
    // A hash collision: bump collisionCount so the next attempt hashes to another name.
    const status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    await deps.client.updateStatus<Deployment>(deploymentsTarget, { ...d, status }, { signal });
    throw new Error(`replica set ${want.metadata.name ?? ''} exists with another template; collisionCount is now ${status.collisionCount}`);
  }
  if (replicas > 0) deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name ?? ''} from 0 to ${replicas}`);
  if (hasProgressDeadline(d)) {
    const c = newCondition('Progressing', 'True', reasons.newRSCreated, `Created new replica set "${created.metadata.name ?? ''}"`, deps.clock.now());
    d.status = { ...d.status, conditions: setDeploymentCondition(d.status?.conditions, c) };
  }
  return created;
}

/** Kubernetes' SetDeploymentRevision, written as a merge patch of the annotation. */
async function syncDeploymentRevision(deps: SyncDeps, d: Deployment, revision: string | undefined, signal: AbortSignal): Promise<void> {
  if (revision === undefined || d.metadata.annotations?.[revisionAnnotation] === revision) return;
  const patch = { metadata: { annotations: { [revisionAnnotation]: revision } } };
  const out = await deps.client.patch<Deployment>(deploymentsTarget, d.metadata.namespace, d.metadata.name ?? '', patch, 'merge', { signal });
  d.metadata = { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [revisionAnnotation]: revision }, resourceVersion: out.metadata.resourceVersion };
}

/** Kubernetes' scaleReplicaSet: new size and desired/max annotations, with a ScalingReplicaSet event. Returns the updated set. */
export async function scaleReplicaSet(deps: SyncDeps, d: Deployment, rs: ReplicaSet, size: number, signal: AbortSignal): Promise<ReplicaSet> {
  const from = rs.spec.replicas ?? 0;
  const annotations = withReplicasAnnotations(rs.metadata.annotations, replicasOf(d), replicasOf(d) + maxSurge(d));
  if (from === size && !annotations) return rs;
  const next: ReplicaSet = { ...rs, metadata: { ...rs.metadata, annotations: annotations ?? rs.metadata.annotations }, spec: { ...rs.spec, replicas: size } };
  const out = await deps.client.update<ReplicaSet>(replicaSetsTarget, next, { signal });
  if (from !== size) {
    deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${from < size ? 'up' : 'down'} replica set ${rs.metadata.name ?? ''} from ${from} to ${size}`);
  }
  return out;
}

/** Applies a plan to the state's ReplicaSets; returns whether anything changed size. */
export async function applyPlan(deps: SyncDeps, st: RolloutState, plan: ScalePlan, signal: AbortSignal): Promise<boolean> {
  let scaled = false;
  const apply = async (rs: ReplicaSet): Promise<ReplicaSet> => {
    const size = plan.get(rs.metadata.name ?? '');
    if (size === undefined) return rs;
    if (size !== (rs.spec.replicas ?? 0)) scaled = true;
    return scaleReplicaSet(deps, st.d, rs, size, signal);
  };
  const olds: ReplicaSet[] = [];
  for (const rs of st.oldRSs) olds.push(await apply(rs));
  st.oldRSs = olds;
  if (st.newRS) st.newRS = await apply(st.newRS);
  return scaled;
}

/** Writes `status` when it differs from what the cache last showed. */
export async function writeStatus(deps: SyncDeps, cached: Deployment, d: Deployment, status: DeploymentStatus, signal: AbortSignal): Promise<void> {
  if (deepEqual(status, cached.status ?? {})) return;
  try {
    // Status is ours alone: a merge patch of the subresource does not conflict with spec edits made meanwhile.
    await deps.client.patch<Deployment>(deploymentsTarget, d.metadata.namespace, d.metadata.name ?? '', { status }, 'merge', { subresource: 'status', signal });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
