/**
 * Graceful pod deletion, as Kubernetes' pod strategy (`CheckGracefulDelete`) and the generic
 * registry (`rest.BeforeDelete`) do it. A DELETE of a bound, not yet terminal pod does not remove
 * it: it sets `deletionTimestamp = now + grace` and `deletionGracePeriodSeconds = grace`, and the
 * node agent, once the containers have stopped, deletes it with grace 0. A later DELETE may only
 * shorten the grace period. Unbound and terminal pods, and grace 0, go at once (finalizers hold
 * them as usual).
 *
 * The ObjectStore removes an object as soon as it carries a deletionTimestamp and no finalizers,
 * so the pending state is written to the backend directly, under the store's key layout
 * (`objectKey` of core/store).
 */
import { ApiError, isConflict, isNotFound } from '../api/index.js';
import type { KubeObject } from '../api/index.js';
import { foregroundFinalizer, objectKey, orphanFinalizer } from '../store/index.js';
import type { DeleteOptions, ObjectStore } from '../store/index.js';
import { rfc3339 } from '../util/index.js';
import type { Ctx } from './context.js';
import { isPlainObject } from './decode.js';

const podsRef = { group: '', plural: 'pods', namespaced: true } as const;
const defaultGrace = 30;
const maxAttempts = 5;

export function isPods(ctx: Ctx): boolean {
  return ctx.info.group === '' && ctx.info.plural === 'pods';
}

function podKey(namespace: string, name: string): string {
  return objectKey(podsRef, namespace, name);
}

/** The grace period the pod strategy settles on for a first DELETE (0 = remove now). Pure. */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const status = isPlainObject(pod.status) ? pod.status : {};
  const specGrace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : defaultGrace;
  let grace = requested ?? specGrace;
  if (typeof spec.nodeName !== 'string' || spec.nodeName === '') grace = 0;
  if (status.phase === 'Succeeded' || status.phase === 'Failed') grace = 0;
  // Negative values are treated as 1s on the delete path.
  return grace < 0 ? 1 : grace;
}

export type DeleteStep =
  | { kind: 'delete' } // let the ObjectStore delete (immediately, or held by finalizers)
  | { kind: 'pending' } // graceful deletion already pending with a shorter or equal period: no change
  | { kind: 'mark'; deletionTimestamp: string; grace: number; first: boolean };

/** What a DELETE with `requested` grace does to `pod` at `nowMs` (BeforeDelete for pods). Pure. */
export function podDeleteStep(pod: KubeObject, requested: number | undefined, nowMs: number): DeleteStep {
  const req = requested !== undefined && requested < 0 ? 1 : requested;
  const { deletionTimestamp, deletionGracePeriodSeconds: cur } = pod.metadata;
  if (deletionTimestamp) {
    if (cur === undefined || cur <= 0) return { kind: 'delete' };
    if (req === undefined || req >= cur) return { kind: 'pending' };
    const at = Date.parse(deletionTimestamp) - cur * 1000 + req * 1000;
    return { kind: 'mark', deletionTimestamp: rfc3339(Number.isNaN(at) ? nowMs : at), grace: req, first: false };
  }
  const grace = podGracePeriod(pod, req);
  if (grace === 0) return { kind: 'delete' };
  return { kind: 'mark', deletionTimestamp: rfc3339(nowMs + grace * 1000), grace, first: true };
}

function finalizersAfter(current: readonly string[], policy: DeleteOptions['propagationPolicy']): string[] {
  if (policy === undefined) return [...current];
  const rest = current.filter((f) => f !== foregroundFinalizer && f !== orphanFinalizer);
  if (policy === 'Foreground') return [...rest, foregroundFinalizer];
  if (policy === 'Orphan') return [...rest, orphanFinalizer];
  return rest;
}

function checkPreconditions(pod: KubeObject, name: string, pre: DeleteOptions['preconditions']): void {
  const uidBad = pre?.uid !== undefined && pre.uid !== pod.metadata.uid;
  const rvBad = pre?.resourceVersion !== undefined && pre.resourceVersion !== pod.metadata.resourceVersion;
  if (!uidBad && !rvBad) return;
  const why = uidBad
    ? `Precondition failed: UID in precondition: ${pre?.uid ?? ''}, UID in object meta: ${pod.metadata.uid ?? ''}`
    : `Precondition failed: ResourceVersion in precondition: ${pre?.resourceVersion ?? ''}, ResourceVersion in object meta: ${pod.metadata.resourceVersion ?? ''}`;
  throw new ApiError('Conflict', `Operation cannot be fulfilled on pods "${name}": ${why}`, { name, kind: 'pods' });
}

