/**
 * The routes of one host: an exact-path map, a trie of prefix path segments and a (usually empty) regex list.
 * Built by `HostRoutesBuilder`, then only read: a lookup costs one map probe plus one step per path segment,
 * whatever the number of rules.
 */
import type { RouteMatch } from './types.js';

export interface TrieNode {
  readonly children: ReadonlyMap<string, TrieNode>;
  readonly route: RouteMatch | undefined;
  /** Length of the rule path this node stands for (`/` → 1, `/a/bc` → 5): ranks it against regex routes. */
  readonly length: number;
}

export interface HostRoutes {
  readonly exact: ReadonlyMap<string, RouteMatch>;
  readonly prefix: TrieNode;
  /** Longest rule path first, as ingress-nginx orders its locations. */
  readonly regexes: readonly RouteMatch[];
  /** Where a request for this host lands when no path matches. */
  readonly defaultRoute: RouteMatch | undefined;
}

/** Splits a normalised path into its non-empty segments. */
export function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** The best route of `routes` for `path` (already normalised), following the precedence documented in table.ts. */
export function matchPath(routes: HostRoutes, path: string): RouteMatch | undefined {
  const exact = routes.exact.get(path);
  if (exact !== undefined) return exact;
  let best: TrieNode | undefined = routes.prefix.route !== undefined ? routes.prefix : undefined;
  let node: TrieNode | undefined = routes.prefix;
  // The segments of `path`, walked in place (no array per request); empty segments are skipped as in segments().
  for (let start = 0; start < path.length && node.children.size > 0;) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    if (end > start) {
      node = node.children.get(path.slice(start, end));
      if (node === undefined) break;
      if (node.route !== undefined) best = node;
    }
    start = end + 1;
  }
  const bestLength = best?.length ?? 0;
  for (const r of routes.regexes) {
    if (r.path.length <= bestLength) break;
    const m = r.regex?.exec(path);
    if (m !== null && m !== undefined) return Object.freeze({ ...r, captures: Object.freeze(m.slice(1).map((c) => c ?? '')) });
  }
  return best?.route;
}

interface MutableNode {
  children: Map<string, MutableNode>;
  route: RouteMatch | undefined;
  length: number;
}

/** Collects one host's routes during a build; `freeze()` hands back the read-only form. */
export class HostRoutesBuilder {
  readonly exact = new Map<string, RouteMatch>();
  readonly #root: MutableNode = { children: new Map(), route: undefined, length: 1 };
  readonly #regexes: RouteMatch[] = [];
  readonly #regexKeys = new Map<string, RouteMatch>();
  defaultRoute: RouteMatch | undefined;

  /** The route already at prefix `path`, if any. */
  prefixAt(path: string): RouteMatch | undefined {
    let node: MutableNode | undefined = this.#root;
    for (const seg of segments(path)) {
      node = node.children.get(seg);
      if (node === undefined) return undefined;
    }
    return node.route;
  }

  setPrefix(path: string, route: RouteMatch): void {
    let node = this.#root;
    for (const seg of segments(path)) {
      let next = node.children.get(seg);
      if (next === undefined) {
        next = { children: new Map(), route: undefined, length: node.length === 1 ? 1 + seg.length : node.length + 1 + seg.length };
        node.children.set(seg, next);
      }
      node = next;
    }
    node.route = route;
  }

  regexAt(path: string): RouteMatch | undefined {
    return this.#regexKeys.get(path);
  }

  addRegex(route: RouteMatch): void {
    this.#regexKeys.set(route.path, route);
    this.#regexes.push(route);
  }

  /** Replaces a route (used to attach a canary); `old` must be in this builder. */
  replace(old: RouteMatch, next: RouteMatch, path: string): void {
    if (this.exact.get(path) === old) this.exact.set(path, next);
    if (this.prefixAt(path) === old) this.setPrefix(path, next);
    const i = this.#regexes.indexOf(old);
    if (i >= 0) {
      this.#regexes[i] = next;
      this.#regexKeys.set(old.path, next);
    }
  }

  freeze(): HostRoutes {
    const regexes = [...this.#regexes].sort((a, b) => b.path.length - a.path.length);
    return Object.freeze({
      exact: this.exact,
      prefix: freezeNode(this.#root),
      regexes: Object.freeze(regexes),
      defaultRoute: this.defaultRoute,
    });
  }
}

function freezeNode(n: MutableNode): TrieNode {
  const children = new Map<string, TrieNode>();
  for (const [k, v] of n.children) children.set(k, freezeNode(v));
  return Object.freeze({ children, route: n.route, length: n.length });
}
