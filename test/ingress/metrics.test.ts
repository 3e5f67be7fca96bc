/** The proxy's request metrics: exposition as prom-client would write it, buckets, JSON, and dropping gone Ingresses. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { ProxyMetrics } from '../../ingress/index.js';

const route = (ns: string, name: string, host = 'a.test', path = '/api'): { host: string; path: string; ingress: { namespace: string; name: string } } =>
  Object.freeze({ host, path, ingress: Object.freeze({ namespace: ns, name }) });

/** The value of one exposition line, by its exact name and labels. */
function sample(text: string, line: string): number | undefined {
  const hit = text.split('\n').find((l) => l.startsWith(`${line} `));
  return hit === undefined ? undefined : Number(hit.slice(line.length + 1));
}

describe('ingress proxy metrics', () => {
  const labels = 'status="200",method="GET",host="a.test",path="/api",namespace="default",ingress="web",service="svc"';

  it('counts requests and fills cumulative buckets, sums and counts', async () => {
    const reg = new Registry();
    const m = new ProxyMetrics(reg);
    const r = route('default', 'web');
    for (const [seconds, bytes] of [[0.004, 50], [0.02, 5000], [3, 20_000_000]] as const) m.record(r, 200, 'GET', 'svc', seconds, bytes, seconds / 2);
    m.record(r, 503, 'GET', 'svc', 0.001, 0, undefined);
    const text = await reg.metrics();
    const cases: [string, number][] = [
      [`nginx_ingress_controller_requests{${labels}}`, 3],
      [`nginx_ingress_controller_requests{${labels.replace('200', '503')}}`, 1],
      [`nginx_ingress_controller_request_duration_seconds_bucket{${labels},le="0.005"}`, 1],
      [`nginx_ingress_controller_request_duration_seconds_bucket{${labels},le="0.025"}`, 2],
      [`nginx_ingress_controller_request_duration_seconds_bucket{${labels},le="2.5"}`, 2],
      [`nginx_ingress_controller_request_duration_seconds_bucket{${labels},le="5"}`, 3],
      [`nginx_ingress_controller_request_duration_seconds_bucket{${labels},le="+Inf"}`, 3],
      [`nginx_ingress_controller_request_duration_seconds_count{${labels}}`, 3],
      [`nginx_ingress_controller_response_size_bucket{${labels},le="100"}`, 1],
      [`nginx_ingress_controller_response_size_bucket{${labels},le="10000000"}`, 2],
      [`nginx_ingress_controller_response_size_bucket{${labels},le="+Inf"}`, 3],
      [`nginx_ingress_controller_response_size_sum{${labels}}`, 20_005_050],
      // Upstream latency has no status/method labels; the 503 without an upstream answer is not in it.
      ['nginx_ingress_controller_upstream_latency_seconds_count{host="a.test",path="/api",namespace="default",ingress="web",service="svc"}', 3],
    ];
    for (const [line, want] of cases) assert.equal(sample(text, line), want, line);
    const sum = sample(text, `nginx_ingress_controller_request_duration_seconds_sum{${labels}}`) ?? NaN;
    assert.ok(Math.abs(sum - 3.024) < 1e-9, `duration sum ${sum}`);
    assert.match(text, /# TYPE nginx_ingress_controller_request_duration_seconds histogram/);
    assert.match(text, /# TYPE nginx_ingress_controller_requests counter/);
  });

  it('reads the same in JSON (as an aggregating registry would)', async () => {
    const reg = new Registry();
    const m = new ProxyMetrics(reg);
    m.record(route('default', 'web'), 200, 'GET', 'svc', 0.01, 10, 0.005);
    const json = await reg.getMetricsAsJSON();
    const requests = json.find((x) => x.name === 'nginx_ingress_controller_requests');
    assert.equal(requests?.type, 'counter');
    assert.deepEqual(requests?.values, [{ labels: { status: '200', method: 'GET', host: 'a.test', path: '/api', namespace: 'default', ingress: 'web', service: 'svc' }, value: 1 }]);
    const size = json.find((x) => x.name === 'nginx_ingress_controller_response_size');
    assert.equal(size?.values.length, 6 + 1 + 2, 'six bounds, +Inf, sum and count');
  });

  it('keeps route series apart and drops the series of Ingresses that are gone', async () => {
    const reg = new Registry();
    const m = new ProxyMetrics(reg);
    m.record(route('default', 'web'), 200, 'GET', 'svc', 0.01, 10, 0.005);
    m.record(route('default', 'web'), 200, 'GET', 'svc', 0.01, 10, 0.005); // an equal route from a newer table
    m.record(route('other', 'api', 'b.test', '/'), 200, 'POST', 'svc2', 0.01, 10, 0.005);
    let text = await reg.metrics();
    assert.equal(sample(text, `nginx_ingress_controller_requests{${labels}}`), 2);
    m.retain(new Set(['other/api']));
    text = await reg.metrics();
    assert.equal(sample(text, `nginx_ingress_controller_requests{${labels}}`), undefined);
    assert.equal(sample(text, 'nginx_ingress_controller_requests{status="200",method="POST",host="b.test",path="/",namespace="other",ingress="api",service="svc2"}'), 1);
    assert.doesNotMatch(text, /ingress="web"/);
  });
});
