import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PodsMetricsSource, scrapeTargetOf } from '../../../autoscaler/metrics/index.js';
import type { Pod } from '../../../core/api/index.js';
import { KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { createNamespace, startServer, token, type Harness } from '../../core/apiserver/harness.js';

const NS = 'default';

/** A loopback app exposing `http_requests_total` (set by the test) on `path`; counts scrapes. */
interface App { port: number; requests: number; hits: number; server: Server }

async function startApp(path: string): Promise<App> {
  const app: App = { port: 0, requests: 0, hits: 0, server: createServer() };
  app.server.on('request', (req, res) => {
    if (req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    app.hits++;
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(`# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{method="GET",path="/",code="200"} ${app.requests}\n# TYPE queue_depth gauge\nqueue_depth 7\n`);
  });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
  app.port = (app.server.address() as AddressInfo).port;
  return app;
}

async function ok(h: Harness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await h.req(method, path, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

async function makePod(h: Harness, name: string, annotations: Record<string, string>, phase = 'Running'): Promise<void> {
  const created = await ok(h, 'POST', `/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, annotations }, spec: { containers: [{ name: 'app', image: 'echo' }] } });
  await ok(h, 'PUT', `/api/v1/namespaces/${NS}/pods/${name}/status`, { ...created, status: { phase, podIP: '127.0.0.1' } });
}

async function until(what: string, fn: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the pods source scrapes annotated pods over HTTP and serves per-pod rates (resets, new and deleted pods)', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const apps = { a: await startApp('/metrics'), b: await startApp('/stats'), c: await startApp('/metrics'), d: await startApp('/metrics'), e: await startApp('/metrics') };
  try {
    await createNamespace(h, NS);
    await makePod(h, 'a', { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(apps.a.port) });
    await makePod(h, 'b', { 'prometheus.io/port': String(apps.b.port), 'prometheus.io/path': '/stats' });
    await makePod(h, 'c', { 'prometheus.io/scrape': 'false', 'prometheus.io/port': String(apps.c.port) });
    await makePod(h, 'd', { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(apps.d.port) }, 'Pending');
    const source = new PodsMetricsSource({ informers, clock, log: silentLogger, intervalMs: 1000, rateWindowMs: 60_000 });
    const pods = informers.informerFor<Pod>({ apiVersion: 'v1', plural: 'pods', namespaced: true });
    informers.start(stop.signal);
    await informers.waitForSync(stop.signal);
    await until('4 pods', () => pods.list().length === 4);
    const names = ['a', 'b', 'c', 'd', 'e'];
    const rates = (): Record<string, number> => Object.fromEntries([...source.podsMetric(NS, names, { name: 'http_requests' })].map(([k, v]) => [k, v.value]));

    apps.a.requests = 0;
    apps.b.requests = 100;
    await source.scrapeAll(stop.signal);
    assert.deepEqual(rates(), {}, 'one sample is not enough for a rate');
    await clock.advance(2000);
    apps.a.requests = 10;
    apps.b.requests = 120;
    await source.scrapeAll(stop.signal);
    assert.deepEqual(rates(), { a: 5, b: 10 });
    assert.equal(apps.c.hits, 0, 'prometheus.io/scrape=false is not scraped');
    assert.equal(apps.d.hits, 0, 'a Pending pod is not scraped');
    assert.deepEqual([...source.podsMetric(NS, ['a'], { name: 'queue_depth' })].map(([k, v]) => [k, v.value]), [['a', 7]], 'gauges by their own name');
    assert.equal(source.podsMetric(NS, ['a'], { name: 'http_requests', selector: { matchLabels: { code: '500' } } }).size, 0, 'metric selector honoured');

    // a restarts (counter reset to 4); e appears; b is deleted.
    await makePod(h, 'e', { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(apps.e.port) });
    await ok(h, 'DELETE', `/api/v1/namespaces/${NS}/pods/b`);
    await until('e added and b gone', () => pods.list().some((p) => p.metadata.name === 'e') && !pods.list().some((p) => p.metadata.name === 'b'));
    await clock.advance(2000);
    apps.a.requests = 4;
    apps.e.requests = 50;
    await source.scrapeAll(stop.signal);
    assert.deepEqual(rates(), { a: 14 / 4 }, 'reset handled; new pod has one sample; deleted pod forgotten');
    await clock.advance(1000);
    apps.e.requests = 53;
    await source.scrapeAll(stop.signal);
    assert.deepEqual(rates(), { a: 14 / 5, e: 3 });
  } finally {
    stop.abort();
    client.close();
    for (const app of Object.values(apps)) app.server.close();
    await h.close();
  }
});

const targets: { description: string; pod: Pod; url: string | undefined }[] = [
  { description: 'scrape=true with port and default path', pod: pod({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' }), url: 'http://10.0.0.5:8080/metrics' },
  { description: 'path without a leading slash', pod: pod({ 'prometheus.io/port': '9', 'prometheus.io/path': 'm' }), url: 'http://10.0.0.5:9/m' },
  { description: 'scrape=true without a port uses 80', pod: pod({ 'prometheus.io/scrape': 'true' }), url: 'http://10.0.0.5:80/metrics' },
  { description: 'no annotations', pod: pod({}), url: undefined },
  { description: 'scrape=false wins over a port', pod: pod({ 'prometheus.io/scrape': 'false', 'prometheus.io/port': '80' }), url: undefined },
  { description: 'an invalid port', pod: pod({ 'prometheus.io/port': '99999' }), url: undefined },
  { description: 'an IPv6 pod IP is bracketed', pod: pod({ 'prometheus.io/port': '80' }, 'fd00::1'), url: 'http://[fd00::1]:80/metrics' },
  { description: 'no pod IP yet', pod: pod({ 'prometheus.io/port': '80' }, ''), url: undefined },
];

function pod(annotations: Record<string, string>, ip = '10.0.0.5'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', annotations }, spec: { containers: [] }, status: { phase: 'Running', ...(ip ? { podIP: ip } : {}) } };
}

for (const c of targets) {
  test(`scrapeTargetOf: ${c.description}`, () => {
    assert.equal(scrapeTargetOf(c.pod)?.url, c.url);
  });
}
