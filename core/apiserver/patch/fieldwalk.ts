/** Computing field sets from objects: every field an object sets, and the fields a write changed. */
import { PatchError } from './errors.js';
import { fieldElement, formatPath, keyElement, lookup, valueElement } from './fieldpath.js';
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
 *
 * `strict` (for applied configurations) rejects keyed-list elements without their keys and
 * duplicate keys with a `PatchError`; otherwise (live objects) such elements are tracked by index.
 */
export function fieldSetOf(value: unknown, schema: Schema, scope: Scope, strict = false): FieldSet {
  const set = new FieldSet();
  walk(value, schema, [], { scope, set, strict });
  return set;
}

interface Walk {
  scope: Scope;
  set: FieldSet;
  strict: boolean;
}

function walk(value: unknown, schema: Schema, prefix: FieldPath, w: Walk): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) w.set.add(prefix);
    for (const k of keys) {
      const path = [...prefix, fieldElement(k)];
      if (!isTracked(path, w.scope)) continue;
      if (!declaredField(schema, k)) w.set.add(path);
      walk(value[k], fieldSchema(schema, k), path, w);
    }
    return;
  }
  if (!Array.isArray(value)) return w.set.add(prefix);
  const kind = listKind(schema);
  if (kind.type === 'atomic') return w.set.add(prefix);
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const el = kind.type === 'set' ? valueElement(item) : listItemElement(item, i, kind.keys, itemSchema(schema), w.strict);
    if (w.strict && seen.has(el)) throw new PatchError('DuplicateKey', `${formatPath(prefix)}: duplicate entries for key ${formatPath([el])}`);
    seen.add(el);
    w.set.add([...prefix, el]);
    if (kind.type === 'map' && isObject(item)) walk(item, itemSchema(schema), [...prefix, el], w);
  });
}

function listItemElement(item: unknown, index: number, keys: readonly string[], schema: Schema, strict: boolean): string {
  try {
    return keyElement(itemKey(item, keys, schema));
  } catch (e) {
    if (strict) throw e;
    return `i:${index}`;
  }
}

/**
 * Defaults of list-map key fields that built-in schemas do not declare. Kubernetes defaults an
 * applied configuration before merging it, so `- containerPort: 80` is the element
 * `k:{"containerPort":80,"protocol":"TCP"}` (container, service and endpoint ports).
 */
const implicitKeyDefaults: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

function keyDefault(schema: Schema, k: string): unknown {
  return fieldSchema(schema, k)?.default ?? (Object.hasOwn(implicitKeyDefaults, k) ? implicitKeyDefaults[k] : undefined);
}

/**
 * A copy of an applied configuration with the missing key fields of keyed-list elements set
 * to their defaults, as Kubernetes' defaulting of the configuration does before the merge
 * (so the manager owns `protocol` and keeps it). Other fields are left alone.
 */
export function defaultListKeys(value: unknown, schema: Schema): unknown {
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, defaultListKeys(v, fieldSchema(schema, k))]));
  if (!Array.isArray(value)) return value;
  const kind = listKind(schema);
  const items = value.map((item) => defaultListKeys(item, itemSchema(schema)));
  if (kind.type !== 'map') return items;
  return items.map((item) => {
    if (!isObject(item)) return item;
    const out = { ...item };
    for (const k of kind.keys) {
      const d = keyDefault(itemSchema(schema), k);
      if (out[k] === undefined && d !== undefined) out[k] = d;
    }
    return out;
  });
}

/** The key of a keyed-list element: its key fields, a missing one taking its (schema or implicit) default. */
export function itemKey(item: unknown, keys: readonly string[], schema: Schema): JsonObject {
  const key: JsonObject = {};
  for (const k of keys) {
    const v = isObject(item) ? item[k] : undefined;
    const dflt = keyDefault(schema, k);
    if (v !== undefined) key[k] = v;
    else if (dflt !== undefined) key[k] = dflt;
  }
  if (Object.keys(key).length === 0) {
    throw new PatchError('MissingMergeKey', `element ${show(item)} of a list keyed by ${keys.join(', ')} has none of its keys`);
  }
  return key;
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
