/**
 * `limit-rps` per client address and Ingress: a token bucket of `rps × burst-multiplier` tokens refilled at
 * `rps`/s. Over the limit the proxy answers 503, as ingress-nginx's `limit_req` does by default
 * (`limit-req-status-code` 503).
 */
import type { Clock } from '../../core/util/index.js';

interface Bucket { tokens: number; at: number }

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock, private readonly maxKeys = 100_000) {}

  /** Takes a token for `key`; false when the bucket is empty. */
  allow(key: string, rps: number, burstMultiplier: number): boolean {
    const now = this.clock.now();
    const cap = Math.max(1, rps * burstMultiplier);
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= this.maxKeys) this.#prune(now, rps);
      b = { tokens: cap, at: now };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(cap, b.tokens + ((now - b.at) / 1000) * rps);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  #prune(now: number, rps: number): void {
    for (const [k, b] of this.#buckets) if (now - b.at > 60_000 || b.tokens + ((now - b.at) / 1000) * rps >= rps) this.#buckets.delete(k);
    if (this.#buckets.size >= this.maxKeys) this.#buckets.clear();
  }
}
