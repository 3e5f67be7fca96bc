/**
 * Kubernetes strategic merge patch (apimachinery pkg/util/strategicpatch, as the API server
 * applies it: parallel delete lists merged, unmatched nulls ignored).
 *
 * Element order follows apimachinery exactly for lists of maps (including its quirks); for
 * primitive lists with duplicates between original and patch it may differ in corner cases.
 */
import { PatchError } from './errors.js';
import { fieldSchema, itemSchema, patchMergeKey, patchStrategy, type Schema } from './schema.js';
import { indexIn, normalizeOrder } from './strategic-order.js';
import { clone, deepEqual, hasOwn, isObject, setOwn, show, type JsonObject } from './util.js';
import type { JSONSchemaProps } from '../../api/index.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER_PREFIX = '$setElementOrder/';
const DELETE_PREFIX = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch to `original` using the patch metadata in `schema`
 * (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`). Never mutates its inputs.
 * Throws `PatchError` for malformed patches (non-object patch, unknown `$patch`, a merge-list
 * element without its merge key).
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (!isObject(patch)) throw new PatchError('InvalidPatch', `a strategic merge patch must be a JSON object, got ${show(patch)}`);
  return mergeMap(isObject(original) ? clone(original) : {}, clone(patch), schema);
}

/** Merges `patch` into `original`; both are private copies and may be mutated. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) return mapDirective(patch, schema);
  applyRetainKeys(original, patch);
  applySetElementOrders(original, patch, schema);
  for (const [rawKey, pv] of Object.entries(patch)) {
    const isDeleteList = rawKey.startsWith(DELETE_PREFIX);
    const key = isDeleteList ? rawKey.slice(DELETE_PREFIX.length) : rawKey;
    const sub = fieldSchema(schema, key);
    const ov = hasOwn(original, key) ? original[key] : undefined;
    if (pv === null) delete original[key];
    else if (!hasOwn(original, key)) {
      if (!isDeleteList) setOwn(original, key, fresh(pv, sub));
    } else if (isObject(ov) && isObject(pv)) {
      setOwn(original, key, patchStrategy(sub) === 'replace' ? fresh(pv, sub) : mergeMap(ov, pv, sub));
    } else if (Array.isArray(ov) && Array.isArray(pv)) {
      setOwn(original, key, isDeleteList ? deleteFromList(ov, pv) : mergeListField(ov, pv, sub));
    } else if (!isDeleteList) setOwn(original, key, fresh(pv, sub));
  }
  return original;
}

/** A patch value for a field the original lacks: merged into an empty value, so directives and nulls drop out. */
function fresh(pv: unknown, schema: Schema): unknown {
  if (isObject(pv)) return mergeMap({}, pv, schema);
  if (Array.isArray(pv)) return mergeListField([], pv, schema);
  return pv;
}

function mapDirective(patch: JsonObject, schema: Schema): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    const rest = { ...patch };
    delete rest[DIRECTIVE];
    return mergeMap({}, rest, schema);
  }
  throw new PatchError('InvalidDirective', `unknown patch type ${show(directive)} in map ${show(patch)}`);
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const keys = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keys)) throw new PatchError('InvalidDirective', `${RETAIN_KEYS} must be a list of field names`);
  const retain = new Set(keys.map(String));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PREFIX) || k.startsWith(SET_ORDER_PREFIX)) continue;
    if (!retain.has(k)) throw new PatchError('InvalidDirective', `field "${k}" is in the patch but not in ${RETAIN_KEYS} ${show(keys)}`);
  }
  for (const k of Object.keys(original)) if (!retain.has(k)) delete original[k];
}

/** Handles each `$setElementOrder/<field>` together with its list: merges the list, then orders it. */
function applySetElementOrders(original: JsonObject, patch: JsonObject, schema: Schema): void {
  for (const [directiveKey, order] of Object.entries(patch)) {
    if (!directiveKey.startsWith(SET_ORDER_PREFIX)) continue;
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw new PatchError('InvalidDirective', `${directiveKey} must be a list`);
    const key = directiveKey.slice(SET_ORDER_PREFIX.length);
    const sub = fieldSchema(schema, key);
    const mergeKey = patchMergeKey(sub);
    const ov = hasOwn(original, key) ? original[key] : undefined;
    const pv = hasOwn(patch, key) ? patch[key] : undefined;
    const originalList = Array.isArray(ov) ? ov : undefined;
    const patchList = Array.isArray(pv) ? pv : undefined;
    if (patchList) validateOrder(patchList, order, mergeKey);
    if (!originalList && !patchList) continue;
    let result: ListMerge;
    if (originalList && patchList) result = mergeListFieldTracked(originalList, patchList, sub);
    else if (originalList) result = { merged: originalList, view: originalList };
    else result = { merged: mergeListField([], patchList ?? [], sub), view: [] };
    setOwn(original, key, normalizeOrder(result.merged, order, result.view, mergeKey));
    delete patch[key];
  }
}

/** Every non-directive patch element must appear in `$setElementOrder`, in the same relative order. */
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  const items = patchList.filter((p) => !(isObject(p) && hasOwn(p, DIRECTIVE)));
  let i = 0;
  for (const o of order) {
    const item = items[i];
    if (item === undefined) break;
    if (indexIn([o], item, mergeKey) === 0) i++;
  }
  if (i < items.length) {
    throw new PatchError('InvalidDirective', `the order in patch list ${show(patchList)} doesn't match ${SET_ORDER_PREFIX.slice(0, -1)} list ${show(order)}`);
  }
}

