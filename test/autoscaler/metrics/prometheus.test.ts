import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsError, PrometheusMetricsSource, metricNameFor, renderQuery, selectorMatchers } from '../../../autoscaler/metrics/index.js';
import type { PrometheusRule } from '../../../autoscaler/metrics/index.js';

/** A fake Prometheus HTTP API: answers `/api/v1/query` from `answers` (by exact PromQL) and records queries. */
async function fakePrometheus(answers: Record<string, unknown>, series: Record<string, string>[] = []): Promise<{ url: string; queries: string[]; close(): void }> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (u.pathname === '/api/v1/series') {
      res.end(JSON.stringify({ status: 'success', data: series }));
      return;
    }
    const q = u.searchParams.get('query') ?? '';
    queries.push(q);
    const a = answers[q];
    if (a === 'error') {
      res.statusCode = 400;
      res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }));
      return;
    }
    res.end(JSON.stringify({ status: 'success', data: a ?? { resultType: 'vector', result: [] } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, queries, close: () => server.close() };
}

const vector = (...items: [Record<string, string>, string][]): unknown => ({ resultType: 'vector', result: items.map(([metric, v]) => ({ metric, value: [1767225600.5, v] })) });

const podRule: PrometheusRule = {
  seriesQuery: 'http_requests_total{namespace!="",pod!=""}',
  resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
  name: { matches: '^(.*)_total$', as: '${1}' },
  metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>)',
};
const queueRule: PrometheusRule = {
  seriesQuery: 'queue_messages_ready',
  resources: { overrides: { kubernetes_namespace: { resource: 'namespace' } } },
  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
};
const discoveredRule: PrometheusRule = {
  seriesQuery: '{__name__=~"^job_.*"}',
  resources: { template: '<<.Resource>>' },
  name: { matches: '^job_(.*)$' },
  metricsQuery: 'max(<<.Series>>{<<.LabelMatchers>>})',
};

interface Case {
  description: string;
  call: (s: PrometheusMetricsSource) => Promise<unknown>;
  answers?: Record<string, unknown>;
  query?: string;
  want?: unknown;
  error?: { code: string; message: RegExp };
}

const cases: Case[] = [
  {
    description: 'Object metric for a pod: namespace and pod matchers, grouped by pod',
    call: (s) => s.object('default', { kind: 'Pod', name: 'web-0' }, { name: 'http_requests' }),
    query: 'sum(rate(http_requests_total{namespace="default",pod="web-0"}[1m])) by (pod)',
    answers: { 'sum(rate(http_requests_total{namespace="default",pod="web-0"}[1m])) by (pod)': vector([{ pod: 'web-0' }, '2.5']) },
    want: 2.5,
  },
  {
    description: 'External metric with a selector: namespace matcher from the override, values per series',
    call: (s) => s.external('prod', { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'jobs' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev', 'test'] }] } }),
    query: 'sum(queue_messages_ready{kubernetes_namespace="prod",queue="jobs",env!~"dev|test"}) by ()',
    answers: { 'sum(queue_messages_ready{kubernetes_namespace="prod",queue="jobs",env!~"dev|test"}) by ()': vector([{}, '30'], [{}, '+Inf']) },
    want: [30, Infinity],
  },
  {
    description: 'series names discovered through /api/v1/series and renamed by the rule',
    call: (s) => s.external('ns1', { name: 'backlog' }),
    query: 'max(job_backlog{namespace="ns1"})',
    answers: { 'max(job_backlog{namespace="ns1"})': { resultType: 'scalar', result: [1767225600, '12'] } },
    want: [12],
  },
  { description: 'no rule provides the metric', call: (s) => s.external('ns', { name: 'unknown_metric' }), error: { code: 'NoRule', message: /no rule provides metric unknown_metric/ } },
  { description: 'an empty result', call: (s) => s.external('ns', { name: 'queue_messages_ready' }), error: { code: 'NotFound', message: /no matching metrics/ } },
  {
    description: 'a Prometheus error response',
    call: (s) => s.object('default', { kind: 'Pod', name: 'x' }, { name: 'http_requests' }),
    answers: { 'sum(rate(http_requests_total{namespace="default",pod="x"}[1m])) by (pod)': 'error' },
    error: { code: 'BadResponse', message: /bad_data: parse error/ },
  },
  { description: 'an Object whose kind no label maps', call: (s) => s.object('default', { kind: 'Ingress', name: 'x' }, { name: 'http_requests' }), error: { code: 'NoRule', message: /maps no label to resource Ingress/ } },
];

for (const c of cases) {
  test(`PrometheusMetricsSource: ${c.description}`, async () => {
    const prom = await fakePrometheus(c.answers ?? {}, [{ __name__: 'job_backlog', namespace: 'ns1' }, { __name__: 'other', namespace: 'ns1' }]);
    try {
      const source = new PrometheusMetricsSource({ url: prom.url, rules: [podRule, queueRule, discoveredRule] });
      if (c.error) {
        const err = c.error;
        await assert.rejects(c.call(source), (e: unknown) => e instanceof MetricsError && e.code === err.code && err.message.test(e.message));
      } else {
        assert.deepEqual(await c.call(source), c.want);
      }
      if (c.query) assert.deepEqual(prom.queries, [c.query]);
    } finally {
      prom.close();
    }
  });
}

test('PrometheusMetricsSource: an unreachable server is Unavailable', async () => {
  const prom = await fakePrometheus({});
  prom.close();
  const source = new PrometheusMetricsSource({ url: prom.url, rules: [queueRule], timeoutMs: 2000 });
  await assert.rejects(source.external('ns', { name: 'queue_messages_ready' }), (e: unknown) => e instanceof MetricsError && e.code === 'Unavailable');
});

const names: { description: string; rule: PrometheusRule; series: string; want: string | undefined }[] = [
  { description: 'no name section keeps the series name', rule: { seriesQuery: 'x', metricsQuery: '' }, series: 'foo_total', want: 'foo_total' },
  { description: '^(.*)_total$ as ${1}', rule: podRule, series: 'http_requests_total', want: 'http_requests' },
  { description: 'matches without as defaults to $1', rule: discoveredRule, series: 'job_backlog', want: 'backlog' },
  { description: 'no match', rule: podRule, series: 'http_requests', want: undefined },
  { description: 'named group', rule: { seriesQuery: 'x', metricsQuery: '', name: { matches: '^(?<base>.*)_seconds_total$', as: '${base}_per_second' } }, series: 'cpu_seconds_total', want: 'cpu_per_second' },
];

for (const c of names) {
  test(`metricNameFor: ${c.description}`, () => {
    assert.equal(metricNameFor(c.rule, c.series), c.want);
  });
}

test('selectorMatchers and renderQuery: every operator and every placeholder', () => {
  const m = selectorMatchers({
    matchLabels: { b: '2', a: 'x"y' },
    matchExpressions: [
      { key: 'in', operator: 'In', values: ['a.b', 'c'] }, { key: 'out', operator: 'NotIn', values: ['d'] },
      { key: 'has', operator: 'Exists' }, { key: 'hasnt', operator: 'DoesNotExist' },
    ],
  });
  assert.deepEqual(m, ['a="x\\"y"', 'b="2"', 'in=~"a\\\\.b|c"', 'out!~"d"', 'has!=""', 'hasnt=""']);
  assert.equal(renderQuery('sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>) + <<.Series>>', { series: 's', labelMatchers: ['a="1"', 'b="2"'], groupBy: ['pod', 'ns'] }),
    'sum(s{a="1",b="2"}) by (pod,ns) + s');
  assert.deepEqual(selectorMatchers(undefined), []);
});
