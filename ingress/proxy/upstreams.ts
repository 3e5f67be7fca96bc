/**
 * Per-endpoint state shared across route-table swaps (keyed by `ip:port`): in-flight count, latency EWMA and
 * passive health (ejected after N consecutive failures, probed back after a cool-down).
 */
import type { Clock } from '../../core/util/index.js';
import type { EndpointAddress } from '../routes/types.js';

export interface Upstream {
  readonly address: string;
  readonly host: string;
  readonly port: number;
  inflight: number;
  /** Exponentially weighted response time in ms (0 until measured). */
  ewmaMs: number;
  failures: number;
  /** Epoch ms until which the endpoint is skipped; 0 when healthy. */
  ejectedUntil: number;
}

export interface HealthOptions {
  /** Consecutive failures that eject an endpoint. Default 3. */
  readonly maxFails?: number;
  /** How long an ejected endpoint is skipped before one probe request may use it again. Default 10 s. */
  readonly coolDownMs?: number;
}

const EWMA_DECAY = 0.3;

export class Upstreams {
  readonly #byAddress = new Map<string, Upstream>();
  readonly #maxFails: number;
  readonly #coolDownMs: number;

  constructor(private readonly clock: Clock, opts: HealthOptions = {}) {
    this.#maxFails = opts.maxFails ?? 3;
    this.#coolDownMs = opts.coolDownMs ?? 10_000;
  }

  of(ep: EndpointAddress): Upstream {
    let u = this.#byAddress.get(ep.address);
    if (u === undefined) {
      u = { address: ep.address, host: ep.ip, port: ep.port, inflight: 0, ewmaMs: 0, failures: 0, ejectedUntil: 0 };
      this.#byAddress.set(ep.address, u);
    }
    return u;
  }

  /** Whether `u` may take a request now. After the cool-down it gets one probe: one more failure re-ejects it. */
  available(u: Upstream): boolean {
    if (u.ejectedUntil === 0) return true;
    if (this.clock.now() < u.ejectedUntil) return false;
    u.ejectedUntil = 0;
    u.failures = this.#maxFails - 1;
    return true;
  }

  succeeded(u: Upstream, latencyMs: number): void {
    u.failures = 0;
    u.ejectedUntil = 0;
    u.ewmaMs = u.ewmaMs === 0 ? latencyMs : u.ewmaMs + EWMA_DECAY * (latencyMs - u.ewmaMs);
  }

  failed(u: Upstream): void {
    u.failures++;
    if (u.failures >= this.#maxFails) u.ejectedUntil = this.clock.now() + this.#coolDownMs;
  }

  /** Forgets endpoints no longer in any table (called after a swap). */
  retain(live: ReadonlySet<string>): string[] {
    const gone: string[] = [];
    for (const [a, u] of this.#byAddress) if (!live.has(a) && u.inflight === 0) { this.#byAddress.delete(a); gone.push(a); }
    return gone;
  }
}
