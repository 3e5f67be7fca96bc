/** Removing unknown fields reported by core/api's `checkSchema` (fieldValidation Warn/Ignore drop them). */
import { isPlainObject } from './decode.js';

/** Splits `spec.a[0].b` / `metadata.labels[x]` into tokens; bracketed tokens are marked. */
function tokens(path: string): { key: string; bracket: boolean }[] {
  const out: { key: string; bracket: boolean }[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push({ key: m[1], bracket: false });
    else out.push({ key: m[2] ?? '', bracket: true });
  }
  return out;
}

/** Deletes each field named by a dotted path from `obj`, in place; paths that name nothing are ignored. */
export function pruneFields(obj: unknown, paths: readonly string[]): void {
  for (const path of paths) {
    const toks = tokens(path);
    const last = toks.pop();
    if (!last) continue;
    let cur: unknown = obj;
    for (const t of toks) {
      if (Array.isArray(cur) && t.bracket) cur = cur[Number(t.key)];
      else if (isPlainObject(cur)) cur = cur[t.key];
      else cur = undefined;
    }
    if (isPlainObject(cur)) delete cur[last.key];
  }
}