/** Writes `next` over the stored pod at `revision` (Conflict when it moved); a pod with grace 0 and no finalizers is removed. */
async function writePod(store: ObjectStore, next: KubeObject, revision: string): Promise<KubeObject> {
  const ns = next.metadata.namespace ?? '';
  const name = next.metadata.name ?? '';
  const key = podKey(ns, name);
  const { resourceVersion: _rv, ...metadata } = next.metadata;
  const value = JSON.stringify({ ...next, metadata });
  const gone = (next.metadata.deletionGracePeriodSeconds ?? 0) <= 0 && (next.metadata.finalizers ?? []).length === 0;
  const rev = gone ? await store.backend.delete(key, Number(revision)) : await store.backend.update(key, value, Number(revision));
  return { ...next, metadata: { ...next.metadata, resourceVersion: String(rev) } };
}

/**
 * DELETE of one pod with Kubernetes' graceful semantics. Returns the object and whether it is
 * still there (pending graceful deletion or held by finalizers).
 */
export async function deletePod(ctx: Ctx, namespace: string, name: string, opts: DeleteOptions): Promise<{ obj: KubeObject; remaining: boolean }> {
  const { store, clock } = ctx.deps;
  for (let attempt = 1; ; attempt++) {
    const pod = await store.get(podsRef, namespace, name);
    checkPreconditions(pod, name, opts.preconditions);
    const step = podDeleteStep(pod, opts.gracePeriodSeconds, clock.now());
    if (step.kind === 'pending') return { obj: pod, remaining: true };
    if (step.kind === 'delete') {
      const obj = await store.delete(podsRef, namespace, name, opts);
      return { obj, remaining: obj.metadata.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).length > 0 };
    }
    const finalizers = step.first ? finalizersAfter(pod.metadata.finalizers ?? [], opts.propagationPolicy) : (pod.metadata.finalizers ?? []);
    const meta = { ...pod.metadata, deletionTimestamp: step.deletionTimestamp, deletionGracePeriodSeconds: step.grace };
    if (finalizers.length > 0) meta.finalizers = finalizers;
    else delete meta.finalizers;
    const next: KubeObject = { ...pod, metadata: meta };
    if (opts.dryRun) return { obj: next, remaining: true };
    try {
      const obj = await writePod(store, next, pod.metadata.resourceVersion ?? '0');
      return { obj, remaining: step.grace > 0 || finalizers.length > 0 };
    } catch (e) {
      if (isNotFound(e)) throw new ApiError('NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
      if (!isConflict(e) || attempt >= maxAttempts) throw e;
    }
  }
}

/**
 * Updates a pod whose graceful deletion is pending. The ObjectStore would remove it (a
 * deletionTimestamp and no finalizers); Kubernetes keeps it until the grace period is over.
 * Returns undefined when `live` is not in that state (the caller updates through the store).
 */
export async function updateTerminatingPod(ctx: Ctx, live: KubeObject | undefined, obj: KubeObject, subresource: 'status' | ''): Promise<KubeObject | undefined> {
  if (!live?.metadata.deletionTimestamp || (live.metadata.deletionGracePeriodSeconds ?? 0) <= 0) return undefined;
  const { store } = ctx.deps;
  const pinned = obj.metadata.resourceVersion !== undefined && obj.metadata.resourceVersion !== '';
  for (let attempt = 1; ; attempt++) {
    // A dry run computes the stored form (and checks resourceVersion) without the store's removal.
    const next = await store.update(podsRef, obj, { dryRun: true, subresource });
    const current = await store.get(podsRef, next.metadata.namespace, next.metadata.name ?? '');
    if (current.metadata.resourceVersion !== next.metadata.resourceVersion) {
      if (pinned || attempt >= maxAttempts) throw new ApiError('Conflict', `Operation cannot be fulfilled on pods "${next.metadata.name ?? ''}": the object has been modified; please apply your changes to the latest version and try again`, { name: next.metadata.name ?? '', kind: 'pods' });
      continue;
    }
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    if ((next.metadata.finalizers ?? []).length > 0 || (next.metadata.deletionGracePeriodSeconds ?? 0) <= 0) return undefined;
    try {
      return await writePod(store, next, next.metadata.resourceVersion ?? '0');
    } catch (e) {
      if (!isConflict(e) || pinned || attempt >= maxAttempts) throw e;
    }
  }
}
