/**
 * Pure decisions of the StatefulSet controller (Kubernetes' stateful_set_control.go): which
 * revision is current and which is the update, and, for one sync, the pod creations and deletions
 * in the order Kubernetes makes them — ordered (OrderedReady) or all at once (Parallel), scale-down
 * from the highest ordinal, rolling updates from the highest ordinal down to the partition.
 */
import type { ControllerRevision, Pod, StatefulSet } from '../../api/index.js';
import { isPodAvailable, isPodReady } from './common.js';
import { scaledValue } from './deployment-util.js';
import { equalRevision, findEqualRevisions, newControllerRevision, nextRevision, sortRevisions, templatePatch } from './history.js';
import { endOrdinal, ordinalOf, podRevision, startOrdinal } from './statefulset-identity.js';

/** The revision a set's current template makes (not yet stored): `<set>-<hash>`, numbered after `revisions`. */
export function revisionFor(set: StatefulSet, revisions: readonly ControllerRevision[], collisionCount: number): ControllerRevision {
  return newControllerRevision({
    owner: { ...set, apiVersion: set.apiVersion || 'apps/v1', kind: set.kind || 'StatefulSet' },
    ...(set.spec.template.metadata?.labels ? { templateLabels: set.spec.template.metadata.labels } : {}),
    ...(set.metadata.annotations ? { annotations: set.metadata.annotations } : {}),
    data: templatePatch(set.spec.template),
    revision: nextRevision(revisions),
    collisionCount,
  });
}

export type RevisionPlan =
  | { action: 'none'; update: ControllerRevision }
  | { action: 'renumber'; update: ControllerRevision; to: number }
  | { action: 'create'; update: ControllerRevision };

/**
 * Kubernetes' getStatefulSetRevisions, the decision part: the newest revision if it already holds
 * the template; an older equal one renumbered to the next revision (a rollback); else a new one.
 */
export function planUpdateRevision(set: StatefulSet, revisions: readonly ControllerRevision[]): RevisionPlan {
  const sorted = sortRevisions(revisions);
  const candidate = revisionFor(set, sorted, set.status?.collisionCount ?? 0);
  const equal = findEqualRevisions(sorted, candidate);
  const last = equal[equal.length - 1];
  if (last && equalRevision(sorted[sorted.length - 1], last)) return { action: 'none', update: last };
  if (last) return { action: 'renumber', update: last, to: candidate.revision };
  return { action: 'create', update: candidate };
}

/** The current revision: the one `status.currentRevision` names, else the update revision (a new history). */
export function currentRevisionOf(set: StatefulSet, revisions: readonly ControllerRevision[], update: ControllerRevision): ControllerRevision {
  return revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

/** Kubernetes' isHealthy: running, ready and not terminating. */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

function isFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}

export interface SplitPods {
  /** Index i holds the pod of ordinal start+i, or undefined when it does not exist. */
  replicas: (Pod | undefined)[];
  /** Pods with ordinals outside the range, highest ordinal first. */
  condemned: Pod[];
}

/** Places each of the set's pods in its ordinal slot or among the condemned. */
export function splitPods(set: StatefulSet, pods: readonly Pod[]): SplitPods {
  const start = startOrdinal(set);
  const end = endOrdinal(set);
  const replicas: (Pod | undefined)[] = Array.from({ length: Math.max(0, end - start) }, () => undefined);
  const condemned: { pod: Pod; ordinal: number }[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(set, pod);
    if (ordinal === undefined) continue;
    if (ordinal >= start && ordinal < end) replicas[ordinal - start] = pod;
    else condemned.push({ pod, ordinal });
  }
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  return { replicas, condemned: condemned.map((c) => c.pod) };
}

/**
 * Kubernetes' newVersionedStatefulSetPod choice: under RollingUpdate, ordinals below the partition
 * keep the current revision; everything else gets the update revision.
 */
export function revisionForOrdinal(set: StatefulSet, ordinal: number): 'current' | 'update' {
  const strategy = set.spec.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 'update';
  return ordinal < startOrdinal(set) + (strategy?.rollingUpdate?.partition ?? 0) ? 'current' : 'update';
}

export type PodAction =
  | { kind: 'create'; ordinal: number; revision: 'current' | 'update' }
  | { kind: 'delete'; pod: Pod; why: 'finished' | 'condemned' | 'update' };

export interface PlanInput {
  set: StatefulSet;
  split: SplitPods;
  updateRevision: string;
  now: number;
}

