/** Small object helpers shared by every component. */
import type { Condition, KubeObject, ObjectMeta } from './meta.js';

/** A structural deep copy of JSON-like data (objects, arrays, primitives). */
export function deepCopy<T>(v: T): T {
  return structuredClone(v);
}

/** The store/work-queue key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKeyOf(obj: { metadata?: ObjectMeta }): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Splits a key made by `objectKeyOf`. */
export function splitObjectKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The owner reference with `controller: true`, if any. */
export function controllerOf(obj: KubeObject): NonNullable<ObjectMeta['ownerReferences']>[number] | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** True when `owner` is `obj`'s controller (matched by UID). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerOf(obj);
  return ref !== undefined && owner.metadata.uid !== undefined && ref.uid === owner.metadata.uid;
}

/** The condition of `type`, if present. */
export function getCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Returns a new list with `cond` set. `lastTransitionTime` becomes `nowIso` only when the
 * status changes (or the condition is new); reason, message and other fields are updated.
 * The input list is not mutated.
 */
export function setCondition<C extends Condition>(conditions: readonly C[] | undefined, cond: C, nowIso: string): C[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === cond.type);
  const existing = i >= 0 ? list[i] : undefined;
  const changed = existing === undefined || existing.status !== cond.status;
  const lastTransitionTime = changed ? cond.lastTransitionTime ?? nowIso : existing.lastTransitionTime ?? cond.lastTransitionTime ?? nowIso;
  const next: C = { ...cond, lastTransitionTime };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

/** Removes the condition of `type`; returns a new list. */
export function removeCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** Structural equality of JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual(ra[k], rb[k]));
}
