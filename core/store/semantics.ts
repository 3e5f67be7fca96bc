/**
 * Pure Kubernetes object semantics: what a create, update or delete turns an object into.
 * No I/O; the object store calls these between reading and writing the backend.
 */
import { invalid, type KubeObject, type ObjectMeta } from '../api/index.js';
import type { DeleteOptions, PropagationPolicy, ResourceRef } from './types.js';

/** Kubernetes' finalizer names for the foreground and orphan deletion policies. */
export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

/** Random suffix alphabet of `generateName` (Kubernetes' `utilrand.String`: no vowels, no confusables). */
export const nameSuffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so that equal objects compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const rec = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, rec[k]]));
  });
}

function withoutMetaAndStatus(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** True when the update changes anything other than metadata and status (Kubernetes bumps generation then). */
export function specChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  return canonicalJson(withoutMetaAndStatus(oldObj)) !== canonicalJson(withoutMetaAndStatus(newObj));
}

/** Copies `field` from `from` into `to`, removing it from `to` when `from` lacks it. */
function keep<K extends keyof ObjectMeta>(to: ObjectMeta, from: ObjectMeta, field: K): void {
  if (from[field] === undefined) delete to[field];
  else to[field] = from[field];
}

export interface CreateInput {
  res: ResourceRef;
  obj: KubeObject;
  name: string;
  uid: string;
  now: string;
}

/** The object to store on create: server-set metadata filled in, client-set server fields stripped. */
export function prepareCreate({ res, obj, name, uid, now }: CreateInput): KubeObject {
  const out = structuredClone(obj);
  const meta: ObjectMeta = { ...out.metadata, name, uid, creationTimestamp: now, generation: 1 };
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (!res.namespaced) delete meta.namespace;
  out.metadata = meta;
  return out;
}

/** Rejects a create with neither name nor generateName, as Kubernetes does. */
export function requireNameOrGenerate(res: ResourceRef, obj: KubeObject): void {
  if (obj.metadata?.name || obj.metadata?.generateName) return;
  throw invalid(obj.kind, res.group, '', [
    { field: 'metadata.name', type: 'FieldValueRequired', message: 'Required value: name or generateName is required' },
  ]);
}

/**
 * The object to store on update. Main resource: takes everything but status (kept from
 * `stored`); `status` subresource: takes only status. Server-owned metadata is kept from
 * `stored`, and generation is bumped when the spec (anything but metadata/status) changes.
 */
export function prepareUpdate(res: ResourceRef, stored: KubeObject, incoming: KubeObject, subresource: 'status' | '' = ''): KubeObject {
  const next = structuredClone(subresource === 'status' ? stored : incoming);
  const statusFrom = subresource === 'status' ? incoming : stored;
  if (statusFrom.status === undefined) delete next.status;
  else next.status = structuredClone(statusFrom.status);
  const meta: ObjectMeta = { ...(next.metadata ?? {}) };
  const old = stored.metadata;
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp', 'generateName', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    keep(meta, old, f);
  }
  delete meta.resourceVersion;
  meta.generation = (old.generation ?? 1) + (specChanged(stored, next) ? 1 : 0);
  next.metadata = meta;
  if (old.deletionTimestamp) forbidNewFinalizers(res, stored, meta.finalizers ?? []);
  return next;
}

function forbidNewFinalizers(res: ResourceRef, stored: KubeObject, finalizers: readonly string[]): void {
  const had = new Set(stored.metadata.finalizers ?? []);
  const added = finalizers.filter((f) => !had.has(f));
  if (added.length === 0) return;
  throw invalid(stored.kind, res.group, stored.metadata.name ?? '', [
    {
      field: 'metadata.finalizers',
      type: 'FieldValueForbidden',
      message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
    },
  ]);
}

/** True when an object being deleted has no finalizers left: the store then removes it for real. */
export function readyToRemove(obj: KubeObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).length === 0;
}

/** The finalizers after applying a deletion propagation policy (Kubernetes' GC finalizers). */
export function finalizersFor(current: readonly string[], policy: PropagationPolicy | undefined): string[] {
  if (policy === undefined) return [...current];
  const rest = current.filter((f) => f !== foregroundFinalizer && f !== orphanFinalizer);
  if (policy === 'Foreground') return [...rest, foregroundFinalizer];
  if (policy === 'Orphan') return [...rest, orphanFinalizer];
  return rest;
}

/** Why the delete's preconditions fail against `stored`, or undefined when they hold. */
export function preconditionFailure(stored: KubeObject, pre: DeleteOptions['preconditions']): string | undefined {
  if (pre?.uid !== undefined && pre.uid !== stored.metadata.uid) {
    return `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${stored.metadata.uid ?? ''}`;
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== stored.metadata.resourceVersion) {
    return `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${stored.metadata.resourceVersion ?? ''}`;
  }
  return undefined;
}

/** The object marked as being deleted (finalizers hold it): deletionTimestamp set once, generation bumped. */
export function markDeleting(stored: KubeObject, finalizers: string[], now: string): KubeObject {
  const next = structuredClone(stored);
  next.metadata = {
    ...next.metadata,
    finalizers,
    deletionTimestamp: now,
    deletionGracePeriodSeconds: 0,
    generation: (stored.metadata.generation ?? 1) + 1,
  };
  return next;
}
