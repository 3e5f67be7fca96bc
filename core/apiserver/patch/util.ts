/** Small JSON helpers shared by the patch functions. Pure; never mutate their inputs. */

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property test (never the prototype chain: `constructor` is an ordinary JSON key here). */
export function hasOwn(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Sets an own property, even one named `__proto__` (plain assignment would replace the prototype). */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A deep copy of a JSON value (objects, arrays and primitives only). Iterative: any depth is safe. */
export function clone<T>(v: T): T {
  return copyJson(v, () => undefined) as T;
}

/**
 * Deep-copies `v` without recursion, reporting the size of its JSON encoding to `meter` piece
 * by piece as the copy grows — so a caller can stop a copy that passes a budget before it is built.
 */
export function copyJson(v: unknown, meter: (bytes: number) => void): unknown {
  const root: unknown[] = [undefined];
  const stack: { src: unknown; into: JsonObject | unknown[]; key: string | number }[] = [{ src: v, into: root, key: 0 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { src, into, key } = top;
    let out: unknown = src;
    if (Array.isArray(src)) {
      const arr: unknown[] = src.slice();
      meter(2 + Math.max(0, arr.length - 1));
      for (let i = arr.length - 1; i >= 0; i--) stack.push({ src: arr[i], into: arr, key: i });
      out = arr;
    } else if (isObject(src)) {
      const obj: JsonObject = {};
      const entries = Object.entries(src);
      meter(1 + entries.length); // braces and commas (one fewer comma than entries, plus the closing brace)
      for (const [k] of entries) setOwn(obj, k, null); // keys in their original order
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i] ?? ['', null];
        meter(Buffer.byteLength(JSON.stringify(k)) + 1);
        stack.push({ src: x, into: obj, key: k });
      }
      out = obj;
    } else {
      meter(src === undefined ? 4 : Buffer.byteLength(JSON.stringify(src)));
    }
    if (Array.isArray(into)) into[key as number] = out;
    else setOwn(into, String(key), out);
  }
  return root[0];
}

/** Structural equality of JSON values; key order is irrelevant, list order is significant. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Short JSON rendering of a value for error messages. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = Array.isArray(v) ? '[...]' : '{...}'; // nested too deeply to render
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
