/**
 * The admission pipeline every create, update and patch runs, in this order:
 *   1. null stripping, apiVersion/kind check, schema check per `fieldValidation` (unknown
 *      fields rejected with Strict, all of them dropped otherwise);
 *   2. namespace rules (body vs URL; creates: namespace exists and is not terminating);
 *   3. version conversion (autoscaling/v1 HPAs), Service address allocation;
 *   4. defaults (the kind's defaulter);
 *   5. mutating admission plugins (`ApiServerOptions.admission`, in order; main resource only,
 *      not status/scale), then defaults again if a plugin changed the object;
 *   6. creates: the kind's `prepareForCreate` (a new Pod's phase Pending and QoS class);
 *   7. semantic validation (422 with field paths).
 */
import { ApiError, apiVersionOf, checkSchema, invalid, parseApiVersion } from '../api/index.js';
import type { FieldError, KindInfo, KubeObject } from '../api/index.js';
import type { Ctx } from './context.js';
import { qualifiedResource } from './context.js';
import { isPlainObject } from './decode.js';
import { addWarnings } from './respond.js';
import { allocateServiceAddresses, isServices } from './services.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw new ApiError('BadRequest', `fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
}

/** Fills a missing apiVersion/kind from the URL; a different one is a 400. */
export function checkGvk(info: KindInfo, body: Record<string, unknown>): void {
  const want = apiVersionOf(info.group, info.version);
  if (body.apiVersion === undefined || body.apiVersion === '') body.apiVersion = want;
  if (body.kind === undefined || body.kind === '') body.kind = info.kind;
  if (typeof body.apiVersion !== 'string' || typeof body.kind !== 'string') throw new ApiError('BadRequest', 'apiVersion and kind must be strings');
  const gv = parseApiVersion(body.apiVersion);
  if (gv.group !== info.group || body.kind !== info.kind) {
    throw new ApiError('BadRequest', `the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`);
  }
  if (gv.version !== info.version) body.apiVersion = want;
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  if (!isPlainObject(body.metadata)) throw typeError(info, 'metadata', 'must be an object');
}

function typeError(info: KindInfo, field: string, message: string): ApiError {
  return new ApiError('BadRequest', `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${field}: ${message}`);
}

/** Runs the schema check, honouring fieldValidation (Strict → 400; Warn → header; Ignore → drop). */
export function applyFieldValidation(ctx: Ctx, body: Record<string, unknown>, mode: FieldValidation): void {
  // Unknown fields are rejected (Strict) or every one of them dropped; at most 100 are reported.
  const report = checkSchema(body, ctx.info.schema, { nullAsUnset: true, allowObjectRoot: ctx.info.custom === true, pruneUnknown: mode !== 'Strict' });
  const first = report.errors[0];
  if (first && ctx.info.custom) {
    // Custom resources are validated against their OpenAPI schema: 422 with every field error.
    const name = isPlainObject(body.metadata) && typeof body.metadata.name === 'string' ? body.metadata.name : '';
    throw invalid(ctx.info.kind, ctx.info.group, name, report.errors);
  }
  if (first) throw typeError(ctx.info, first.field, first.message);
  if (report.unknownFields.length === 0) return;
  if (mode === 'Strict') {
    const list = report.unknownFields.map((f) => `unknown field "${f}"`).join(', ');
    throw new ApiError('BadRequest', `strict decoding error: ${list}`);
  }
  if (mode === 'Warn') addWarnings(ctx.res, report.unknownFields.map((f) => `unknown field "${f}"`));
}

