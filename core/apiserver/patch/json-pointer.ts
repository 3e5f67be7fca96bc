/** RFC 6901 JSON pointers over plain JSON values. */
import { PatchError } from './errors.js';
import { isObject, type JsonObject } from './util.js';

/** Splits a pointer into unescaped reference tokens (`~1` → `/`, then `~0` → `~`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError('InvalidPath', `invalid JSON pointer "${pointer}": must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => {
      if (/~[^01]|~$/.test(t)) throw new PatchError('InvalidPath', `invalid JSON pointer "${pointer}": bad escape in "${t}"`);
      return t.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/**
 * Parses an array index token. When `allowEnd` (add), `-` means "after the last". Negative
 * indices count from the end, as in the JSON patch library Kubernetes uses (`-1` is the last
 * element; for add, `-1` appends).
 */
export function arrayIndex(token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (token === '-' && allowEnd) return length;
  if (!/^(0|-?[1-9][0-9]*)$/.test(token)) throw new PatchError('InvalidPath', `invalid array index "${token}" in "${pointer}"`);
  const size = allowEnd ? length + 1 : length;
  const n = Number(token);
  const i = n < 0 ? n + size : n;
  if (i < 0 || i >= size) throw new PatchError('PathNotFound', `array index ${n} out of bounds (length ${length}) in "${pointer}"`);
  return i;
}

/** Returns the container the last token of `tokens` lives in. Throws PathNotFound if a step is missing. */
export function resolveParent(doc: unknown, tokens: readonly string[], pointer: string): JsonObject | unknown[] {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) cur = step(cur, t, pointer);
  if (Array.isArray(cur) || isObject(cur)) return cur;
  throw new PatchError('PathNotFound', `path "${pointer}" not found: parent is not an object or array`);
}

/** Reads the value `tokens` name; `pointer` is only for messages. Throws PathNotFound if absent. */
export function getAt(doc: unknown, tokens: readonly string[], pointer: string): unknown {
  let cur = doc;
  for (const t of tokens) cur = step(cur, t, pointer);
  return cur;
}

function step(cur: unknown, token: string, pointer: string): unknown {
  if (Array.isArray(cur)) return cur[arrayIndex(token, cur.length, false, pointer)];
  if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, token)) return cur[token];
  throw new PatchError('PathNotFound', `path "${pointer}" not found`);
}
