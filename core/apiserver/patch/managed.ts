/** Reading and writing `metadata.managedFields`. */
import type { ManagedFieldsEntry } from '../../api/index.js';
import { lookup } from './fieldpath.js';
import { FieldSet } from './fieldset.js';
import { isObject, type JsonObject } from './util.js';

/** One manager's ownership: a `managedFields` entry with its field set decoded. */
export interface Ownership {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

/** The managedFields of `obj`, decoded; malformed entries are skipped. */
export function readManagedFields(obj: unknown): Ownership[] {
  const meta = isObject(obj) ? obj.metadata : undefined;
  const list = isObject(meta) ? meta.managedFields : undefined;
  if (!Array.isArray(list)) return [];
  const out: Ownership[] = [];
  for (const raw of list) {
    if (!isObject(raw) || typeof raw.manager !== 'string') continue;
    const e: Ownership = { manager: raw.manager, operation: raw.operation === 'Apply' ? 'Apply' : 'Update', fields: FieldSet.fromFieldsV1(raw.fieldsV1) };
    if (typeof raw.apiVersion === 'string') e.apiVersion = raw.apiVersion;
    if (typeof raw.time === 'string') e.time = raw.time;
    if (typeof raw.subresource === 'string' && raw.subresource !== '') e.subresource = raw.subresource;
    out.push(e);
  }
  return out;
}

export function hasManagedFields(obj: unknown): boolean {
  const meta = isObject(obj) ? obj.metadata : undefined;
  return isObject(meta) && Array.isArray(meta.managedFields) && meta.managedFields.length > 0;
}

/**
 * Stores `entries` in `obj.metadata.managedFields` (in place). Paths no longer present in
 * `obj` are dropped from every entry, and entries left empty are dropped.
 */
export function writeManagedFields(obj: JsonObject, entries: readonly Ownership[]): void {
  const meta: JsonObject = isObject(obj.metadata) ? obj.metadata : {};
  obj.metadata = meta;
  const list: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    const fields = e.fields.filter((p) => lookup(obj, p).found);
    if (fields.size === 0) continue;
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation };
    if (e.apiVersion !== undefined) out.apiVersion = e.apiVersion;
    if (e.time !== undefined) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = fields.toFieldsV1();
    if (e.subresource !== undefined) out.subresource = e.subresource;
    list.push(out);
  }
  if (list.length > 0) meta.managedFields = list;
  else delete meta.managedFields;
}

/** Kubernetes' managedFields timestamp: RFC 3339 with whole seconds. */
export function managedTime(now: Date | undefined): string | undefined {
  return now?.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function sameOwner(e: Ownership, manager: string, operation: Ownership['operation'], subresource: string | undefined): boolean {
  return e.manager === manager && e.operation === operation && e.subresource === subresource;
}
