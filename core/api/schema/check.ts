/**
 * Structural-schema checking: unknown fields (as `fieldValidation=Strict` reports them) and
 * type/format/enum/range errors, for built-in kinds and CRD `openAPIV3Schema`s alike.
 */
import type { FieldError } from '../errors.js';
import type { JSONSchemaProps } from '../kinds/other.js';

export interface CheckSchemaOptions {
  /** Prefix for reported paths (default none: `spec.replicas`). */
  path?: string;
  /**
   * Treat `null` in a named field as "unset" even where the schema is not `nullable`: how
   * built-in kinds decode, and what CRDs do after pruning nulls of non-nullable fields. Null
   * list items and map values stay type errors (unless `nullable`).
   */
  nullAsUnset?: boolean;
  /**
   * Report missing `required` properties. Default: true, except with `nullAsUnset` (built-in
   * decoding), where Kubernetes' decoder never enforces `required` and semantic validation reports
   * the missing field as a 422 instead.
   */
  enforceRequired?: boolean;
  /** Check string formats (`date-time`, `byte`, `int32`, `int64`); CRD validation turns this on. */
  checkFormats?: boolean;
  /** At the root, always allow `apiVersion`, `kind` and `metadata` (CRD instances). */
  allowObjectRoot?: boolean;
  /**
   * Report at most this many unknown fields (default 100, as Kubernetes' strict decoder caps
   * them); with `pruneUnknown`, every unknown field is removed all the same.
   */
  maxUnknown?: number;
  /** Delete every unknown field from `obj` in place while checking (fieldValidation Warn/Ignore). */
  pruneUnknown?: boolean;
}

export interface SchemaCheckResult {
  /** Paths such as `spec.template.spec.containers[0].imagePullPolice`. */
  unknownFields: string[];
  errors: FieldError[];
}

interface Ctx {
  opts: CheckSchemaOptions;
  unknown: string[];
  errors: FieldError[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));

function typeError(ctx: Ctx, path: string, value: unknown, want: string): void {
  ctx.errors.push({
    field: path,
    type: 'FieldValueTypeInvalid',
    message: `Invalid value: ${show(typeName(value))}: ${path} in body must be of type ${want}: ${show(typeName(value))}`,
  });
}

function checkType(ctx: Ctx, s: JSONSchemaProps, path: string, v: unknown): boolean {
  if (s['x-kubernetes-int-or-string']) {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return true;
    if (s.format === 'quantity' && typeof v === 'number' && Number.isFinite(v)) return true;
    typeError(ctx, path, v, 'integer or string');
    return false;
  }
  const t = s.type;
  if (t === undefined) return true;
  const ok = t === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
    : t === 'array' ? Array.isArray(v)
      : t === 'integer' ? typeof v === 'number' && Number.isInteger(v)
        : t === 'number' ? typeof v === 'number' && Number.isFinite(v)
          : typeof v === t;
  if (!ok) typeError(ctx, path, v, t);
  return ok;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const FORMATS: Record<string, (v: unknown) => boolean> = {
  'date-time': (v) => typeof v !== 'string' || RFC3339.test(v),
  date: (v) => typeof v !== 'string' || /^\d{4}-\d{2}-\d{2}$/.test(v),
  byte: (v) => typeof v !== 'string' || BASE64.test(v),
  int32: (v) => typeof v !== 'number' || (v >= -(2 ** 31) && v <= 2 ** 31 - 1),
  int64: (v) => typeof v !== 'number' || Number.isSafeInteger(v) || !Number.isInteger(v),
};

function checkFormat(ctx: Ctx, s: JSONSchemaProps, path: string, v: unknown): void {
  const ok = s.format === undefined ? undefined : FORMATS[s.format];
  if (ok && !ok(v)) {
    ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${show(v)}: ${path} in body must be of type ${s.format}: ${show(v)}` });
  }
}

function checkScalar(ctx: Ctx, s: JSONSchemaProps, path: string, v: unknown): void {
  if (ctx.opts.checkFormats) checkFormat(ctx, s, path, v);
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === v)) {
    ctx.errors.push({ field: path, type: 'FieldValueNotSupported', message: `Unsupported value: ${show(v)}: supported values: ${s.enum.map(show).join(', ')}` });
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${v}: ${path} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}` });
    }
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${v}: ${path} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}` });
    }
    if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) {
      ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${v}: ${path} in body should be a multiple of ${s.multipleOf}` });
    }
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (s.minLength !== undefined && len < s.minLength) {
      ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${show(v)}: ${path} in body should be at least ${s.minLength} chars long` });
    }
    if (s.maxLength !== undefined && len > s.maxLength) {
      ctx.errors.push({ field: path, type: 'FieldValueTooLong', message: `Too long: may not be more than ${s.maxLength} bytes` });
    }
    if (typeof s.pattern === 'string' && !safeRegex(s.pattern).test(v)) {
      ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${show(v)}: ${path} in body should match '${s.pattern}'` });
    }
  }
}

