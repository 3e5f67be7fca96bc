/** Merging an applied configuration into a live object, by server-side-apply rules. */
import { matchesKey } from './fieldpath.js';
import { itemKey } from './fieldwalk.js';
import { fieldSchema, itemSchema, listKind, type Schema } from './schema.js';
import { clone, deepEqual, hasOwn, isObject, setOwn, type JsonObject } from './util.js';

/**
 * Returns `live` with `applied` merged in: maps merge recursively, keyed lists merge element
 * by key (live-only elements keep their place, new ones are appended), set lists are
 * unioned, anything else (atomic lists, primitives) is replaced. Never mutates its inputs.
 */
export function mergeApplied(live: unknown, applied: unknown, schema: Schema): unknown {
  if (isObject(applied)) {
    const out: JsonObject = isObject(live) ? clone(live) : {};
    for (const [k, v] of Object.entries(applied)) setOwn(out, k, mergeApplied(hasOwn(out, k) ? out[k] : undefined, v, fieldSchema(schema, k)));
    return out;
  }
  if (!Array.isArray(applied) || !Array.isArray(live)) return clone(applied);
  const kind = listKind(schema);
  if (kind.type === 'set') return [...clone(live), ...applied.filter((v) => !live.some((l) => deepEqual(l, v)))];
  if (kind.type === 'atomic') return clone(applied);
  const out = clone(live);
  for (const item of applied) {
    const key = itemKey(item, kind.keys, itemSchema(schema));
    const i = out.findIndex((x) => matchesKey(x, key));
    if (i >= 0) out[i] = mergeApplied(out[i], item, itemSchema(schema));
    else out.push(clone(item));
  }
  return out;
}

/** A copy of an applied configuration without `null` values (an explicit null sets nothing). */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(dropNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, dropNulls(x));
  return out;
}