/** Namespace in the body must match the URL; a namespaced kind gets the URL's namespace. */
export function checkNamespace(ctx: Ctx, obj: KubeObject): void {
  const urlNs = ctx.path.namespace;
  const bodyNs = obj.metadata.namespace;
  if (!ctx.info.namespaced) {
    if (ctx.info.plural !== 'namespaces') delete obj.metadata.namespace;
    return;
  }
  if (urlNs === undefined) throw new ApiError('BadRequest', 'a namespace is required to create or update a namespaced resource');
  if (bodyNs !== undefined && bodyNs !== '' && bodyNs !== urlNs) {
    throw new ApiError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = urlNs;
}

/** 404 when the namespace is missing, 403 when it is terminating (creates only). */
export async function checkNamespaceOpen(ctx: Ctx, obj: KubeObject): Promise<void> {
  const ns = ctx.path.namespace;
  if (!ctx.info.namespaced || ns === undefined) return;
  let nsObj: KubeObject;
  try {
    nsObj = await ctx.deps.store.get({ group: '', plural: 'namespaces', namespaced: false }, undefined, ns);
  } catch (e) {
    if (e instanceof ApiError && e.reason === 'NotFound') {
      throw new ApiError('NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
    }
    throw e;
  }
  const phase = (nsObj.status as { phase?: string } | undefined)?.phase;
  if (nsObj.metadata.deletionTimestamp || phase === 'Terminating') {
    const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
    throw new ApiError('Forbidden', `${qualifiedResource(ctx.info)} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      { name, group: ctx.info.group, kind: ctx.info.plural });
  }
}

const nameRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function metadataErrors(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const { name, generateName } = obj.metadata;
  if (!name && !generateName) errs.push({ field: 'metadata.name', type: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
  if (name && (name.length > 253 || !nameRe.test(name))) {
    errs.push({ field: 'metadata.name', type: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` });
  }
  return errs;
}

function malformed(info: KindInfo, e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  // A defaulter or validator that trips over a malformed object: the input's fault, not a server error.
  return new ApiError('BadRequest', `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${(e as Error).message}`, undefined, { cause: e });
}

/** Runs the kind's defaulter in place. */
export function applyDefaults(info: KindInfo, obj: KubeObject): void {
  try {
    info.defaults?.(obj);
  } catch (e) {
    throw malformed(info, e);
  }
}

/** Validates; throws 422 Invalid with every field error. */
export function validateObject(info: KindInfo, obj: KubeObject, old?: KubeObject): void {
  let errs: FieldError[];
  try {
    errs = [...metadataErrors(obj), ...(info.validate?.(obj, old) ?? [])];
  } catch (e) {
    throw malformed(info, e);
  }
  if (errs.length > 0) throw invalid(info.kind, info.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
}

/** Defaults then validates; throws 422 Invalid with every field error. */
export function defaultAndValidate(info: KindInfo, obj: KubeObject, old?: KubeObject): void {
  applyDefaults(info, obj);
  validateObject(info, obj, old);
}

/** Runs the mutating admission plugins in order; returns the (possibly replaced) object and whether any changed it. */
async function runAdmission(ctx: Ctx, info: KindInfo, obj: KubeObject, old: KubeObject | undefined): Promise<{ obj: KubeObject; changed: boolean }> {
  let cur = obj;
  let changed = false;
  const meta = { group: info.group, version: info.version, kind: info.kind, plural: info.plural, namespace: info.namespaced ? ctx.path.namespace : undefined, dryRun: dryRunOf(ctx.query) };
  for (const plugin of ctx.deps.admission) {
    if (!plugin.mutate) continue;
    const before = JSON.stringify(cur);
    let out: KubeObject | undefined;
    try {
      out = await plugin.mutate(old ? 'UPDATE' : 'CREATE', structuredClone(cur), old === undefined ? undefined : structuredClone(old), meta);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError('InternalError', `Internal error occurred: admission plugin "${plugin.name}" failed: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
    }
    if (out === undefined || JSON.stringify(out) === before) continue;
    if (!isPlainObject(out) || !isPlainObject(out.metadata)) throw new ApiError('InternalError', `Internal error occurred: admission plugin "${plugin.name}" returned something that is not an object`);
    cur = out;
    changed = true;
  }
  return { obj: cur, changed };
}

/** The full pipeline from a decoded body to an object ready to store. */
export async function admit(ctx: Ctx, body: Record<string, unknown>, old?: KubeObject): Promise<KubeObject> {
  stripNulls(body);
  checkGvk(ctx.info, body);
  applyFieldValidation(ctx, body, fieldValidationOf(ctx.query));
  if (!isPlainObject(body.metadata)) body.metadata = {};
  checkNamespace(ctx, body as KubeObject);
  if (!old) await checkNamespaceOpen(ctx, body as KubeObject);
  const obj = ctx.view ? ctx.view.in(body as KubeObject, old) : (body as KubeObject);
  if (isServices(ctx)) await allocateServiceAddresses(ctx, obj, old);
  const info = ctx.view?.storage ?? ctx.info;
  applyDefaults(info, obj);
  if (ctx.path.subresource !== undefined || ctx.deps.admission.length === 0) {
    if (!old) prepareForCreate(info, obj);
    validateObject(info, obj, old);
    return obj;
  }
  const admitted = await runAdmission(ctx, info, obj, old);
  if (admitted.changed) applyDefaults(info, admitted.obj);
  if (!old) prepareForCreate(info, admitted.obj);
  validateObject(info, admitted.obj, old);
  return admitted.obj;
}

/** The kind's `prepareForCreate` (server-owned fields of a new object), in place. */
function prepareForCreate(info: KindInfo, obj: KubeObject): void {
  try {
    info.prepareForCreate?.(obj);
  } catch (e) {
    throw malformed(info, e);
  }
}

export function dryRunOf(query: URLSearchParams): boolean {
  const v = query.getAll('dryRun');
  for (const d of v) if (d !== 'All' && d !== '') throw new ApiError('BadRequest', `unsupported dryRun value "${d}": only "All" is supported`);
  return v.includes('All');
}

/** Removes null-valued object fields in place, as decoding into typed structs does (null = unset). */
export function stripNulls(v: unknown): void {
  if (Array.isArray(v)) {
    for (const item of v) stripNulls(item);
    return;
  }
  if (!isPlainObject(v)) return;
  for (const [k, child] of Object.entries(v)) {
    if (child === null) delete v[k];
    else stripNulls(child);
  }
}
