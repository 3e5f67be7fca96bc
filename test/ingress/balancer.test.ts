/** Endpoint choice, passive health, token buckets and header rules: pure parts of the proxy. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../core/util/index.js';
import { affinityValue, Balancer, downstreamResponseHeaders, RateLimiter, upstreamRequestHeaders, Upstreams, type Backend } from '../../ingress/index.js';

function backend(...ips: string[]): Backend {
  return {
    namespace: 'default', serviceName: 'svc', servicePort: { number: 80 }, externalName: undefined, resolved: true,
    endpoints: ips.map((ip) => ({ ip, port: 80, address: `${ip}:80` })),
  };
}

describe('Balancer', () => {
  const cases: { description: string; run: (b: Balancer, u: Upstreams, clock: FakeClock) => void | Promise<void> }[] = [
    { description: 'round-robin cycles through endpoints', run: (b) => {
      const be = backend('10.0.0.1', '10.0.0.2', '10.0.0.3');
      assert.deepEqual([0, 1, 2, 3].map(() => b.pick(be, { policy: 'round_robin' })?.host), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']);
    } },
    { description: 'least_request picks the endpoint with fewest in flight', run: (b, u) => {
      const be = backend('10.0.0.1', '10.0.0.2');
      const first = be.endpoints[0];
      if (first !== undefined) u.of(first).inflight = 5;
      assert.equal(b.pick(be, { policy: 'least_request' })?.host, '10.0.0.2');
    } },
    { description: 'ewma prefers the faster endpoint', run: (b, u) => {
      const be = backend('10.0.0.1', '10.0.0.2');
      const [a, c] = be.endpoints.map((e) => u.of(e));
      if (a === undefined || c === undefined) throw new Error('setup');
      u.succeeded(a, 50);
      u.succeeded(c, 5);
      assert.equal(b.pick(be, { policy: 'ewma' })?.host, '10.0.0.2');
    } },
    { description: 'excluded endpoints are skipped (retry goes elsewhere)', run: (b) => {
      const be = backend('10.0.0.1', '10.0.0.2');
      assert.equal(b.pick(be, { policy: 'round_robin', exclude: new Set(['10.0.0.1:80', '10.0.0.2:80']) }), undefined);
      assert.equal(b.pick(be, { policy: 'round_robin', exclude: new Set(['10.0.0.1:80']) })?.host, '10.0.0.2');
    } },
    { description: 'affinity cookie selects its endpoint while it exists', run: (b) => {
      const be = backend('10.0.0.1', '10.0.0.2', '10.0.0.3');
      for (let i = 0; i < 5; i++) assert.equal(b.pick(be, { policy: 'round_robin', sticky: affinityValue('10.0.0.3:80') })?.host, '10.0.0.3');
      assert.ok(b.pick(backend('10.0.0.1'), { policy: 'round_robin', sticky: affinityValue('10.0.0.3:80') }) !== undefined);
    } },
    { description: '3 consecutive failures eject an endpoint; after the cool-down one probe may use it', run: async (b, u, clock) => {
      const be = backend('10.0.0.1', '10.0.0.2');
      const ep = be.endpoints[0];
      if (ep === undefined) throw new Error('setup');
      const bad = u.of(ep);
      u.failed(bad);
      u.failed(bad);
      assert.ok(u.available(bad));
      u.failed(bad);
      assert.ok(!u.available(bad));
      for (let i = 0; i < 4; i++) assert.equal(b.pick(be, { policy: 'round_robin' })?.host, '10.0.0.2');
      await clock.advance(10_001);
      assert.ok(u.available(bad));
      u.failed(bad);
      assert.ok(!u.available(bad), 'one failed probe re-ejects');
    } },
    { description: 'with every endpoint ejected, the proxy still tries them rather than failing outright', run: (b, u) => {
      const be = backend('10.0.0.1');
      const ep = be.endpoints[0];
      if (ep === undefined) throw new Error('setup');
      for (let i = 0; i < 3; i++) u.failed(u.of(ep));
      assert.equal(b.pick(be, { policy: 'round_robin' })?.host, '10.0.0.1');
    } },
  ];
  for (const c of cases) {
    it(c.description, async () => {
      const clock = new FakeClock();
      const u = new Upstreams(clock);
      await c.run(new Balancer(u), u, clock);
    });
  }
});

describe('RateLimiter', () => {
  it('allows rps × burst at once, then refills at rps', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter(clock);
    const burst = Array.from({ length: 12 }, () => l.allow('k', 5, 2));
    assert.equal(burst.filter(Boolean).length, 10);
    await clock.advance(200);
    assert.equal(l.allow('k', 5, 2), true);
    assert.equal(l.allow('k', 5, 2), false);
    assert.equal(l.allow('other', 5, 2), true, 'buckets are per key');
  });
});

describe('header rules', () => {
  const cases: { description: string; in: Record<string, string>; want: Record<string, string | undefined> }[] = [
    { description: 'hop-by-hop headers and those listed in Connection are dropped',
      in: { connection: 'keep-alive, X-Drop', 'keep-alive': 'timeout=5', 'x-drop': '1', te: 'trailers', trailer: 'x', 'proxy-authorization': 'p', upgrade: 'h2c', 'x-keep': 'k' },
      want: { connection: undefined, 'keep-alive': undefined, 'x-drop': undefined, te: undefined, trailer: undefined, 'proxy-authorization': undefined, upgrade: undefined, 'x-keep': 'k' } },
    { description: 'X-Forwarded-For is appended; client-sent X-Real-IP and X-Forwarded-Proto are replaced',
      in: { 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '6.6.6.6', 'x-forwarded-proto': 'https' },
      want: { 'x-forwarded-for': '1.2.3.4, 10.1.1.1', 'x-real-ip': '10.1.1.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': '8080', 'x-forwarded-host': 'h.test' } },
    { description: 'a valid X-Request-ID is kept', in: { 'x-request-id': 'req-1' }, want: { 'x-request-id': 'req-1' } },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const out = upstreamRequestHeaders({ host: 'h.test', ...c.in }, { clientIp: '10.1.1.1', proto: 'http', port: 8080, host: 'h.test' });
      for (const [k, v] of Object.entries(c.want)) assert.equal(out[k], v, k);
    });
  }
  it('response hop-by-hop headers are dropped', () => {
    const out = downstreamResponseHeaders({ connection: 'close, x-internal', 'x-internal': '1', 'transfer-encoding': 'chunked', 'content-type': 'text/plain' });
    assert.deepEqual(out, { 'content-type': 'text/plain' });
  });
});