export interface PodPlan {
  actions: PodAction[];
  /** Why the plan stopped early (OrderedReady waiting on a pod), for logs. */
  waiting?: string;
}

const name = (p: Pod): string => p.metadata.name ?? '';

/** Replicas in ascending order: create missing pods, replace finished ones, wait on unready ones (OrderedReady). */
function planReplicas(input: PlanInput, monotonic: boolean, actions: PodAction[]): string | undefined {
  const { set, split, now } = input;
  const minReady = set.spec.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  for (let i = 0; i < split.replicas.length; i++) {
    const pod = split.replicas[i];
    const ordinal = start + i;
    if (!pod) {
      actions.push({ kind: 'create', ordinal, revision: revisionForOrdinal(set, ordinal) });
      if (monotonic) return `pod ${set.metadata.name ?? ''}-${ordinal} is being created`;
      continue;
    }
    if (isFinished(pod)) {
      if (!isTerminating(pod)) actions.push({ kind: 'delete', pod, why: 'finished' });
      if (monotonic) return `pod ${name(pod)} has finished and is being replaced`;
      continue;
    }
    if (!monotonic) continue;
    if (isTerminating(pod)) return `pod ${name(pod)} is terminating`;
    if (!isRunningAndReady(pod)) return `pod ${name(pod)} is not running and ready`;
    if (!isPodAvailable(pod, minReady, now)) return `pod ${name(pod)} is not available yet`;
  }
  return undefined;
}

/** Condemned pods from the highest ordinal: one at a time, healthy predecessors first (OrderedReady). */
function planCondemned(input: PlanInput, monotonic: boolean, actions: PodAction[]): string | undefined {
  const { set, split, now } = input;
  const minReady = set.spec.minReadySeconds ?? 0;
  const firstUnhealthy = [...split.replicas, ...split.condemned].find((p): p is Pod => p !== undefined && !isHealthy(p));
  for (const pod of split.condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return `pod ${name(pod)} is terminating`;
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isPodAvailable(pod, minReady, now))) return `pod ${name(pod)} is not healthy`;
    actions.push({ kind: 'delete', pod, why: 'condemned' });
    if (monotonic) return `pod ${name(pod)} is being deleted`;
  }
  return undefined;
}

/** RollingUpdate from the highest ordinal down to the partition: one pod at a time, or up to `maxUnavailable`. */
function planUpdate(input: PlanInput, actions: PodAction[]): string | undefined {
  const { set, split, updateRevision } = input;
  const ru = set.spec.updateStrategy?.rollingUpdate;
  const min = Math.max(0, ru?.partition ?? 0);
  const stale = (p: Pod | undefined): p is Pod => p !== undefined && podRevision(p) !== updateRevision && !isTerminating(p);
  if (ru?.maxUnavailable !== undefined) {
    const max = Math.max(1, scaledValue(ru.maxUnavailable, split.replicas.length, false, '1'));
    let budget = max - split.replicas.filter((p) => !p || !isHealthy(p)).length;
    for (let i = split.replicas.length - 1; i >= min && budget > 0; i--) {
      const pod = split.replicas[i];
      if (!stale(pod)) continue;
      actions.push({ kind: 'delete', pod, why: 'update' });
      budget--;
    }
    return undefined;
  }
  for (let i = split.replicas.length - 1; i >= min; i--) {
    const pod = split.replicas[i];
    if (stale(pod)) {
      actions.push({ kind: 'delete', pod, why: 'update' });
      return `pod ${name(pod)} is being updated`;
    }
    if (!pod || !isHealthy(pod)) return `pod ${pod ? name(pod) : i} is not healthy`;
  }
  return undefined;
}

/**
 * One sync's pod actions, in Kubernetes' order: replicas (ascending), then condemned pods (descending),
 * then the rolling update (none under OnDelete). OrderedReady stops at the first pod it must wait
 * for; Parallel acts on every pod at once.
 */
export function planPods(input: PlanInput): PodPlan {
  const monotonic = (input.set.spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  const actions: PodAction[] = [];
  const waiting = planReplicas(input, monotonic, actions) ?? planCondemned(input, monotonic, actions);
  if (waiting !== undefined) return { actions, waiting };
  if ((input.set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'OnDelete') return { actions };
  const w = planUpdate(input, actions);
  return w === undefined ? { actions } : { actions, waiting: w };
}
