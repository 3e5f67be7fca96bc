/**
 * Sets of field paths and their Kubernetes `FieldsV1` encoding. A path is a list of path
 * elements: `f:<field>`, `k:<json key object>` (keyed list item), `v:<json value>` (set
 * item) or `i:<index>`. In FieldsV1 each path is a nested object key; `{}` marks a member
 * leaf and `".": {}` marks a member that also has children.
 */
import { isObject } from './util.js';

export type FieldPath = readonly string[];

interface TreeNode {
  member: boolean;
  children: Map<string, TreeNode>;
}

/**
 * An immutable-by-convention set of field paths. Every proper prefix of a member is indexed,
 * so asking whether anything lies below a path costs one lookup, not a scan of the set.
 */
export class FieldSet {
  private readonly byKey = new Map<string, FieldPath>();
  /** Keys of every proper prefix of a member: the paths with something below them. */
  private readonly above = new Set<string>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.add(p);
  }

  add(path: FieldPath): void {
    if (path.length === 0) return;
    const key = keyOf(path);
    if (this.byKey.has(key)) return;
    this.byKey.set(key, [...path]);
    let prefix = '';
    for (let i = 0; i < path.length - 1; i++) {
      prefix += (i === 0 ? '' : ',') + JSON.stringify(path[i]);
      this.above.add(`[${prefix}]`);
    }
  }

  has(path: FieldPath): boolean {
    return this.byKey.has(keyOf(path));
  }

  /** True if `path` or any path below it is a member. */
  hasAtOrBelow(path: FieldPath): boolean {
    return this.has(path) || this.hasBelow(path);
  }

  /** True if some member lies strictly below `path`. */
  hasBelow(path: FieldPath): boolean {
    return path.length === 0 ? this.byKey.size > 0 : this.above.has(keyOf(path));
  }

  paths(): FieldPath[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths(), ...other.paths()]);
  }

  minus(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => !other.has(p)));
  }

  filter(keep: (p: FieldPath) => boolean): FieldSet {
    return new FieldSet(this.paths().filter(keep));
  }

  /** The `fieldsV1` object for this set. */
  toFieldsV1(): Record<string, unknown> {
    const root: TreeNode = { member: false, children: new Map() };
    for (const p of this.paths()) {
      let node = root;
      for (const el of p) {
        let next = node.children.get(el);
        if (!next) {
          next = { member: false, children: new Map() };
          node.children.set(el, next);
        }
        node = next;
      }
      node.member = true;
    }
    return encodeChildren(root);
  }

  /** Parses a `fieldsV1` object; unknown shapes are skipped rather than rejected. */
  static fromFieldsV1(v: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (node: unknown, prefix: string[]): void => {
      if (!isObject(node)) return;
      const keys = Object.keys(node);
      if (prefix.length > 0 && (keys.length === 0 || keys.includes('.'))) set.add(prefix);
      for (const k of keys) if (k !== '.') walk(node[k], [...prefix, k]);
    };
    walk(v, []);
    return set;
  }
}

function encodeChildren(node: TreeNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.member && node.children.size > 0) out['.'] = {};
  for (const k of [...node.children.keys()].sort()) {
    const child = node.children.get(k);
    if (child) out[k] = encodeChildren(child);
  }
  return out;
}

const keyOf = (path: FieldPath): string => JSON.stringify(path);
