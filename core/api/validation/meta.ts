/** ObjectMeta validation: names, namespace, labels, annotations, owner references, finalizers. */
import type { FieldError } from '../errors.js';
import type { LabelSelector, ObjectMeta } from '../meta.js';
import { deepEqual } from '../helpers.js';
import { duplicate, forbidden, fromMessages, invalid, notSupported, required } from './field.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, TOTAL_ANNOTATION_SIZE_LIMIT } from './names.js';

/** Returns messages for an invalid name (empty when valid); `isDNS1123Subdomain`, `isDNS1123Label`… */
export type NameValidator = (name: string) => string[];

/** Names that must be valid URL path segments (Events, PersistentVolumes). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

export interface MetaOptions {
  namespaced: boolean;
  nameValidator?: NameValidator;
  path?: string;
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...fromMessages(path, k, isQualifiedName(k)));
    if (typeof v !== 'string') errs.push(invalid(path, v, 'label values must be strings'));
    else errs.push(...fromMessages(path, v, isValidLabelValue(v)));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...fromMessages(path, k, isQualifiedName(k.toLowerCase())));
    size += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push({ field: path, type: 'FieldValueTooLong', message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  }
  return errs;
}

function validateOwnerReferences(meta: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let controllers = 0;
  (meta.ownerReferences ?? []).forEach((r, i) => {
    const p = `${path}[${i}]`;
    if (!r.apiVersion) errs.push(invalid(`${p}.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(`${p}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(invalid(`${p}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(invalid(`${p}.uid`, r.uid ?? '', 'uid must not be empty'));
    if (r.controller) controllers++;
  });
  if (controllers > 1) errs.push(invalid(path, meta.ownerReferences?.length ?? 0, 'Only one reference can have Controller set to true'));
  return errs;
}

function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (finalizers ?? []).forEach((f, i) => {
    errs.push(...fromMessages(`${path}[${i}]`, f, isQualifiedName(f)));
    if (seen.has(f)) errs.push(duplicate(`${path}[${i}]`, f));
    seen.add(f);
  });
  return errs;
}

/** Validates `metadata` (Kubernetes `ValidateObjectMeta`). */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: MetaOptions): FieldError[] {
  const path = opts.path ?? 'metadata';
  if (!meta) return [required(path)];
  const errs: FieldError[] = [];
  const nameOk = opts.nameValidator ?? isDNS1123Subdomain;
  if (meta.generateName) {
    const prefix = meta.generateName.endsWith('-') ? `${meta.generateName.slice(0, -1)}a` : meta.generateName;
    errs.push(...fromMessages(`${path}.generateName`, meta.generateName, nameOk(prefix)));
  }
  if (!meta.name) {
    if (!meta.generateName) errs.push(required(`${path}.name`, 'name or generateName is required'));
  } else {
    errs.push(...fromMessages(`${path}.name`, meta.name, nameOk(meta.name)));
  }
  if (opts.namespaced) {
    if (!meta.namespace) errs.push(required(`${path}.namespace`));
    else errs.push(...fromMessages(`${path}.namespace`, meta.namespace, isDNS1123Label(meta.namespace)));
  } else if (meta.namespace) {
    errs.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  if (meta.generation !== undefined && meta.generation < 0) errs.push(invalid(`${path}.generation`, meta.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(meta, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return errs;
}

/** Validates a LabelSelector object (`spec.selector`): keys, values and operators. */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    errs.push(...fromMessages(`${p}.key`, e.key, isQualifiedName(e.key ?? '')));
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(notSupported(`${p}.operator`, e.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist']));
    }
    values.forEach((v, j) => errs.push(...fromMessages(`${p}.values[${j}]`, v, isValidLabelValue(v))));
  });
  return errs;
}

/** `field is immutable` when `a` and `b` differ structurally. */
export function immutable(field: string, now: unknown, before: unknown): FieldError[] {
  return deepEqual(now, before) ? [] : [invalid(field, now, 'field is immutable')];
}
