/** Computing field sets from objects: every field an object sets, and the fields a write changed. */
import { PatchError } from './errors.js';
import { fieldElement, keyElement, lookup, valueElement } from './fieldpath.js';
import { FieldSet, type FieldPath } from './fieldset.js';
import { declaredField, fieldSchema, itemSchema, listKind, type Schema } from './schema.js';
import { deepEqual, isObject, show, type JsonObject } from './util.js';

/** Which part of an object a write manages: the main resource (everything but status) or the status subresource. */
export type Scope = 'main' | 'status';

const systemMetadata = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName',
]);

/** Whether a field is tracked in managedFields; identity, system metadata and the other scope are not. */
export function isTracked(path: FieldPath, scope: Scope): boolean {
  const [top, second] = path;
  if (top === undefined) return true;
  if (scope === 'status') return top === 'f:status';
  if (top === 'f:apiVersion' || top === 'f:kind' || top === 'f:status') return false;
  return !(top === 'f:metadata' && second !== undefined && systemMetadata.has(second.slice(2)));
}

/**
 * Every field path `value` sets, as structured-merge-diff records them: scalars, atomic lists,
 * keyed list items and set items, and every member of a map that the schema does not declare
 * as a property (`additionalProperties` maps such as labels, unknown subtrees). Unlike
 * Kubernetes, an empty map is recorded too, so applying `emptyDir: {}` owns it.
 * Throws if a keyed list element lacks its keys.
 */
export function fieldSetOf(value: unknown, schema: Schema, scope: Scope): FieldSet {
  const set = new FieldSet();
  walk(value, schema, [], scope, set);
  return set;
}

function walk(value: unknown, schema: Schema, prefix: FieldPath, scope: Scope, set: FieldSet): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) set.add(prefix);
    for (const k of keys) {
      const path = [...prefix, fieldElement(k)];
      if (!isTracked(path, scope)) continue;
      if (!declaredField(schema, k)) set.add(path);
      walk(value[k], fieldSchema(schema, k), path, scope, set);
    }
    return;
  }
  if (!Array.isArray(value)) return set.add(prefix);
  const kind = listKind(schema);
  if (kind.type === 'atomic') return set.add(prefix);
  for (const item of value) {
    if (kind.type === 'set') {
      set.add([...prefix, valueElement(item)]);
      continue;
    }
    const path = [...prefix, itemElement(item, kind.keys, itemSchema(schema))];
    set.add(path);
    if (isObject(item)) walk(item, itemSchema(schema), path, scope, set);
  }
}

/** The key of a keyed-list element: its key fields, a missing one taking its schema default. */
export function itemKey(item: unknown, keys: readonly string[], schema: Schema): JsonObject {
  const key: JsonObject = {};
  for (const k of keys) {
    const v = isObject(item) ? item[k] : undefined;
    const dflt = fieldSchema(schema, k)?.default;
    if (v !== undefined) key[k] = v;
    else if (dflt !== undefined) key[k] = dflt;
  }
  if (Object.keys(key).length === 0) {
    throw new PatchError('MissingMergeKey', `element ${show(item)} of a list keyed by ${keys.join(', ')} has none of its keys`);
  }
  return key;
}

function itemElement(item: unknown, keys: readonly string[], schema: Schema): string {
  return keyElement(itemKey(item, keys, schema));
}

/**
 * The fields a write from `before` to `after` set or changed: paths new in `after`, and
 * leaves whose value differs. Removed fields are not included.
 */
export function changedFields(before: unknown, after: unknown, schema: Schema, scope: Scope): FieldSet {
  const all = fieldSetOf(after, schema, scope);
  return all.filter((p) => {
    const old = lookup(before, p);
    if (!old.found) return true;
    const last = p[p.length - 1] ?? '';
    if (last.startsWith('k:') || last.startsWith('v:') || all.hasBelow(p)) return false;
    return !deepEqual(old.value, lookup(after, p).value);
  });
}