const regexCache = new Map<string, RegExp>();
function safeRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = /(?:)/;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function checkArray(ctx: Ctx, s: JSONSchemaProps, path: string, v: unknown[]): void {
  if (s.minItems !== undefined && v.length < s.minItems) {
    ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${v.length}: ${path} in body should have at least ${s.minItems} items` });
  }
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    ctx.errors.push({ field: path, type: 'FieldValueTooMany', message: `Too many: ${v.length}: must have at most ${s.maxItems} items` });
  }
  if (s.uniqueItems || s['x-kubernetes-list-type'] === 'set') {
    const seen = new Set<string>();
    v.forEach((item, i) => {
      const k = JSON.stringify(item);
      if (seen.has(k)) ctx.errors.push({ field: `${path}[${i}]`, type: 'FieldValueDuplicate', message: `Duplicate value: ${show(item)}` });
      seen.add(k);
    });
  }
  const items = s.items;
  v.forEach((item, i) => walk(ctx, items, `${path}[${i}]`, item, false, true));
}

const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function checkObject(ctx: Ctx, s: JSONSchemaProps, path: string, v: Record<string, unknown>, isRoot: boolean): void {
  const enforce = ctx.opts.enforceRequired ?? !(ctx.opts.nullAsUnset ?? false);
  for (const r of enforce && Array.isArray(s.required) ? s.required : []) {
    if (typeof r !== 'string') continue;
    if (v[r] === undefined || (v[r] === null && (ctx.opts.nullAsUnset ?? false))) {
      ctx.errors.push({ field: join(path, r), type: 'FieldValueRequired', message: 'Required value' });
    }
  }
  checkFields(ctx, s, path, v, isRoot);
  // Counted after pruning, as Kubernetes validates the pruned object.
  const count = Object.keys(v).length;
  if (s.minProperties !== undefined && count < s.minProperties) {
    ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${count}: ${path} in body should have at least ${s.minProperties} properties` });
  }
  if (s.maxProperties !== undefined && count > s.maxProperties) {
    ctx.errors.push({ field: path, type: 'FieldValueTooMany', message: `Too many: ${count}: must have at most ${s.maxProperties} items` });
  }
}

