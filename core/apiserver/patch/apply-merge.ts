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
  if (kind.type === 'set') {
    // Scalars (the usual set items) are looked up by value; anything else by comparison.
    const scalars = new Set(live.filter(isScalar).map((l) => JSON.stringify(l)));
    return [...clone(live), ...applied.filter((v) => (isScalar(v) ? !scalars.has(JSON.stringify(v)) : !live.some((l) => deepEqual(l, v))))];
  }
  if (kind.type === 'atomic') return clone(applied);
  const out = clone(live);
  const index = new KeyIndex(out, kind.keys);
  for (const item of applied) {
    const key = itemKey(item, kind.keys, itemSchema(schema));
    const i = index.find(out, key);
    if (i >= 0) {
      out[i] = mergeApplied(out[i], item, itemSchema(schema));
    } else {
      out.push(clone(item));
      index.added(out);
    }
  }
  return out;
}

/**
 * Finds keyed-list elements by key in one lookup while every element carries all its key fields
 * with primitive values (the usual case); otherwise by `matchesKey` over the list, which also
 * matches on the key fields an element has. Keeps merging a long list linear.
 */
class KeyIndex {
  private byKey: Map<string, number> | undefined = new Map();

  constructor(list: readonly unknown[], private readonly keys: readonly string[]) {
    list.forEach((_, i) => this.note(list, i));
  }

  find(list: readonly unknown[], key: JsonObject): number {
    const id = this.byKey && this.idOf(key);
    if (this.byKey && id !== undefined) return this.byKey.get(id) ?? -1;
    return list.findIndex((x) => matchesKey(x, key));
  }

  /** Call after appending to `list`. */
  added(list: readonly unknown[]): void {
    this.note(list, list.length - 1);
  }

  private note(list: readonly unknown[], i: number): void {
    const id = this.byKey && this.idOf(list[i]);
    if (id === undefined) this.byKey = undefined;
    else if (!this.byKey?.has(id)) this.byKey?.set(id, i); // the first element with a key wins, as findIndex
  }

  private idOf(item: unknown): string | undefined {
    if (!isObject(item)) return undefined;
    const values = this.keys.map((k) => item[k]);
    return values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ? JSON.stringify(values) : undefined;
  }
}

const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A copy of an applied configuration without `null` values (an explicit null sets nothing). */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(dropNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, dropNulls(x));
  return out;
}
