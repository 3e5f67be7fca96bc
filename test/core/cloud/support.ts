/** Test support: an in-process API server, a client, informers, the fake provider and the cloud controllers. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { startCloudControllers } from '../../../core/cloud/index.js';
import type { CloudControllers, CloudProvider, StartCloudControllersOptions } from '../../../core/cloud/index.js';
import { FakeClock, silentLogger, systemClock } from '../../../core/util/index.js';
import { createFakeProvider } from '../../../providers/fake/index.js';
import type { FakeProvider } from '../../../providers/fake/index.js';
import { createNamespace, startServer, token } from '../apiserver/harness.js';
import type { Harness } from '../apiserver/harness.js';

export interface Env {
  h: Harness;
  client: KubeClient;
  fake: FakeProvider;
  clock: FakeClock;
  metrics: Registry;
  controllers: CloudControllers;
  /** The informers the controllers read: wait on them to know a change has reached the controllers. */
  informers: SharedInformerFactory;
  dataDir: string;
  close(): Promise<void>;
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startEnv(extra: Partial<StartCloudControllersOptions> = {}, wrap?: (p: FakeProvider, h: Harness) => CloudProvider): Promise<Env> {
  const h = await startServer();
  await createNamespace(h, 'default');
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-cloud-'));
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock: systemClock, log: silentLogger, resyncMs: 100 });
  const clock = new FakeClock(Date.now());
  const fake = createFakeProvider({ cloudConfig: {}, clusterName: 'skiff', dataDir, log: silentLogger, clock: systemClock });
  const recorder = new EventRecorder({ client, component: 'cloud-controller-manager', clock: systemClock, log: silentLogger });
  const metrics = new Registry();
  const stop = new AbortController();
  const controllers = startCloudControllers({ client, informers, recorder, provider: wrap ? wrap(fake, h) : fake, clock, log: silentLogger, signal: stop.signal, metrics, ...extra });
  return {
    h, client, fake, clock, metrics, controllers, informers, dataDir,
    close: async () => {
      stop.abort();
      await controllers.done;
      await informers.stopped();
      await fake.cloud.reset();
      await h.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createObject(h: Harness, path: string, obj: unknown): Promise<void> {
  const r = await h.req('POST', path, obj);
  assert.equal(r.status, 201, r.text);
}

/** Creates a Ready node with an InternalIP. */
export async function putNode(h: Harness, name: string, opts: { ip?: string; labels?: Record<string, string>; taints?: unknown[] } = {}): Promise<void> {
  await createObject(h, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: opts.labels ?? {} }, spec: { taints: opts.taints ?? [] } });
  const cur = (await h.req('GET', `/api/v1/nodes/${name}`)).body;
  const status = { addresses: [{ type: 'InternalIP', address: opts.ip ?? '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] };
  const r = await h.req('PUT', `/api/v1/nodes/${name}/status`, { ...cur, status });
  assert.equal(r.status, 200, r.text);
}

export async function eventReasons(h: Harness, name: string, ns = 'default'): Promise<string[]> {
  const r = await h.req('GET', `/api/v1/namespaces/${ns}/events`);
  const items = (r.body?.items ?? []) as { reason: string; involvedObject: { name: string } }[];
  return items.filter((e) => e.involvedObject.name === name).map((e) => e.reason);
}

/** Sum of `skiff_cloud_reconcile_duration_seconds_count` for `controller`. */
export async function reconcileCount(metrics: Registry, controller: string): Promise<number> {
  const m = await metrics.getSingleMetric('skiff_cloud_reconcile_duration_seconds')?.get();
  return (m?.values ?? []).filter((v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.controller === controller).reduce((a, v) => a + v.value, 0);
}
