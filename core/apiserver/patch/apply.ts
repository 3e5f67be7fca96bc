/**
 * Server-side apply and managed-fields tracking, after Kubernetes' structured-merge-diff.
 *
 * What is simplified, compared with Kubernetes:
 * - Conflicts are found only on leaf values (primitives, atomic lists, empty maps) whose live
 *   value differs from the applied one. Applying inside a field another manager owns as an
 *   atomic whole (e.g. an atomic map) is not a conflict here.
 * - Maps are always granular (there is no `x-kubernetes-map-type: atomic`); unknown subtrees
 *   are granular maps with atomic lists.
 * - An explicit `null` in an applied configuration sets and owns nothing.
 * - Maps and lists that removing fields leaves empty are dropped, as for Kubernetes' typed
 *   objects (structured-merge-diff nulls them); for custom resources Kubernetes keeps a null.
 * - An empty map in an applied configuration is owned as a leaf (Kubernetes owns nothing for
 *   an empty struct), so dropping it from the configuration removes it.
 * - Managers are identified by name, operation and subresource (not by apiVersion), and
 *   there is no managedFields size capping or per-version conversion of field sets.
 */
import type { JSONSchemaProps } from '../../api/index.js';
import { dropNulls, mergeApplied } from './apply-merge.js';
import type { ApplyConflict } from './conflicts.js';
import { formatPath, lookup, removeAndPrune } from './fieldpath.js';
import { FieldSet } from './fieldset.js';
import { changedFields, defaultListKeys, fieldSetOf, type Scope } from './fieldwalk.js';
import { hasManagedFields, managedTime, readManagedFields, sameOwner, writeManagedFields, type Ownership } from './managed.js';
import { clone, deepEqual, isObject, type JsonObject } from './util.js';

export interface ApplyOptions {
  /** Take ownership of conflicting fields instead of reporting them (`--force-conflicts`). */
  force?: boolean;
  /** The time recorded in the manager's entry; omitted when absent. */
  now?: Date;
  /** `status` when applying to the status subresource (only `status` is applied); else the main resource (`status` ignored). */
  subresource?: 'status';
}

export interface ApplyResult {
  /** The new object, with `metadata.managedFields` updated; the unchanged live object when there are unforced conflicts. */
  object: JsonObject;
  /** Fields owned by other managers that the applied configuration would change. Empty on success or when forced. */
  conflicts: ApplyConflict[];
}

/**
 * Applies `applied` (a partial object: the fields `manager` wants to own) to `live` (undefined
 * when creating). Fields in `applied` are set; fields `manager` applied before but no longer
 * applies are removed unless another manager owns them. Never mutates its inputs; the caller
 * turns non-empty `conflicts` into a 409 with `conflictError`.
 */
export function serverSideApply(
  live: JsonObject | undefined,
  applied: JsonObject,
  manager: string,
  schema: JSONSchemaProps | undefined,
  opts: ApplyOptions = {},
): ApplyResult {
  const scope: Scope = opts.subresource === 'status' ? 'status' : 'main';
  const config = defaultListKeys(scopedConfig(applied, scope), schema) as JsonObject;
  const appliedSet = fieldSetOf(config, schema, scope, true);
  const entries = initialEntries(live, schema, scope);
  const isMine = (e: Ownership): boolean => sameOwner(e, manager, 'Apply', opts.subresource);
  const others = entries.filter((e) => !isMine(e));

  const found = findConflicts(live, config, appliedSet, others);
  if (found.length > 0 && !opts.force) return { object: clone(live ?? {}), conflicts: found.map((c) => c.conflict) };
  for (const c of found) c.owner.fields = c.owner.fields.minus(new FieldSet([c.path]));

  const object = mergeApplied(live ?? {}, config, schema) as JsonObject;
  const previous = entries.find(isMine)?.fields ?? new FieldSet();
  const ownedByOthers = others.reduce((acc, e) => acc.union(e.fields), new FieldSet());
  for (const p of previous.minus(appliedSet).paths()) {
    if (!ownedByOthers.hasAtOrBelow(p) && !appliedSet.hasAtOrBelow(p)) removeAndPrune(object, p);
  }

  const mine: Ownership = { manager, operation: 'Apply', fields: appliedSet };
  if (typeof applied.apiVersion === 'string') mine.apiVersion = applied.apiVersion;
  const time = managedTime(opts.now);
  if (time !== undefined) mine.time = time;
  if (opts.subresource) mine.subresource = opts.subresource;
  const index = entries.findIndex(isMine);
  writeManagedFields(object, index >= 0 ? entries.map((e, i) => (i === index ? mine : e)) : [...entries, mine]);
  return { object, conflicts: [] };
}

