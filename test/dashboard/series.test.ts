import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry, Counter, Histogram } from 'prom-client';
import { histogramQuantile, ingressRates, readIngress, Ring, type MetricJson } from '../../dashboard/series.js';

describe('Ring', () => {
  const cases = [
    { description: 'fewer samples than capacity keep all', pushes: [1, 2], want: [1, 2] },
    { description: 'overflow drops the oldest', pushes: [1, 2, 3, 4, 5], want: [3, 4, 5] },
    { description: 'empty', pushes: [], want: [] },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const r = new Ring(3, 1000);
      c.pushes.forEach((v, i) => r.push(i * 1000, v));
      const v = r.view();
      assert.deepEqual(v.values, c.want);
      assert.equal(v.endMs, Math.max(0, (c.pushes.length - 1) * 1000));
    });
  }
});

describe('histogramQuantile', () => {
  const cases = [
    { description: 'empty → 0', buckets: [] as [number, number][], q: 0.99, want: 0 },
    { description: 'interpolates inside a bucket', buckets: [[0.1, 50], [0.2, 100], [Infinity, 100]] as [number, number][], q: 0.5, want: 0.1 },
    { description: 'p99 in the second bucket', buckets: [[0.1, 0], [0.2, 100], [Infinity, 100]] as [number, number][], q: 0.99, want: 0.1 + 0.1 * 0.99 },
    { description: 'in +Inf → highest finite bound', buckets: [[0.1, 0], [1, 0], [Infinity, 10]] as [number, number][], q: 0.99, want: 1 },
  ];
  for (const c of cases) it(c.description, () => assert.ok(Math.abs(histogramQuantile(c.q, new Map(c.buckets)) - c.want) < 1e-9));
});

describe('ingressRates from a prom-client registry', () => {
  it('turns counter and histogram deltas into requests/s and p99', async () => {
    const registry = new Registry();
    const labelNames = ['status', 'host'];
    const requests = new Counter({ name: 'nginx_ingress_controller_requests', help: 'h', labelNames, registers: [registry] });
    const duration = new Histogram({ name: 'nginx_ingress_controller_request_duration_seconds', help: 'h', labelNames, buckets: [0.01, 0.1, 1], registers: [registry] });
    const read = async () => readIngress((await registry.getMetricsAsJSON()) as MetricJson[]);
    const before = await read();
    for (let i = 0; i < 10; i++) {
      requests.inc({ status: '200', host: i % 2 ? 'a' : 'b' });
      duration.observe({ status: '200', host: i % 2 ? 'a' : 'b' }, 0.05);
    }
    const after = await read();
    const r = ingressRates(before, after, 2000);
    assert.equal(r.rps, 5);
    assert.ok(r.p99 > 0.01 && r.p99 <= 0.1, `p99 ${r.p99}`);
    assert.deepEqual(ingressRates(after, after, 1000), { rps: 0, p99: 0 });
  });
  it('counter reset counts as zero, not negative', () => {
    const prev = { requests: 100, buckets: new Map([[Infinity, 100]]) };
    const cur = { requests: 5, buckets: new Map([[Infinity, 5]]) };
    assert.equal(ingressRates(prev, cur, 1000).rps, 0);
  });
});