/** Walks each field; unknown ones are reported (up to `maxUnknown`) and, with `pruneUnknown`, deleted. */
function checkFields(ctx: Ctx, s: JSONSchemaProps, path: string, v: Record<string, unknown>, isRoot: boolean): void {
  const props = isRecord(s.properties) ? s.properties : {};
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true || (isRoot && (ctx.opts.allowObjectRoot ?? false));
  const extra = s.additionalProperties;
  for (const k of Object.keys(v)) {
    // Own properties only: a field named `constructor` or `__proto__` is as unknown as any other.
    const p = Object.prototype.hasOwnProperty.call(props, k) ? props[k] : undefined;
    if (p) {
      walk(ctx, p, join(path, k), v[k]);
    } else if (typeof extra === 'object') {
      walk(ctx, extra, path === '' ? k : `${path}[${k}]`, v[k], false, true);
    } else if (extra === true || preserve) {
      continue;
    } else if (embedded && ROOT_FIELDS.has(k)) {
      if (k === 'metadata' && (typeof v[k] !== 'object' || v[k] === null || Array.isArray(v[k]))) typeError(ctx, join(path, k), v[k], 'object');
      else if (k !== 'metadata' && typeof v[k] !== 'string') typeError(ctx, join(path, k), v[k], 'string');
    } else {
      if (ctx.unknown.length < (ctx.opts.maxUnknown ?? 100)) ctx.unknown.push(join(path, k));
      if (ctx.opts.pruneUnknown) delete v[k];
    }
  }
}

function checkCombinators(ctx: Ctx, s: JSONSchemaProps, path: string, v: unknown): void {
  // Sub-schemas only judge the value: they never prune it.
  const opts: CheckSchemaOptions = { ...ctx.opts, pruneUnknown: false };
  const passes = (sub: JSONSchemaProps): boolean => {
    const inner: Ctx = { opts, unknown: [], errors: [] };
    walk(inner, { ...sub, 'x-kubernetes-preserve-unknown-fields': true }, path, v);
    return inner.errors.length === 0;
  };
  for (const sub of Array.isArray(s.allOf) ? s.allOf : []) {
    const inner: Ctx = { opts, unknown: [], errors: ctx.errors };
    walk(inner, { ...sub, 'x-kubernetes-preserve-unknown-fields': true }, path, v);
  }
  if (Array.isArray(s.anyOf) && !s.anyOf.some(passes)) {
    ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${show(v)}: ${path} in body must match at least one schema (anyOf)` });
  }
  if (Array.isArray(s.oneOf) && s.oneOf.filter(passes).length !== 1) {
    ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${show(v)}: ${path} in body must match exactly one schema (oneOf)` });
  }
  if (isRecord(s.not) && passes(s.not)) {
    ctx.errors.push({ field: path, type: 'FieldValueInvalid', message: `Invalid value: ${show(v)}: ${path} in body must not match the schema (not)` });
  }
}

/** `element` marks list items and map values: `nullAsUnset` applies to named fields only. */
function walk(ctx: Ctx, s: JSONSchemaProps | undefined, path: string, v: unknown, isRoot = false, element = false): void {
  if (typeof s !== 'object' || s === null || v === undefined) return;
  if (v === null) {
    if (s.nullable || (!element && (ctx.opts.nullAsUnset ?? false))) return;
    typeError(ctx, path, v, s['x-kubernetes-int-or-string'] ? 'integer or string' : s.type ?? 'object');
    return;
  }
  if (!checkType(ctx, s, path, v)) return;
  checkScalar(ctx, s, path, v);
  if (Array.isArray(v)) checkArray(ctx, s, path, v);
  else if (typeof v === 'object') checkObject(ctx, s, path, v as Record<string, unknown>, isRoot);
  if (s.allOf || s.anyOf || s.oneOf || s.not) checkCombinators(ctx, s, path, v);
}

/**
 * Checks `obj` against a structural schema. Returns unknown-field paths (fields neither in
 * `properties` nor allowed by `additionalProperties` / `x-kubernetes-preserve-unknown-fields`;
 * the first `maxUnknown` of them) and errors for wrong types, `required`, `enum`, bounds,
 * lengths and `pattern`. One pass over `obj`, linear in its size. Never throws; mutates `obj`
 * only with `pruneUnknown`.
 */
export function checkSchema(obj: unknown, schema: JSONSchemaProps, opts: CheckSchemaOptions = {}): SchemaCheckResult {
  const ctx: Ctx = { opts, unknown: [], errors: [] };
  walk(ctx, schema, opts.path ?? '', obj, true);
  return { unknownFields: ctx.unknown, errors: ctx.errors };
}
