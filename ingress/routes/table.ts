/** The immutable route table: host → paths → backend. */
import { normalizeHost, wildcardSuffix } from './host.js';
import { matchPath, type HostRoutes } from './host-routes.js';
import { lookupTls, type TlsIndex } from './tls.js';
import type { RouteMatch, TlsCertificate } from './types.js';

/** What the proxy answers when `lookup` returns undefined (ingress-nginx's default backend). */
export const DEFAULT_NOT_FOUND = Object.freeze({ status: 404, body: 'default backend - 404\n' });

export interface RouteTableParts {
  readonly exactHosts: ReadonlyMap<string, HostRoutes>;
  /** Keyed by the suffix after `*.`. */
  readonly wildcardHosts: ReadonlyMap<string, HostRoutes>;
  /** Rules without a host, plus the catch-all default backend. */
  readonly anyHost: HostRoutes | undefined;
  readonly tls: TlsIndex;
  readonly routeCount: number;
}

/**
 * Immutable after construction: no method mutates it and every route it hands out is frozen.
 *
 * Host: the exact host's rules, else the one-label wildcard's, else the rules without host. Once a host's
 * rules are chosen, a request that matches none of their paths goes to that host's default backend (the
 * `spec.defaultBackend` of the oldest Ingress defining the host that has one) — it does not fall through to
 * wildcard or host-less rules, as in ingress-nginx, where each host is its own server block.
 *
 * Path: an `Exact` match; else the longest `Prefix` (ImplementationSpecific counts as Prefix) match by `/`
 * elements; regex routes (ImplementationSpecific with `use-regex` or `rewrite-target`) are tried longest rule
 * path first and win only when their rule path is longer than the best prefix match's.
 */
export class RouteTable {
  readonly #parts: RouteTableParts;

  constructor(parts: RouteTableParts) {
    this.#parts = parts;
    Object.freeze(this);
  }

  /** Number of routable (host, path) entries, default backends excluded. */
  get size(): number {
    return this.#parts.routeCount;
  }

  /**
   * The route for a request. `host` is the raw Host header (port, case and trailing dot do not matter);
   * `normalizedPath` is `normalizePath(...).path`. Undefined → answer `DEFAULT_NOT_FOUND`.
   */
  lookup(host: string | undefined, normalizedPath: string): RouteMatch | undefined {
    const routes = this.#hostRoutes(normalizeHost(host));
    if (routes === undefined) return undefined;
    return matchPath(routes, normalizedPath) ?? routes.defaultRoute;
  }

  /** The certificate to present for SNI name `host` (exact, else one-label wildcard). */
  tlsFor(host: string): TlsCertificate | undefined {
    return lookupTls(this.#parts.tls, host);
  }

  /** Whether `host` has TLS configured (drives `ssl-redirect`). */
  hasTls(host: string): boolean {
    return this.tlsFor(host) !== undefined;
  }

  #hostRoutes(host: string): HostRoutes | undefined {
    if (host !== '') {
      const exact = this.#parts.exactHosts.get(host);
      if (exact !== undefined) return exact;
      const suffix = wildcardSuffix(host);
      const wild = suffix === undefined ? undefined : this.#parts.wildcardHosts.get(suffix);
      if (wild !== undefined) return wild;
    }
    return this.#parts.anyHost;
  }
}
