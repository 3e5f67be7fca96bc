/**
 * The pods-metrics source: scrapes every annotated pod's Prometheus endpoint on an interval, keeps a short
 * per-pod time series, and answers Pods metrics (`http_requests` → rate of `http_requests_total`).
 */
import type { LabelSelector, Pod } from '../../core/api/index.js';
import type { Informer, SharedInformerFactory } from '../../core/client/index.js';
import type { Clock, Logger } from '../../core/util/index.js';
import { messageOf } from './errors.js';
import { parseExposition } from './exposition.js';
import type { AutoscalerMetrics } from './registry.js';
import { PodSeriesStore } from './series.js';
import type { PodValue } from './series.js';

export const podsTarget = { apiVersion: 'v1', plural: 'pods', namespaced: true } as const;

export interface PodsMetricsSourceOptions {
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  /** Scrape interval; default 1000 ms. */
  intervalMs?: number;
  /** Counter rates are computed over this window; default 60 000 ms (prometheus-adapter's `[1m]`). */
  rateWindowMs?: number;
  /** Per-scrape HTTP timeout; default 2000 ms. */
  scrapeTimeoutMs?: number;
  /** Counts scrapes by result when given. */
  metrics?: AutoscalerMetrics;
}

export interface ScrapeTarget {
  /** `namespace/name`. */
  key: string;
  url: string;
}

/**
 * Pure: where to scrape a pod, from the `prometheus.io/scrape|port|path` annotations. A pod is scraped when
 * it is Running with an IP and either `scrape` is "true", or `scrape` is absent and `port` is set.
 */
export function scrapeTargetOf(pod: Pod): ScrapeTarget | undefined {
  const a = pod.metadata.annotations ?? {};
  const scrape = a['prometheus.io/scrape'];
  const port = a['prometheus.io/port'];
  if (scrape === 'false' || (scrape !== 'true' && port === undefined)) return undefined;
  const ip = pod.status?.podIP;
  if (!ip || pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return undefined;
  const p = Number(port ?? '80');
  if (!Number.isInteger(p) || p <= 0 || p > 65535) return undefined;
  const rawPath = a['prometheus.io/path'] ?? '/metrics';
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return { key: `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`, url: `http://${host}:${p}${path}` };
}

export class PodsMetricsSource {
  private readonly store: PodSeriesStore;
  private readonly pods: Informer<Pod>;
  private readonly intervalMs: number;

  constructor(private readonly o: PodsMetricsSourceOptions) {
    const window = o.rateWindowMs ?? 60_000;
    this.intervalMs = o.intervalMs ?? 1000;
    this.store = new PodSeriesStore({ rateWindowMs: window, retentionMs: window + 2 * this.intervalMs });
    this.pods = o.informers.informerFor<Pod>(podsTarget);
  }

  /** Scrapes every `intervalMs` until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await this.pods.waitForSync(signal).catch(() => undefined);
    while (!signal.aborted) {
      await this.scrapeAll(signal);
      await this.o.clock.sleep(this.intervalMs, signal).catch(() => undefined);
    }
  }

  /** One round: scrapes every current target in parallel and forgets pods that are no longer targets. */
  async scrapeAll(signal: AbortSignal): Promise<void> {
    const targets = this.pods.list().flatMap((p) => scrapeTargetOf(p) ?? []);
    const live = new Set(targets.map((t) => t.key));
    for (const key of this.store.keys()) if (!live.has(key)) this.store.forget(key);
    await Promise.all(targets.map((t) => this.scrape(t, signal)));
  }

  private async scrape(t: ScrapeTarget, signal: AbortSignal): Promise<void> {
    const at = this.o.clock.now();
    try {
      const res = await fetch(t.url, { signal: AbortSignal.any([signal, AbortSignal.timeout(this.o.scrapeTimeoutMs ?? 2000)]) });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const parsed = parseExposition(text);
      if (!parsed.ok) throw new Error(`line ${parsed.error.line}: ${parsed.error.message}`);
      this.store.record(t.key, at, parsed.families);
      this.o.metrics?.scrapes.inc({ result: 'success' });
    } catch (e) {
      if (!signal.aborted) this.o.metrics?.scrapes.inc({ result: 'error' });
      if (!signal.aborted) this.o.log.debug('scrape failed', { pod: t.key, url: t.url, error: messageOf(e) });
    }
  }

  /**
   * The metric's value for each named pod that has one (a rate needs two scrapes inside the window), keyed by
   * pod name. Values are plain units (requests per second), not milli-units.
   */
  podsMetric(namespace: string, podNames: readonly string[], metric: { name: string; selector?: LabelSelector }): Map<string, PodValue> {
    const now = this.o.clock.now();
    const out = new Map<string, PodValue>();
    for (const name of podNames) {
      const v = this.store.value(`${namespace}/${name}`, metric.name, metric.selector, now);
      if (v) out.set(name, v);
    }
    return out;
  }
}
