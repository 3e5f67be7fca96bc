/** Shared pieces of the workload controllers: resource targets, pod predicates and owner references. */
import { controllerOf, isNotFound, labelSelectorFromObject, matchesLabels } from '../../api/index.js';
import type { KubeObject, LabelSelector, OwnerReference, Pod } from '../../api/index.js';
import type { KubeClient, ResourceTarget } from '../../client/index.js';

export const podsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'pods', namespaced: true };
export const replicaSetsTarget: ResourceTarget = { apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true };
export const controllerRevisionsTarget: ResourceTarget = { apiVersion: 'apps/v1', plural: 'controllerrevisions', namespaced: true };
export const deploymentsTarget: ResourceTarget = { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true };
export const servicesTarget: ResourceTarget = { apiVersion: 'v1', plural: 'services', namespaced: true };
export const endpointsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'endpoints', namespaced: true };
export const nodesTarget: ResourceTarget = { apiVersion: 'v1', plural: 'nodes', namespaced: false };
export const leasesTarget: ResourceTarget = { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true };

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod became ready (ms since epoch), or undefined if it is not ready or the time is unknown. */
export function readySince(pod: Pod): number | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  if (!c?.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** Kubernetes' IsPodAvailable: ready for at least `minReadySeconds` at `now`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = readySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/** Kubernetes' IsPodActive: not terminal and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** The controller owner reference the workload controllers put on what they create. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export type ClaimAction = 'own' | 'adopt' | 'release' | 'ignore';

/**
 * Kubernetes' ControllerRefManager decision for one candidate: keep it (`own`), take an orphan
 * that matches (`adopt`), let go of an owned one that stopped matching (`release`), or `ignore`.
 * A controller being deleted never adopts; deleted candidates are never adopted.
 */
export function claimAction(owner: KubeObject, selector: LabelSelector, candidate: KubeObject): ClaimAction {
  const ref = controllerOf(candidate);
  const matches = matchesLabels(labelSelectorFromObject(selector), candidate.metadata.labels);
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    if (matches) return 'own';
    return owner.metadata.deletionTimestamp ? 'own' : 'release';
  }
  if (!matches || owner.metadata.deletionTimestamp || candidate.metadata.deletionTimestamp) return 'ignore';
  return 'adopt';
}

/** Objects of the informer cache in one namespace. */
export function inNamespace<T extends KubeObject>(items: readonly T[], namespace: string | undefined): T[] {
  return items.filter((o) => (o.metadata.namespace ?? '') === (namespace ?? ''));
}

/** Milliseconds since the epoch for an RFC 3339 timestamp; 0 when absent or invalid. */
export function timeOf(ts: string | undefined | null): number {
  if (!ts) return 0;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? 0 : t;
}

/** Error message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Sets `obj`'s owner references (adoption or release), guarded by its uid and resourceVersion so a
 * changed or replaced object is not claimed blindly. Undefined when the object is gone.
 */
export async function patchOwnerRefs<T extends KubeObject>(
  client: KubeClient, target: ResourceTarget, obj: T, refs: OwnerReference[], signal: AbortSignal,
): Promise<T | undefined> {
  try {
    const patch = { metadata: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, ownerReferences: refs } };
    return await client.patch<T>(target, obj.metadata.namespace, obj.metadata.name ?? '', patch, 'merge', { signal });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export const jobsTarget: ResourceTarget = { apiVersion: 'batch/v1', plural: 'jobs', namespaced: true };
export const cronJobsTarget: ResourceTarget = { apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true };