export interface UpdateOptions {
  now?: Date;
  /** The subresource written through, recorded in the entry: `status` (only status is tracked) or e.g. `scale`. */
  subresource?: string;
}

/**
 * Records a non-apply write (create, update, patch) from `before` (undefined on create) to
 * `after` by `manager` as an `Update` entry owning every field the write set or changed;
 * those fields leave other managers' sets (updates never conflict). Fields the write removed
 * leave every set. Returns a copy of `after` with `metadata.managedFields` updated; if the
 * write omitted managedFields, those of `before` are carried over.
 */
export function recordUpdateManager(
  before: JsonObject | undefined,
  after: JsonObject,
  manager: string,
  schema: JSONSchemaProps | undefined,
  opts: UpdateOptions = {},
): JsonObject {
  const scope: Scope = opts.subresource === 'status' ? 'status' : 'main';
  const object = clone(after);
  const entries = readManagedFields(hasManagedFields(after) ? after : before);
  const changed = changedFields(before, after, schema, scope);
  if (changed.size > 0) {
    for (const e of entries) e.fields = e.fields.minus(changed);
    const existing = entries.find((e) => sameOwner(e, manager, 'Update', opts.subresource));
    const mine: Ownership = existing ?? { manager, operation: 'Update', fields: new FieldSet() };
    mine.fields = mine.fields.union(changed);
    if (typeof after.apiVersion === 'string') mine.apiVersion = after.apiVersion;
    const time = managedTime(opts.now);
    if (time !== undefined) mine.time = time;
    if (opts.subresource) mine.subresource = opts.subresource;
    if (!existing) entries.push(mine);
  }
  writeManagedFields(object, entries);
  return object;
}

/** The part of an applied configuration this apply acts on, without nulls or managedFields. */
function scopedConfig(applied: JsonObject, scope: Scope): JsonObject {
  const config = dropNulls(applied) as JsonObject;
  if (scope === 'status') return isObject(config.status) ? { status: config.status } : {};
  delete config.status;
  if (isObject(config.metadata)) delete config.metadata.managedFields;
  return config;
}

/** Live ownership; an object never managed before is owned by `before-first-apply`, as in Kubernetes. */
function initialEntries(live: JsonObject | undefined, schema: JSONSchemaProps | undefined, scope: Scope): Ownership[] {
  if (!live) return [];
  if (hasManagedFields(live)) return readManagedFields(live);
  const fields = fieldSetOf(live, schema, scope);
  if (fields.size === 0) return [];
  const entry: Ownership = { manager: 'before-first-apply', operation: 'Update', fields };
  if (typeof live.apiVersion === 'string') entry.apiVersion = live.apiVersion;
  return [entry];
}

interface FoundConflict {
  conflict: ApplyConflict;
  owner: Ownership;
  path: readonly string[];
}

function findConflicts(live: JsonObject | undefined, config: JsonObject, appliedSet: FieldSet, others: Ownership[]): FoundConflict[] {
  const out: FoundConflict[] = [];
  if (!live) return out;
  for (const p of appliedSet.paths()) {
    if (appliedSet.hasBelow(p)) continue;
    const current = lookup(live, p);
    if (!current.found || deepEqual(current.value, lookup(config, p).value)) continue;
    for (const owner of others) {
      if (!owner.fields.has(p)) continue;
      const conflict: ApplyConflict = { manager: owner.manager, operation: owner.operation, field: formatPath(p) };
      if (owner.apiVersion !== undefined && owner.operation === 'Update') conflict.apiVersion = owner.apiVersion;
      if (owner.subresource !== undefined) conflict.subresource = owner.subresource;
      out.push({ conflict, owner, path: p });
    }
  }
  const order = (c: FoundConflict): string => `${c.conflict.manager}\u0000${c.conflict.field}`;
  return out.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}
