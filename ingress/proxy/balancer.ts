/** Endpoint choice for one request: round-robin, least_request or ewma, with cookie affinity and passive health. */
import { createHash } from 'node:crypto';
import type { LoadBalance } from '../annotations/index.js';
import type { Backend } from '../routes/types.js';
import type { Upstream, Upstreams } from './upstreams.js';

const hashCache = new Map<string, string>();

/** The affinity cookie value for an endpoint address (stable, opaque). */
export function affinityValue(address: string): string {
  let v = hashCache.get(address);
  if (v === undefined) {
    v = createHash('sha1').update(address).digest('hex').slice(0, 16);
    if (hashCache.size > 100_000) hashCache.clear();
    hashCache.set(address, v);
  }
  return v;
}

export interface PickOptions {
  readonly policy: LoadBalance;
  /** Addresses already tried by this request. */
  readonly exclude?: ReadonlySet<string>;
  /** Affinity cookie value: the endpoint it names wins when it is still there and available. */
  readonly sticky?: string;
}

export class Balancer {
  readonly #rr = new Map<string, number>();
  /** The round-robin key of each backend, so a request does not build it again. */
  readonly #keys = new WeakMap<Backend, string>();

  constructor(private readonly upstreams: Upstreams) {}

  /** An available endpoint of `backend`, or undefined when none is left. Falls back to ejected ones if all are. */
  pick(backend: Backend, o: PickOptions): Upstream | undefined {
    const eps = backend.endpoints;
    if (eps.length === 0) return undefined;
    if (o.sticky !== undefined) {
      for (const ep of eps) {
        if (affinityValue(ep.address) !== o.sticky || o.exclude?.has(ep.address)) continue;
        const u = this.upstreams.of(ep);
        if (this.upstreams.available(u)) return u;
      }
    }
    if (o.policy === 'round_robin' && o.exclude === undefined) {
      // The common case: the next endpoint in turn is available, so there is no candidate list to build.
      const key = this.#keyOf(backend);
      const n = this.#rr.get(key) ?? 0;
      const ep = eps[n % eps.length];
      const u = ep === undefined ? undefined : this.upstreams.of(ep);
      if (u !== undefined && u.ejectedUntil === 0) {
        this.#rr.set(key, n + 1);
        return u;
      }
    }
    const cands: Upstream[] = [];
    for (const ep of eps) {
      if (o.exclude?.has(ep.address)) continue;
      const u = this.upstreams.of(ep);
      if (this.upstreams.available(u)) cands.push(u);
    }
    if (cands.length === 0) {
      for (const ep of eps) if (!o.exclude?.has(ep.address)) cands.push(this.upstreams.of(ep));
      if (cands.length === 0) return undefined;
    }
    if (o.policy === 'least_request') return minBy(cands, (u) => u.inflight);
    if (o.policy === 'ewma') return minBy(cands, (u) => u.ewmaMs * (u.inflight + 1));
    const key = this.#keyOf(backend);
    const n = this.#rr.get(key) ?? 0;
    this.#rr.set(key, n + 1);
    return cands[n % cands.length];
  }

  #keyOf(backend: Backend): string {
    let key = this.#keys.get(backend);
    if (key === undefined) {
      key = `${backend.namespace}/${backend.serviceName}:${backend.servicePort.number ?? backend.servicePort.name ?? ''}`;
      this.#keys.set(backend, key);
    }
    return key;
  }
}

function minBy(list: readonly Upstream[], score: (u: Upstream) => number): Upstream | undefined {
  let best: Upstream | undefined;
  let bestScore = Infinity;
  for (const u of list) {
    const s = score(u);
    if (s < bestScore) { best = u; bestScore = s; }
  }
  return best;
}
