/** RFC 6902 JSON patch. */
import { PatchError } from './errors.js';
import { arrayIndex, getAt, parsePointer, resolveParent } from './json-pointer.js';
import { clone, copyJson, deepEqual, isObject, setOwn, show, type JsonObject } from './util.js';

type OpName = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
interface Op {
  op: OpName;
  path: string;
  value?: unknown;
  from?: string;
}

const opNames: ReadonlySet<string> = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Kubernetes' cap on operations in one JSON patch (`maxJSONPatchOperations`). */
const maxOperations = 10000;

/** Kubernetes' default cap on the bytes all `copy` operations of one patch may add (`JSONPatchMaxCopyBytes`, 3 MiB). */
export const defaultMaxCopyBytes = 3 * 1024 * 1024;

export interface JsonPatchOptions {
  /** Total JSON size all `copy` operations together may add (default `defaultMaxCopyBytes`). */
  maxCopyBytes?: number;
}

/**
 * Applies an RFC 6902 patch (an array of operations) and returns the new document.
 * Operations apply in order and atomically: the first failure throws a `PatchError`
 * and no partial result escapes. Never mutates `original` or `ops`. Only `copy` can make a
 * document grow faster than the patch itself (each copy may double it), so copies are
 * metered as they are made and stopped the moment their total passes `maxCopyBytes`.
 * Nothing here recurses over the document, so any nesting a patch builds is safe to hand
 * back for the caller's depth check.
 */
export function applyJsonPatch(original: unknown, ops: unknown, opts: JsonPatchOptions = {}): unknown {
  const parsed = decodeOps(ops);
  // The document is wrapped so that operations on the root ("") are ordinary member writes.
  const root: JsonObject = { doc: clone(original) };
  const copies = { limit: opts.maxCopyBytes ?? defaultMaxCopyBytes, total: 0 };
  for (const op of parsed) applyOp(root, op, copies);
  return root.doc;
}

function decodeOps(ops: unknown): Op[] {
  if (!Array.isArray(ops)) throw new PatchError('InvalidPatch', 'a JSON patch must be an array of operations');
  if (ops.length > maxOperations) {
    throw new PatchError('TooManyOperations', `Request entity too large: The allowed maximum operations in a JSON patch is ${maxOperations}, got ${ops.length}`);
  }
  return ops.map((raw: unknown, i) => {
    if (!isObject(raw)) throw new PatchError('InvalidOperation', `operation ${i} is not an object`);
    const { op, path, from } = raw;
    if (typeof op !== 'string' || !opNames.has(op)) throw new PatchError('InvalidOperation', `operation ${i}: invalid op ${show(op)}`);
    if (typeof path !== 'string') throw new PatchError('InvalidOperation', `operation ${i} (${op}): missing "path"`);
    const needsValue = op === 'add' || op === 'replace' || op === 'test';
    if (needsValue && !Object.prototype.hasOwnProperty.call(raw, 'value')) {
      throw new PatchError('InvalidOperation', `operation ${i} (${op}): missing "value"`);
    }
    if ((op === 'move' || op === 'copy') && typeof from !== 'string') {
      throw new PatchError('InvalidOperation', `operation ${i} (${op}): missing "from"`);
    }
    const out: Op = { op: op as OpName, path };
    if (needsValue) out.value = raw.value;
    if (typeof from === 'string') out.from = from;
    return out;
  });
}

interface CopyBudget { limit: number; total: number }

function applyOp(root: JsonObject, op: Op, copies: CopyBudget): void {
  const from = op.from ?? '';
  switch (op.op) {
    case 'add':
      return add(root, op.path, clone(op.value));
    case 'remove':
      remove(root, op.path);
      return;
    case 'replace':
      remove(root, op.path);
      return add(root, op.path, clone(op.value));
    case 'move': {
      if (op.path !== from && op.path.startsWith(`${from}/`)) {
        throw new PatchError('InvalidPath', `cannot move "${from}" into its own child "${op.path}"`);
      }
      return add(root, op.path, remove(root, from));
    }
    case 'copy':
      return add(root, op.path, meteredCopy(getAt(root, rooted(from), from), copies));
    case 'test': {
      const actual = getAt(root, rooted(op.path), op.path);
      if (!deepEqual(actual, op.value)) {
        throw new PatchError('TestFailed', `test failed: value at "${op.path}" is ${show(actual)}, expected ${show(op.value)}`);
      }
    }
  }
}

/** Copies `v`, adding its JSON size to the patch's copy total; throws as soon as the total passes the limit. */
function meteredCopy(v: unknown, copies: CopyBudget): unknown {
  return copyJson(v, (bytes) => {
    copies.total += bytes;
    if (copies.total > copies.limit) {
      throw new PatchError('CopyTooLarge', `Unable to complete the copy, the accumulated size increase of copy is ${copies.total}, exceeding the limit ${copies.limit}`);
    }
  });
}

/** The tokens of `pointer` inside the `{ doc }` wrapper. */
const rooted = (pointer: string): string[] => ['doc', ...parsePointer(pointer)];

function add(root: JsonObject, pointer: string, value: unknown): void {
  const tokens = rooted(pointer);
  const parent = resolveParent(root, tokens, pointer);
  const last = tokens[tokens.length - 1] ?? '';
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true, pointer), 0, value);
  else setOwn(parent, last, value);
}

function remove(root: JsonObject, pointer: string): unknown {
  if (pointer === '') {
    const v = root.doc;
    root.doc = null;
    return v;
  }
  const tokens = rooted(pointer);
  const parent = resolveParent(root, tokens, pointer);
  const last = tokens[tokens.length - 1] ?? '';
  if (Array.isArray(parent)) return parent.splice(arrayIndex(last, parent.length, false, pointer), 1)[0];
  if (!Object.prototype.hasOwnProperty.call(parent, last)) throw new PatchError('PathNotFound', `path "${pointer}" not found`);
  const v = parent[last];
  delete parent[last];
  return v;
}
