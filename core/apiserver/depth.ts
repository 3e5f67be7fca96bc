/**
 * The nesting limit on request bodies and on the objects patches produce. Everything that walks
 * an object recursively (defaulting, validation, managed fields, strategic merge) is safe because
 * nothing deeper than `maxDepth` gets past decoding or patching.
 */
import { ApiError } from '../api/index.js';

/** Deepest nesting of objects and arrays accepted (Kubernetes objects are far shallower). */
export const maxDepth = 100;

/**
 * Managed fields mirror the object's structure five levels further down
 * (`metadata.managedFields[i].fieldsV1`, plus one level for each leaf), so they get that much more.
 */
const managedFieldsAllowance = 5;

export function tooDeep(): ApiError {
  return new ApiError('BadRequest', `the request body is nested deeper than ${maxDepth} levels`);
}

/**
 * Scans JSON text and throws as soon as its nesting passes `maxDepth`, before anything is
 * parsed: one pass over the characters, constant memory. Text that is not JSON is left for
 * `JSON.parse` to reject.
 */
export function scanJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw tooDeep();
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

/** Rejects decoded values nested deeper than `maxDepth` (iteratively: any depth is safe to check). */
export function checkDepth(v: unknown): unknown {
  if (depthExceeded(v, () => maxDepth)) throw tooDeep();
  return v;
}

/**
 * The nesting limit applied to the object every patch produces (JSON, merge, strategic, apply):
 * 422 Invalid on the `patch` field, as Kubernetes answers a patch whose result does not decode.
 */
export function checkPatchedDepth(obj: unknown): void {
  const limit = (path: readonly string[]): number =>
    path[0] === 'metadata' && path[1] === 'managedFields' ? maxDepth + managedFieldsAllowance : maxDepth;
  if (!depthExceeded(obj, limit)) return;
  const message = `the patched object is nested deeper than ${maxDepth} levels`;
  throw new ApiError('Invalid', message, { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] });
}

/** True when some object or array sits deeper than the limit for its path (only the first two keys matter). */
function depthExceeded(root: unknown, limitFor: (path: readonly string[]) => number): boolean {
  const stack: { node: unknown; depth: number; path: readonly string[] }[] = [{ node: root, depth: 1, path: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, depth, path } = top;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limitFor(path)) return true;
    for (const [k, child] of Object.entries(node)) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1, path: path.length < 2 ? [...path, k] : path });
    }
  }
  return false;
}
