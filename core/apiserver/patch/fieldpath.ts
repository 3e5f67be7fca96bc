/** Reading, removing and printing the value a field path names inside an object. */
import type { FieldPath } from './fieldset.js';
import { deepEqual, hasOwn, isObject, type JsonObject } from './util.js';

export type PathElement =
  | { kind: 'field'; name: string }
  | { kind: 'key'; key: JsonObject }
  | { kind: 'value'; value: unknown }
  | { kind: 'index'; index: number };

export const fieldElement = (name: string): string => `f:${name}`;
export const valueElement = (v: unknown): string => `v:${JSON.stringify(v)}`;

/** `k:{"containerPort":80,"protocol":"TCP"}` — keys sorted, values as JSON. */
export function keyElement(key: JsonObject): string {
  const sorted: JsonObject = {};
  for (const k of Object.keys(key).sort()) sorted[k] = key[k];
  return `k:${JSON.stringify(sorted)}`;
}

export function parseElement(el: string): PathElement | undefined {
  const body = el.slice(2);
  try {
    if (el.startsWith('f:')) return { kind: 'field', name: body };
    if (el.startsWith('v:')) return { kind: 'value', value: JSON.parse(body) as unknown };
    if (el.startsWith('i:')) return { kind: 'index', index: Number(body) };
    if (el.startsWith('k:')) {
      const key: unknown = JSON.parse(body);
      return isObject(key) ? { kind: 'key', key } : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Position of the child `el` names inside `container`, or undefined. */
function locate(container: unknown, el: string): string | number | undefined {
  const pe = parseElement(el);
  if (!pe) return undefined;
  if (pe.kind === 'field') return isObject(container) && hasOwn(container, pe.name) ? pe.name : undefined;
  if (!Array.isArray(container)) return undefined;
  let i = -1;
  if (pe.kind === 'index') i = pe.index < container.length ? pe.index : -1;
  if (pe.kind === 'value') i = container.findIndex((x) => deepEqual(x, pe.value));
  if (pe.kind === 'key') i = container.findIndex((x) => matchesKey(x, pe.key));
  return i >= 0 ? i : undefined;
}

/**
 * Whether a list element has `key`. A key field the element omits matches (keys may come from
 * schema defaults, like a port's `protocol: TCP`), as long as one key field is present.
 */
export function matchesKey(item: unknown, key: JsonObject): boolean {
  if (!isObject(item)) return false;
  const entries = Object.entries(key);
  const present = entries.filter(([k]) => item[k] !== undefined);
  return present.length > 0 && present.every(([k, v]) => deepEqual(item[k], v));
}

/** The value at `path`, if present. */
export function lookup(obj: unknown, path: FieldPath): { found: boolean; value: unknown } {
  let cur = obj;
  for (const el of path) {
    const at = locate(cur, el);
    if (at === undefined) return { found: false, value: undefined };
    cur = typeof at === 'number' ? (cur as unknown[])[at] : (cur as JsonObject)[at];
  }
  return { found: true, value: cur };
}

/** Removes the value at `path` from `obj` in place; a missing path is a no-op. */
export function removeAt(obj: unknown, path: FieldPath): void {
  const last = path[path.length - 1];
  if (last === undefined) return;
  const parent = lookup(obj, path.slice(0, -1));
  if (!parent.found) return;
  const at = locate(parent.value, last);
  if (at === undefined) return;
  if (typeof at === 'number' && Array.isArray(parent.value)) parent.value.splice(at, 1);
  else if (typeof at === 'string' && isObject(parent.value)) delete parent.value[at];
}

/**
 * Removes the value at `path`, then every parent map or list the removal left empty (as
 * structured-merge-diff does: an emptied container becomes null, which typed objects drop).
 */
export function removeAndPrune(obj: unknown, path: FieldPath): void {
  if (!lookup(obj, path).found) return;
  removeAt(obj, path);
  for (let n = path.length - 1; n > 0; n--) {
    const parent = lookup(obj, path.slice(0, n)).value;
    const empty = Array.isArray(parent) ? parent.length === 0 : isObject(parent) && Object.keys(parent).length === 0;
    if (!empty) return;
    removeAt(obj, path.slice(0, n));
  }
}

/** Kubernetes' printed form: `.spec.containers[name="a"].image`, `.metadata.finalizers[="x"]`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((el) => {
      const pe = parseElement(el);
      if (!pe) return `.${el}`;
      if (pe.kind === 'field') return `.${pe.name}`;
      if (pe.kind === 'index') return `[${pe.index}]`;
      if (pe.kind === 'value') return `[=${JSON.stringify(pe.value)}]`;
      const parts = Object.keys(pe.key)
        .sort()
        .map((k) => `${k}=${JSON.stringify(pe.key[k])}`);
      return `[${parts.join(',')}]`;
    })
    .join('');
}
