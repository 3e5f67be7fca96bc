/**
 * Element ordering for strategic merge patch, as apimachinery's `normalizeElementOrder`:
 * elements named by the patch (or by `$setElementOrder`) follow that order; elements only
 * the server has keep their relative order and are interleaved by their live position.
 */
import { deepEqual, isObject } from './util.js';

/** Index of `item` in `list`, matching maps by `mergeKey` and primitives by value; -1 if absent. */
export function indexIn(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  if (mergeKey !== undefined && isObject(item)) {
    const want = item[mergeKey];
    return list.findIndex((x) => isObject(x) && x[mergeKey] !== undefined && deepEqual(x[mergeKey], want));
  }
  return list.findIndex((x) => deepEqual(x, item));
}

/** Orders `merged` so that elements present in `patchOrder` come in that order, server-only ones by `serverOrder`. */
export function normalizeOrder(
  merged: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const patchItems = merged.filter((x) => indexIn(patchOrder, x, mergeKey) >= 0);
  const serverOnly = merged.filter((x) => indexIn(patchOrder, x, mergeKey) < 0);
  return interleave(sortBy(serverOnly, serverOrder, mergeKey), sortBy(patchItems, patchOrder, mergeKey), serverOrder, mergeKey);
}

function sortBy(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const rank = (x: unknown): number => {
    const i = indexIn(order, x, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items
    .map((x, i) => ({ x, i, r: rank(x) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((e) => e.x);
}

/**
 * Merges two ordered lists, keeping each one's relative order: a `left` (server-only) item
 * goes before the next `right` item when the live list has it earlier.
 */
function interleave(left: readonly unknown[], right: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
