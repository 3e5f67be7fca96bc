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

/** An immutable-by-convention set of field paths. */
export class FieldSet {
  private readonly byKey = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.add(p);
  }

  add(path: FieldPath): void {
    if (path.length > 0) this.byKey.set(JSON.stringify(path), [...path]);
  }

  has(path: FieldPath): boolean {
    return this.byKey.has(JSON.stringify(path));
  }

  /** True if `path` or any path below it is a member. */
  hasAtOrBelow(path: FieldPath): boolean {
    for (const p of this.byKey.values()) if (startsWith(p, path)) return true;
    return false;
  }

  /** True if some member lies strictly below `path`. */
  hasBelow(path: FieldPath): boolean {
    for (const p of this.byKey.values()) if (p.length > path.length && startsWith(p, path)) return true;
    return false;
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

function startsWith(p: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= p.length && prefix.every((el, i) => p[i] === el);
}
