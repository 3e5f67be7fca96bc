/**
 * Short per-pod time series of scraped samples and the arithmetic over them: counter rates with resets
 * (as PromQL's `rate` counts increases, without its extrapolation) and latest gauge values. Pure: no I/O.
 */
import { matchesLabels } from '../../core/api/index.js';
import type { LabelSelector } from '../../core/api/index.js';
import { seriesId } from './exposition.js';
import type { MetricFamily, MetricType } from './exposition.js';

export interface Point {
  /** Milliseconds since the epoch. */
  t: number;
  v: number;
}

/**
 * The per-second rate of a counter over the points in `[now - windowMs, now]`: the sum of increases
 * (a drop is a reset, so the new value counts as the increase) over the time between the first and the
 * last point. Undefined with fewer than two points in the window.
 */
export function counterRate(points: readonly Point[], now: number, windowMs: number): number | undefined {
  const inWindow = points.filter((p) => p.t >= now - windowMs && p.t <= now && !Number.isNaN(p.v));
  if (inWindow.length < 2) return undefined;
  let increase = 0;
  for (let i = 1; i < inWindow.length; i++) {
    const prev = inWindow[i - 1];
    const cur = inWindow[i];
    if (!prev || !cur) continue;
    increase += cur.v >= prev.v ? cur.v - prev.v : cur.v;
  }
  const first = inWindow[0];
  const last = inWindow[inWindow.length - 1];
  if (!first || !last || last.t <= first.t) return undefined;
  return increase / ((last.t - first.t) / 1000);
}

interface Series {
  name: string;
  labels: Record<string, string>;
  type: MetricType;
  points: Point[];
  /** Scrape time of the latest scrape that carried this series. */
  lastSeen: number;
}

interface PodState {
  series: Map<string, Series>;
  /** Sample names in the latest scrape. */
  latest: Set<string>;
  lastScrape: number;
}

/** A value computed for one pod: a rate or gauge, with the time of the newest point used. */
export interface PodValue {
  value: number;
  timestamp: number;
}

/** Keeps each pod's scraped series for `retentionMs` and answers Pods-metric queries over them. */
export class PodSeriesStore {
  private readonly pods = new Map<string, PodState>();

  constructor(private readonly o: { retentionMs: number; rateWindowMs: number }) {}

  /** Records one scrape of `pod` (a `namespace/name` key) taken at `time`. */
  record(pod: string, time: number, families: readonly MetricFamily[]): void {
    let state = this.pods.get(pod);
    if (!state) {
      state = { series: new Map(), latest: new Set(), lastScrape: time };
      this.pods.set(pod, state);
    }
    state.latest = new Set();
    state.lastScrape = time;
    for (const f of families) {
      for (const s of f.samples) {
        const id = seriesId(s.name, s.labels);
        let series = state.series.get(id);
        if (!series) {
          series = { name: s.name, labels: s.labels, type: f.type, points: [], lastSeen: time };
          state.series.set(id, series);
        }
        series.lastSeen = time;
        series.points.push({ t: s.timestampMs ?? time, v: s.value });
        state.latest.add(s.name);
      }
    }
    this.prune(state, time);
  }

  private prune(state: PodState, now: number): void {
    const cutoff = now - this.o.retentionMs;
    for (const [id, s] of state.series) {
      s.points = s.points.filter((p) => p.t >= cutoff);
      if (s.points.length === 0) state.series.delete(id);
    }
  }

  /** Drops a pod's history (the pod is gone or no longer scraped). */
  forget(pod: string): void {
    this.pods.delete(pod);
  }

  keys(): string[] {
    return [...this.pods.keys()];
  }

  /**
   * The value of a Pods metric for one pod, by prometheus-adapter's default naming: `name` is the rate of
   * the counter `name_total` when the pod exposes it, else the series `name` itself (a rate for a counter,
   * also for a histogram's or summary's `_count` / `_sum` / `_bucket`, the sum of latest values otherwise). Series are filtered by `selector`; undefined when nothing matches
   * or a counter has fewer than two samples in the rate window.
   */
  value(pod: string, metric: string, selector: LabelSelector | undefined, now: number): PodValue | undefined {
    const state = this.pods.get(pod);
    if (!state) return undefined;
    const asTotal = `${metric}_total`;
    const name = state.latest.has(asTotal) ? asTotal : metric;
    if (!state.latest.has(name)) return undefined;
    const matching = [...state.series.values()].filter((s) => s.name === name && (!selector || matchesLabels(selector, s.labels)));
    if (matching.length === 0) return undefined;
    const cumulative = /_(count|sum|bucket)$/.test(name) && matching.some((s) => s.type === 'histogram' || s.type === 'summary');
    const isCounter = name === asTotal || cumulative || matching.some((s) => s.type === 'counter');
    if (isCounter) return this.sumRates(matching, now);
    return this.sumLatest(matching, state.lastScrape);
  }

  private sumRates(series: readonly Series[], now: number): PodValue | undefined {
    let sum = 0;
    let timestamp = 0;
    let any = false;
    for (const s of series) {
      const r = counterRate(s.points, now, this.o.rateWindowMs);
      if (r === undefined) continue;
      any = true;
      sum += r;
      timestamp = Math.max(timestamp, s.points[s.points.length - 1]?.t ?? 0);
    }
    return any ? { value: sum, timestamp } : undefined;
  }

  private sumLatest(series: readonly Series[], lastScrape: number): PodValue | undefined {
    const fresh = series.filter((s) => s.lastSeen === lastScrape);
    let sum = 0;
    let timestamp = 0;
    for (const s of fresh) {
      const p = s.points[s.points.length - 1];
      if (!p) continue;
      sum += p.v;
      timestamp = Math.max(timestamp, p.t);
    }
    return fresh.length ? { value: sum, timestamp } : undefined;
  }
}
