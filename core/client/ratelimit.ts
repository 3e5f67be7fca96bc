/** Rate limiters: a token bucket (client QPS, event spam filter) and client-go's per-item exponential back-off. */
import type { Clock } from '../util/index.js';

/** A token bucket refilled at `qps` tokens per second up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly qps: number, private readonly burst: number, private readonly clock: Clock) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token if one is available now. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Waits until a token is available, then takes it. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (this.tryTake()) return;
      const waitMs = Math.ceil(((1 - this.tokens) / this.qps) * 1000);
      await this.clock.sleep(Math.max(1, waitMs), signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }
}

export interface BackoffOptions {
  /** First delay; default 5 ms (client-go's default controller rate limiter). */
  baseMs?: number;
  /** Cap; default 1000 s. */
  maxMs?: number;
}

/** Per-key exponential back-off: base·2^failures, capped; `forget` resets a key. */
export class ItemBackoff {
  private readonly failures = new Map<string, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 5;
    this.maxMs = opts.maxMs ?? 1_000_000;
  }

  /** Records a failure of `key` and returns how long to wait before retrying it. */
  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return backoffDelay(n, this.baseMs, this.maxMs);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}

/** base·2^attempt capped at max (attempt counts from 0). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const d = baseMs * Math.pow(2, Math.min(attempt, 60));
  return Math.min(d, maxMs);
}
