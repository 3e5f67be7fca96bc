import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PodsMetricsSource, startHpaController } from '../../../autoscaler/index.js';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import type { Pod } from '../../../core/api/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { createNamespace, startServer, token, type Harness } from '../../core/apiserver/harness.js';

const NS = 'default';

async function ok(h: Harness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await h.req(method, path, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

/** A loopback echo-like app exposing `http_requests_total{method,path,code}`. */
async function app(): Promise<{ port: number; total: number; server: Server }> {
  const a = { port: 0, total: 0, server: createServer() };
  a.server.on('request', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(`# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{method="GET",path="/",code="200"} ${a.total}\n`);
  });
  await new Promise<void>((r) => a.server.listen(0, '127.0.0.1', r));
  a.port = (a.server.address() as AddressInfo).port;
  return a;
}

test('the HPA controller scales on a Pods metric scraped from the pods (http_requests → rate of http_requests_total)', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'horizontal-pod-autoscaler', clock, log: silentLogger });
  const apps = [await app(), await app()];
  try {
    await createNamespace(h, NS);
    const template = { metadata: { labels: { app: 'echo' } }, spec: { containers: [{ name: 'echo', image: 'echo' }] } };
    await ok(h, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'echo', namespace: NS }, spec: { replicas: 2, selector: { matchLabels: { app: 'echo' } }, template } });
    const since = new Date(clock.now() - 600_000).toISOString();
    for (const [i, a] of apps.entries()) {
      const created = await ok(h, 'POST', `/api/v1/namespaces/${NS}/pods`, {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `echo-${i}`, namespace: NS, labels: { app: 'echo' }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(a.port) } }, spec: template.spec,
      });
      await ok(h, 'PUT', `/api/v1/namespaces/${NS}/pods/echo-${i}/status`, { ...created, status: { phase: 'Running', podIP: '127.0.0.1', startTime: since, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } });
    }
    const pods = new PodsMetricsSource({ informers, clock, log: silentLogger });
    informers.informerFor<Pod>({ apiVersion: 'v1', plural: 'pods', namespaced: true });
    informers.start(stop.signal);
    await informers.waitForSync(stop.signal);
    // Two scrapes 2 s apart: each pod served 6 requests → 3 requests per second per pod.
    await pods.scrapeAll(stop.signal);
    await clock.advance(2000);
    for (const a of apps) a.total = 6;
    await pods.scrapeAll(stop.signal);

    await ok(h, 'POST', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'echo', namespace: NS },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'echo' }, minReplicas: 1, maxReplicas: 10,
        metrics: [{ type: 'Pods', pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '2' } } }],
      },
    });
    const started = startHpaController({ client, informers, recorder, clock, log: silentLogger, signal: stop.signal, sources: { pods } });
    const deadline = Date.now() + 10_000;
    let hpa: { status?: { desiredReplicas?: number; currentMetrics?: { pods?: { current: { averageValue?: string } } }[] } } = {};
    while (hpa.status?.desiredReplicas !== 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      hpa = await ok(h, 'GET', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/echo`) as typeof hpa;
    }
    // 2 pods × 3 req/s against 2 req/s per pod → ceil(2 × 3 / 2) = 3.
    assert.equal(hpa.status?.desiredReplicas, 3);
    assert.equal(hpa.status?.currentMetrics?.[0]?.pods?.current.averageValue, '3');
    assert.equal(((await ok(h, 'GET', `/apis/apps/v1/namespaces/${NS}/deployments/echo/scale`)).spec as { replicas: number }).replicas, 3);
    await recorder.flush();
    const events = (await ok(h, 'GET', `/api/v1/namespaces/${NS}/events`)).items as { reason: string; message: string }[];
    assert.ok(events.some((e) => e.reason === 'SuccessfulRescale' && e.message === 'New size: 3; reason: pods metric http_requests above target'), JSON.stringify(events.map((e) => e.message)));
    stop.abort();
    await started.done;
  } finally {
    stop.abort();
    client.close();
    for (const a of apps) a.server.close();
    await h.close();
  }
});
