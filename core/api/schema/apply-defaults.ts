/** Structural defaulting: fills `default` values from a schema into an object (as CRDs are defaulted). */
import type { JSONSchemaProps } from '../kinds/other.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * CRD-style defaulting, in place: `null` in a non-nullable property is pruned first (as the
 * apiextensions server does), then missing properties that declare a `default` are filled,
 * recursively. Never overwrites a value.
 */
export function applySchemaDefaults(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const item of value) applySchemaDefaults(item, schema.items);
    return;
  }
  if (!isRecord(value)) return;
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    if (value[k] === null && !prop.nullable) delete value[k];
    if (value[k] === undefined && prop.default !== undefined) value[k] = structuredClone(prop.default);
    applySchemaDefaults(value[k], prop);
  }
  if (isRecord(schema.additionalProperties)) {
    const extra = schema.additionalProperties;
    for (const [k, v] of Object.entries(value)) if (!(schema.properties && k in schema.properties)) applySchemaDefaults(v, extra);
  }
}
