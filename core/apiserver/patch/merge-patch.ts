/** RFC 7386 JSON merge patch. */
import { clone, isObject, hasOwn, setOwn, type JsonObject } from './util.js';

/**
 * Applies a JSON merge patch: `null` deletes a member, objects merge recursively,
 * anything else (arrays included) replaces. A non-object patch replaces the whole
 * document. Never mutates `original` or `patch`.
 */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(original) ? clone(original) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, applyMergePatch(hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}
