/**
 * A shared back-off: when AWS throttles any call, every caller sharing this throttle waits before its next
 * attempt (AWS throttles per account and region, so slowing only the failing call makes it worse).
 * The delay doubles per throttle up to `maxMs` and halves per success. Exposed as prom-client gauges.
 * `AwsThrottles` holds one per account and region; whoever wires providers shares one set between them.
 */
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Clock } from '../../core/util/index.js';
import { isThrottle } from './errors.js';

export interface ThrottleOptions {
  clock: Clock;
  baseMs?: number;
  maxMs?: number;
}

export class Throttle {
  delayMs = 0;
  throttles = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly opts: ThrottleOptions) {
    this.baseMs = opts.baseMs ?? 100;
    this.maxMs = opts.maxMs ?? 20_000;
  }

  async wait(): Promise<void> {
    if (this.delayMs > 0) await this.opts.clock.sleep(this.delayMs);
  }

  onSuccess(): void {
    if (this.delayMs === 0) return;
    this.delayMs = this.delayMs / 2 < this.baseMs ? 0 : this.delayMs / 2;
    this.changed();
  }

  onError(e: unknown): void {
    if (!isThrottle(e)) return;
    this.throttles++;
    this.delayMs = Math.min(this.maxMs, Math.max(this.baseMs, this.delayMs * 2));
    this.changed();
  }

  /** Calls `fn` after every change; returns the function that stops it. */
  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** One {@link Throttle} per account and region (AWS's throttling scope), each on the injected clock. */
export class AwsThrottles {
  private readonly byKey = new Map<string, Throttle>();

  constructor(private readonly opts: ThrottleOptions) {}

  /** The throttle for `account` (an account ID, or the credentials' access key ID when none is known) in `region`. */
  for(account: string, region: string): Throttle {
    const key = `${account}/${region}`;
    let t = this.byKey.get(key);
    if (!t) {
      t = new Throttle(this.opts);
      this.byKey.set(key, t);
    }
    return t;
  }
}

/**
 * Registers `skiff_aws_throttle_delay_seconds` and `skiff_aws_throttled_requests_total` in `registry` (once
 * per registry) for `throttle`; returns the function that stops updating them (call it on close).
 */
export function registerThrottleMetrics(throttle: Throttle, registry: Registry): () => void {
  const gaugeName = 'skiff_aws_throttle_delay_seconds';
  const counterName = 'skiff_aws_throttled_requests_total';
  const gauge = (registry.getSingleMetric(gaugeName) as Gauge | undefined)
    ?? new Gauge({ name: gaugeName, help: 'Current process-wide back-off before each AWS request, after throttling.', registers: [registry] });
  const counter = (registry.getSingleMetric(counterName) as Counter | undefined)
    ?? new Counter({ name: counterName, help: 'AWS requests answered with RequestLimitExceeded or Throttling.', registers: [registry] });
  let seen = throttle.throttles;
  gauge.set(throttle.delayMs / 1000);
  return throttle.onChange(() => {
    gauge.set(throttle.delayMs / 1000);
    if (throttle.throttles > seen) counter.inc(throttle.throttles - seen);
    seen = throttle.throttles;
  });
}
