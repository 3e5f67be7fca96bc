import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterRate, parseExposition, PodSeriesStore } from '../../../autoscaler/metrics/index.js';
import type { MetricFamily } from '../../../autoscaler/metrics/index.js';
import type { LabelSelector } from '../../../core/api/index.js';

const T0 = Date.UTC(2026, 0, 1);
const S = 1000;

const rates: { description: string; points: [number, number][]; now: number; windowMs: number; want: number | undefined }[] = [
  { description: 'no points', points: [], now: T0, windowMs: 60 * S, want: undefined },
  { description: 'one point has no rate', points: [[0, 5]], now: T0, windowMs: 60 * S, want: undefined },
  { description: 'steady increase', points: [[0, 0], [1, 10], [2, 20]], now: T0 + 2 * S, windowMs: 60 * S, want: 10 },
  { description: 'flat counter', points: [[0, 7], [10, 7]], now: T0 + 10 * S, windowMs: 60 * S, want: 0 },
  { description: 'a reset counts the new value as the increase', points: [[0, 100], [1, 110], [2, 5], [3, 15]], now: T0 + 3 * S, windowMs: 60 * S, want: 25 / 3 },
  { description: 'reset to zero', points: [[0, 50], [2, 0]], now: T0 + 2 * S, windowMs: 60 * S, want: 0 },
  { description: 'only points inside the window count', points: [[0, 0], [50, 1000], [60, 1100], [70, 1200]], now: T0 + 70 * S, windowMs: 25 * S, want: 10 },
  { description: 'window holding a single point has no rate', points: [[0, 0], [100, 50]], now: T0 + 100 * S, windowMs: 30 * S, want: undefined },
  { description: 'NaN points are skipped', points: [[0, 0], [1, NaN], [2, 4]], now: T0 + 2 * S, windowMs: 60 * S, want: 2 },
];

for (const c of rates) {
  test(`counterRate: ${c.description}`, () => {
    const got = counterRate(c.points.map(([t, v]) => ({ t: T0 + t * S, v })), c.now, c.windowMs);
    if (c.want === undefined) assert.equal(got, undefined);
    else assert.ok(got !== undefined && Math.abs(got - c.want) < 1e-9, `got ${String(got)}, want ${c.want}`);
  });
}

function families(text: string): MetricFamily[] {
  const r = parseExposition(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.families;
}

const expo = (requests: Record<string, number>, inflight: number): string => [
  '# TYPE http_requests_total counter',
  ...Object.entries(requests).map(([code, v]) => `http_requests_total{method="GET",code="${code}"} ${v}`),
  '# TYPE inflight gauge',
  `inflight{kind="a"} ${inflight}`,
  `inflight{kind="b"} 1`,
].join('\n');

const queries: { description: string; scrapes: string[]; metric: string; selector?: LabelSelector; want: number | undefined }[] = [
  { description: 'http_requests is the rate of http_requests_total summed over series', scrapes: [expo({ 200: 0, 500: 0 }, 0), expo({ 200: 8, 500: 2 }, 0)], metric: 'http_requests', want: 10 },
  { description: 'a label selector picks series', scrapes: [expo({ 200: 0, 500: 0 }, 0), expo({ 200: 8, 500: 2 }, 0)], metric: 'http_requests', selector: { matchLabels: { code: '500' } }, want: 2 },
  { description: 'a selector matching nothing gives no value', scrapes: [expo({ 200: 0 }, 0), expo({ 200: 8 }, 0)], metric: 'http_requests', selector: { matchLabels: { code: '404' } }, want: undefined },
  { description: 'a counter needs two scrapes', scrapes: [expo({ 200: 8 }, 0)], metric: 'http_requests', want: undefined },
  { description: 'the full counter name is a rate too', scrapes: [expo({ 200: 0 }, 0), expo({ 200: 4 }, 0)], metric: 'http_requests_total', want: 4 },
  { description: 'a gauge is the sum of its latest values', scrapes: [expo({ 200: 0 }, 5), expo({ 200: 0 }, 3)], metric: 'inflight', want: 4 },
  { description: 'a gauge selector with matchExpressions', scrapes: [expo({ 200: 0 }, 3)], metric: 'inflight', selector: { matchExpressions: [{ key: 'kind', operator: 'In', values: ['a'] }] }, want: 3 },
  { description: 'a counter reset between scrapes', scrapes: [expo({ 200: 100 }, 0), expo({ 200: 3 }, 0)], metric: 'http_requests', want: 3 },
  { description: 'an unknown metric', scrapes: [expo({ 200: 0 }, 0)], metric: 'nope', want: undefined },
];

for (const c of queries) {
  test(`PodSeriesStore: ${c.description}`, () => {
    const store = new PodSeriesStore({ retentionMs: 120 * S, rateWindowMs: 60 * S });
    c.scrapes.forEach((text, i) => store.record('ns/p', T0 + i * S, families(text)));
    const now = T0 + (c.scrapes.length - 1) * S;
    assert.equal(store.value('ns/p', c.metric, c.selector, now)?.value, c.want);
  });
}

test('PodSeriesStore forgets pods and drops points past retention', () => {
  const store = new PodSeriesStore({ retentionMs: 10 * S, rateWindowMs: 60 * S });
  store.record('ns/a', T0, families(expo({ 200: 0 }, 0)));
  store.record('ns/b', T0, families(expo({ 200: 0 }, 0)));
  store.record('ns/a', T0 + 20 * S, families(expo({ 200: 40 }, 0)));
  // The first point of ns/a fell out of retention: one point left, no rate.
  assert.equal(store.value('ns/a', 'http_requests', undefined, T0 + 20 * S), undefined);
  store.forget('ns/b');
  assert.deepEqual(store.keys(), ['ns/a']);
  assert.equal(store.value('ns/b', 'inflight', undefined, T0), undefined);
});

test('PodSeriesStore: a histogram _count is a rate', () => {
  const store = new PodSeriesStore({ retentionMs: 120 * S, rateWindowMs: 60 * S });
  const h = (n: number): string => `# TYPE d histogram\nd_bucket{le="+Inf"} ${n}\nd_sum ${n / 10}\nd_count ${n}\n`;
  store.record('ns/p', T0, families(h(0)));
  store.record('ns/p', T0 + 2 * S, families(h(6)));
  assert.equal(store.value('ns/p', 'd_count', undefined, T0 + 2 * S)?.value, 3);
});
