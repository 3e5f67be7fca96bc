/**
 * Navigation of a kind's OpenAPI schema for patching. `JSONSchemaProps` is the whole
 * object's schema; an absent schema means "no information" (unknown or
 * `x-kubernetes-preserve-unknown-fields` subtrees), where patches fall back to
 * JSON-merge-patch semantics.
 */
import type { JSONSchemaProps } from '../../api/index.js';

export type Schema = JSONSchemaProps | undefined;

/** The schema of member `key` of an object: a declared property, else `additionalProperties`. */
export function fieldSchema(schema: Schema, key: string): Schema {
  const prop = declaredField(schema, key);
  if (prop) return prop;
  const extra = schema?.additionalProperties;
  return typeof extra === 'object' ? extra : undefined;
}

/** The schema of `key` if it is a declared property (own key of `properties`), else undefined. */
export function declaredField(schema: Schema, key: string): Schema {
  const props = schema?.properties;
  return props && Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
}

/** The schema of a list's elements. */
export function itemSchema(schema: Schema): Schema {
  return schema?.items;
}

/** The strategic-merge strategy of a field: `merge`, `replace` or none (ignoring `retainKeys`). */
export function patchStrategy(schema: Schema): 'merge' | 'replace' | undefined {
  const parts = (schema?.['x-kubernetes-patch-strategy'] ?? '').split(',').map((s) => s.trim());
  if (parts.includes('merge')) return 'merge';
  if (parts.includes('replace')) return 'replace';
  return undefined;
}

export function patchMergeKey(schema: Schema): string | undefined {
  return schema?.['x-kubernetes-patch-merge-key'] || undefined;
}

/** How server-side apply treats a list: merged by keys, unioned as a set, or replaced whole. */
export type ListKind = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

/**
 * The server-side-apply list type: `x-kubernetes-list-type` (+ `-list-map-keys`) when
 * declared, else derived from the strategic-merge annotations as Kubernetes does for
 * built-in types (merge + merge key → map; merge on primitives → set).
 */
export function listKind(schema: Schema): ListKind {
  const declared = schema?.['x-kubernetes-list-type'];
  const keys = schema?.['x-kubernetes-list-map-keys'];
  if (declared === 'map' && keys && keys.length > 0) return { type: 'map', keys: [...keys] };
  if (declared === 'set') return { type: 'set' };
  if (declared === 'atomic') return { type: 'atomic' };
  if (patchStrategy(schema) === 'merge') {
    const key = patchMergeKey(schema);
    if (key) return { type: 'map', keys: [key] };
    const itemType = itemSchema(schema)?.type;
    if (itemType !== 'object' && itemType !== 'array') return { type: 'set' };
  }
  return { type: 'atomic' };
}
