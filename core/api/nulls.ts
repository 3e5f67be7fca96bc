/**
 * Null handling for built-in kinds. Kubernetes decodes `"field": null` as the zero value (for
 * optional fields: absent), so before defaulting and validation skiff drops null-valued object
 * fields. List items are left alone (the schema check rejects null items).
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when any object field, at any depth, is `null`. */
export function hasNullFields(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasNullFields);
  if (!isRecord(v)) return false;
  for (const x of Object.values(v)) if (x === null || hasNullFields(x)) return true;
  return false;
}

/** Deletes null-valued object fields in place, recursively. */
export function dropNullFields(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) dropNullFields(x);
    return;
  }
  if (!isRecord(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (x === null) delete v[k];
    else dropNullFields(x);
  }
}

/** `v` itself when it has no null fields, else a copy without them. */
export function withoutNullFields<T>(v: T): T {
  if (!hasNullFields(v)) return v;
  const copy = structuredClone(v);
  dropNullFields(copy);
  return copy;
}
