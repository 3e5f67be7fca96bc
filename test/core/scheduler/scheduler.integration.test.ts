import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { createScheduler } from '../../../core/scheduler/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { createNamespace, startServer, token, type Harness } from '../apiserver/harness.js';
import { makeNode, makePod } from './fixtures.js';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function create(h: Harness, path: string, obj: unknown): Promise<void> {
  const r = await h.req('POST', path, obj);
  assert.equal(r.status, 201, r.text);
}

test('the scheduler binds a pending pod and marks an unfittable one Unschedulable with an event', async () => {
  const h = await startServer();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock: systemClock, log: silentLogger });
  try {
    await createNamespace(h, 'default');
    for (const n of [makeNode({ name: 'small-1', cpu: '1' }), makeNode({ name: 'small-2', cpu: '1' })]) {
      const { status, ...rest } = n;
      await create(h, '/api/v1/nodes', rest);
      const put = await h.req('PUT', `/api/v1/nodes/${n.metadata.name ?? ''}/status`, { ...(await h.req('GET', `/api/v1/nodes/${n.metadata.name ?? ''}`)).body, status });
      assert.equal(put.status, 200, put.text);
    }
    const scheduler = createScheduler({ client, informers, clock: systemClock, log: silentLogger });
    informers.start(stop.signal);
    const running = scheduler.start(stop.signal);

    const strip = (p: ReturnType<typeof makePod>): Record<string, unknown> => ({ ...p, status: undefined });
    await create(h, '/api/v1/namespaces/default/pods', strip(makePod({ name: 'fits', cpu: '500m' })));
    await create(h, '/api/v1/namespaces/default/pods', strip(makePod({ name: 'too-big', cpu: '2' })));

    const node = await until('binding', async () => {
      const r = await h.req('GET', '/api/v1/namespaces/default/pods/fits');
      return r.body?.spec?.nodeName as string | undefined;
    });
    assert.match(node, /^small-[12]$/);

    const cond = await until('PodScheduled=False', async () => {
      const r = await h.req('GET', '/api/v1/namespaces/default/pods/too-big');
      const c = (r.body?.status?.conditions ?? []).find((x: { type: string }) => x.type === 'PodScheduled');
      return c?.status === 'False' ? c as { reason: string; message: string } : undefined;
    });
    const want = '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, want);
    assert.equal((await h.req('GET', '/api/v1/namespaces/default/pods/too-big')).body.spec.nodeName, undefined);

    const events = await until('events', async () => {
      const r = await h.req('GET', '/api/v1/namespaces/default/events');
      const items = (r.body?.items ?? []) as { reason: string; message: string; type: string; involvedObject: { name: string } }[];
      const failed = items.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'too-big');
      const ok = items.find((e) => e.reason === 'Scheduled' && e.involvedObject.name === 'fits');
      return failed && ok ? { failed, ok } : undefined;
    });
    assert.equal(events.failed.type, 'Warning');
    assert.equal(events.failed.message, want);
    assert.equal(events.ok.type, 'Normal');
    assert.equal(events.ok.message, `Successfully assigned default/fits to ${node}`);

    // A bigger node appears: the unschedulable pod is retried and bound there.
    const big = makeNode({ name: 'big', cpu: '8' });
    const { status: bigStatus, ...bigRest } = big;
    await create(h, '/api/v1/nodes', bigRest);
    const got = (await h.req('GET', '/api/v1/nodes/big')).body;
    assert.equal((await h.req('PUT', '/api/v1/nodes/big/status', { ...got, status: bigStatus })).status, 200);
    const retried = await until('retry on node add', async () => {
      const r = await h.req('GET', '/api/v1/namespaces/default/pods/too-big');
      return r.body?.spec?.nodeName as string | undefined;
    });
    assert.equal(retried, 'big');

    stop.abort();
    await running;
  } finally {
    stop.abort();
    await informers.stopped();
    client.close();
    await h.close();
  }
});