/**
 * A merged list plus `view`: the original list as apimachinery's `$setElementOrder` handling
 * sees it afterwards. In Go the merge deletes and appends in the original's backing array, and
 * the ordering step compares against that array; ordering results depend on it, so it is
 * reproduced here (deleted elements shift left, appended ones fill the freed slots).
 */
interface ListMerge {
  merged: unknown[];
  view: unknown[];
}

function mergeListField(original: unknown[], patch: unknown[], schema: Schema): unknown[] {
  return mergeListFieldTracked(original, patch, schema).merged;
}

function mergeListFieldTracked(original: unknown[], patch: unknown[], schema: Schema): ListMerge {
  if (patchStrategy(schema) !== 'merge') return { merged: patch, view: original };
  return mergeList(original, patch, itemSchema(schema), patchMergeKey(schema));
}

function mergeList(original: unknown[], patch: unknown[], items: Schema, mergeKey: string | undefined): ListMerge {
  if (original.length === 0 && patch.length === 0) return { merged: original, view: original };
  if (![...original, ...patch].some(isObject)) {
    const merged: unknown[] = [];
    for (const v of [...original, ...patch]) if (indexIn(merged, v, undefined) < 0) merged.push(v);
    return { merged: normalizeOrder(merged, patch, original, undefined), view: original };
  }
  if (!mergeKey) throw new PatchError('MissingMergeKey', 'cannot merge lists without a merge key');
  const special = applySpecialElements(original, patch, mergeKey);
  const merged = [...special.original];
  const view = special.view;
  for (const p of special.patch) {
    const i = indexIn(merged, p, mergeKey);
    if (i >= 0) merged[i] = mergeMap(asMap(merged[i]), p, items);
    else {
      if (merged.length < view.length) view[merged.length] = p;
      merged.push(fresh(p, items));
    }
  }
  return { merged: normalizeOrder(merged, special.patch, special.original, mergeKey), view };
}

/** Applies `$patch: delete` / `$patch: replace` list elements; returns the remaining original and patch elements. */
function applySpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: JsonObject[]; view: unknown[] } {
  const view = [...original];
  let length = original.length;
  const plain: JsonObject[] = [];
  let replace = false;
  for (const p of patch) {
    if (!isObject(p)) throw new PatchError('InvalidPatch', `list element ${show(p)} is not an object in a list merged by "${mergeKey}"`);
    const directive = p[DIRECTIVE];
    if (directive === undefined || directive === 'delete') {
      if (!hasOwn(p, mergeKey)) throw new PatchError('MissingMergeKey', `map: ${show(p)} does not contain declared merge key: ${mergeKey}`);
    }
    if (directive === undefined) plain.push(p);
    else if (directive === 'delete') {
      for (let k = indexIn(view.slice(0, length), p, mergeKey); k >= 0; k = indexIn(view.slice(0, length), p, mergeKey)) {
        view.copyWithin(k, k + 1, length);
        length--;
      }
    } else if (directive === 'replace') replace = true;
    else throw new PatchError('InvalidDirective', `unknown patch type ${show(directive)} in list element ${show(p)}`);
  }
  const remaining = view.slice(0, length);
  return replace ? { original: plain, patch: [], view } : { original: remaining, patch: plain, view };
}

function deleteFromList(original: unknown[], toDelete: unknown[]): unknown[] {
  return original.filter((o) => !toDelete.some((d) => deepEqual(d, o)));
}

function asMap(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}
