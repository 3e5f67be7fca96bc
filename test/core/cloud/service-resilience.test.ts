import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { startCloudControllers } from '../../../core/cloud/index.js';
import { FakeClock, silentLogger, systemClock } from '../../../core/util/index.js';
import { createFakeProvider, FakeCloud } from '../../../providers/fake/index.js';
import { createNamespace, startServer, token } from '../apiserver/harness.js';
import type { Harness } from '../apiserver/harness.js';
import { createObject, putNode, until } from './support.js';

const svcPath = '/api/v1/namespaces/default/services';

/** Starts the cloud controllers against `h` over `cloud`; returns a stop function. */
function controllers(h: Harness, cloud: FakeCloud, clock: FakeClock): () => Promise<void> {
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock: systemClock, log: silentLogger, resyncMs: 100 });
  const provider = createFakeProvider({ cloudConfig: {}, clusterName: 'skiff', dataDir: '/nonexistent', log: silentLogger, clock: systemClock }, { cloud });
  const recorder = new EventRecorder({ client, component: 'cloud-controller-manager', clock: systemClock, log: silentLogger });
  const stop = new AbortController();
  const run = startCloudControllers({ client, informers, recorder, provider, clock, log: silentLogger, signal: stop.signal, service: { backoff: { baseMs: 1_000, maxMs: 4_000 } } });
  return async () => {
    stop.abort();
    await run.done;
    await informers.stopped();
  };
}

function lbService(name: string, port: number, nodePort: number): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', ports: [{ port, targetPort: 8080, nodePort }] } };
}

test('service controller converges under throttling and 5xx on mutating calls, and a restart adopts without changes', async () => {
  const h = await startServer();
  const cloud = new FakeCloud();
  const clock = new FakeClock(Date.now());
  let stop = controllers(h, cloud, clock);
  try {
    await createNamespace(h, 'default');
    await putNode(h, 'n1');
    await putNode(h, 'n2', { ip: '127.0.0.2' });
    cloud.inject({ mutating: true, error: 'Throttled', everyNth: 2 });
    cloud.inject({ mutating: true, error: '5xx', everyNth: 3 });
    const port = 20000 + Math.floor(Math.random() * 9000);
    for (const [i, name] of ['a', 'b', 'c'].entries()) await createObject(h, svcPath, lbService(name, port + i, 31100 + i));
    await until('all three have ingress', async () => {
      await clock.advance(1_000);
      const items = (await h.req('GET', svcPath)).body?.items ?? [];
      return items.filter((s: { status?: { loadBalancer?: { ingress?: unknown[] } } }) => (s.status?.loadBalancer?.ingress ?? []).length > 0).length === 3;
    }, 20_000);
    assert.equal(cloud.loadBalancers.size, 3, 'one balancer each, none duplicated');
    assert.ok(cloud.calls().some((c) => c.outcome === 'Throttled') && cloud.calls().some((c) => c.outcome === 'Transient'), 'faults were hit');
    const uids = new Set([...cloud.loadBalancers.values()].map((lb) => lb.tags['skiff.dev/owner-uid']));
    assert.equal(uids.size, 3);

    // Restart: new controllers, same cloud. They adopt what is there with read-only calls.
    await stop();
    cloud.faults.clear();
    cloud.clearCalls();
    stop = controllers(h, cloud, clock);
    await until('restarted controllers looked', async () => cloud.calls().filter((c) => c.op === 'describeLoadBalancers').length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(cloud.calls().filter((c) => c.mutating), [], 'no mutating call after a restart');
    assert.equal(cloud.loadBalancers.size, 3);

    // Deleting everything under faults still leaks nothing.
    cloud.inject({ mutating: true, error: 'Throttled', everyNth: 2 });
    for (const name of ['a', 'b', 'c']) await h.req('DELETE', `${svcPath}/${name}`);
    await until('all gone', async () => {
      await clock.advance(1_000);
      return ((await h.req('GET', svcPath)).body?.items ?? []).filter((s: { spec?: { type?: string } }) => s.spec?.type === 'LoadBalancer').length === 0;
    }, 20_000);
    assert.equal(cloud.loadBalancers.size, 0);
  } finally {
    await stop();
    await cloud.reset();
    await h.close();
  }
});
