/**
 * Time series for the charts: fixed-size ring buffers at 1 s resolution, and the pure math that
 * turns two readings of the ingress counters/histogram (prom-client's `getMetricsAsJSON`) into
 * requests/s and p99 latency.
 */
import type { SeriesView } from './types.js';

export const REQUESTS_METRIC = 'nginx_ingress_controller_requests';
export const DURATION_METRIC = 'nginx_ingress_controller_request_duration_seconds';

export class Ring {
  private readonly buf: number[];
  private start = 0;
  private size = 0;
  private endMs = 0;

  constructor(private readonly capacity: number, private readonly stepMs: number) {
    this.buf = new Array<number>(capacity).fill(0);
  }

  push(atMs: number, value: number): void {
    const i = (this.start + this.size) % this.capacity;
    this.buf[i] = value;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
    this.endMs = atMs;
  }

  view(): SeriesView {
    const values: number[] = [];
    for (let k = 0; k < this.size; k++) values.push(this.buf[(this.start + k) % this.capacity] ?? 0);
    return { stepMs: this.stepMs, endMs: this.endMs, values };
  }
}

/** The subset of prom-client's `MetricObjectWithValues` read here. */
export interface MetricJson {
  name: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

/** Totals of one reading: request count and cumulative histogram buckets by upper bound. */
export interface IngressReading { requests: number; buckets: Map<number, number> }

export function readIngress(metrics: readonly MetricJson[]): IngressReading {
  let requests = 0;
  const buckets = new Map<number, number>();
  for (const m of metrics) {
    if (m.name === REQUESTS_METRIC) for (const v of m.values) requests += v.value;
    if (m.name !== DURATION_METRIC) continue;
    for (const v of m.values) {
      if (v.metricName !== undefined && !v.metricName.endsWith('_bucket')) continue;
      const le = v.labels.le;
      if (le === undefined) continue;
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + v.value);
    }
  }
  return { requests, buckets };
}

/** Prometheus' `histogram_quantile` over cumulative `buckets`; 0 when empty. */
export function histogramQuantile(q: number, buckets: ReadonlyMap<number, number>): number {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const last = sorted[sorted.length - 1];
  if (!last || last[1] <= 0) return 0;
  const rank = q * last[1];
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return prevBound;
      if (count === prevCount) return bound;
      return prevBound + ((bound - prevBound) * (rank - prevCount)) / (count - prevCount);
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

/** Requests per second and p99 (seconds) between two readings `elapsedMs` apart; counter resets count as zero. */
export function ingressRates(prev: IngressReading, cur: IngressReading, elapsedMs: number): { rps: number; p99: number } {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const requests = Math.max(0, cur.requests - prev.requests);
  const delta = new Map<number, number>();
  for (const [bound, count] of cur.buckets) delta.set(bound, Math.max(0, count - (prev.buckets.get(bound) ?? 0)));
  return { rps: requests / seconds, p99: histogramQuantile(0.99, delta) };
}
