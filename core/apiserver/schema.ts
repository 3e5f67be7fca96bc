/**
 * Structural schema checking for request bodies: unknown fields (for fieldValidation) and
 * wrong types (400). Local to the API server until core/api exports `checkSchema`.
 */
import type { FieldError, JSONSchemaProps } from '../api/index.js';

export interface SchemaReport {
  /** Dotted paths of fields the schema does not know, e.g. `spec.foo`. */
  unknownFields: string[];
  /** Wrong types and structural violations, with field paths. */
  errors: FieldError[];
}

/** ObjectMeta's fields: `metadata` is checked against these whatever the kind's schema says. */
const metaFields: Record<string, JSONSchemaProps> = {
  name: { type: 'string' }, generateName: { type: 'string' }, namespace: { type: 'string' }, uid: { type: 'string' },
  resourceVersion: { type: 'string' }, generation: { type: 'integer' }, creationTimestamp: { type: 'string', nullable: true },
  deletionTimestamp: { type: 'string', nullable: true }, deletionGracePeriodSeconds: { type: 'integer' },
  labels: { type: 'object', additionalProperties: { type: 'string' } },
  annotations: { type: 'object', additionalProperties: { type: 'string' } },
  ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  finalizers: { type: 'array', items: { type: 'string' } },
  managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  selfLink: { type: 'string' },
};
const metaSchema: JSONSchemaProps = { type: 'object', properties: metaFields };

/**
 * Checks `obj` against `schema`. With `prune`, unknown fields are removed from `obj` in place
 * (fieldValidation=Ignore/Warn); otherwise `obj` is not modified.
 */
export function checkSchema(obj: unknown, schema: JSONSchemaProps, opts: { prune?: boolean } = {}): SchemaReport {
  const report: SchemaReport = { unknownFields: [], errors: [] };
  const root: JSONSchemaProps = { ...schema, properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...schema.properties, metadata: metaSchema } };
  walk(obj, root, '', report, opts.prune ?? false);
  return report;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeOk(v: unknown, s: JSONSchemaProps): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (s.type) {
    case undefined: return true;
    case 'object': return typeof v === 'object' && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isSafeInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
  }
}

function walk(v: unknown, s: JSONSchemaProps, path: string, report: SchemaReport, prune: boolean): void {
  if (v === null) return; // Kubernetes decodes null as "unset" for every field.
  if (!typeOk(v, s)) {
    const want = s['x-kubernetes-int-or-string'] ? 'integer or string' : String(s.type);
    report.errors.push({ field: path || '<root>', type: 'FieldValueTypeInvalid', message: `Invalid value: "${typeName(v)}": ${path || 'body'} in body must be of type ${want}` });
    return;
  }
  if (s.enum && !s.enum.some((e) => e === v)) {
    report.errors.push({ field: path, type: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(v)}: supported values: ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (Array.isArray(v)) {
    const items = s.items;
    if (items) v.forEach((item, i) => walk(item, items, `${path}[${i}]`, report, prune));
    return;
  }
  if (typeof v === 'object') walkObject(v as Record<string, unknown>, s, path, report, prune);
}

function walkObject(o: Record<string, unknown>, s: JSONSchemaProps, path: string, report: SchemaReport, prune: boolean): void {
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const freeForm = s.type === undefined && s.properties === undefined && s.additionalProperties === undefined;
  for (const key of Object.keys(o)) {
    const value = o[key];
    const sub = s.properties?.[key]
      ?? (embedded && key === 'metadata' ? metaSchema : undefined)
      ?? (embedded && (key === 'apiVersion' || key === 'kind') ? { type: 'string' as const } : undefined)
      ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (sub) {
      walk(value, sub, join(path, key), report, prune);
      continue;
    }
    if (preserve || freeForm || s.additionalProperties === true) continue;
    report.unknownFields.push(join(path, key));
    if (prune) delete o[key];
  }
}
