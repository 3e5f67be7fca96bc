import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, KubeObject } from '../../../core/api/index.js';
import { Informer, SharedInformerFactory } from '../../../core/client/index.js';
import type { KubeClient } from '../../../core/client/index.js';
import { FakeClock, silentLogger, systemClock } from '../../../core/util/index.js';
import { eventually, startTestServer } from './harness.js';

const configmaps = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };
const namespaces = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data,
});

function recorder(inf: Informer): string[] {
  const log: string[] = [];
  inf.addHandlers({
    onAdd: (o) => log.push(`add ${o.metadata.name}`),
    onUpdate: (a, b) => log.push(a === b ? `resync ${b.metadata.name}` : `update ${b.metadata.name}`),
    onDelete: (o) => log.push(`delete ${o.metadata.name}`),
  });
  return log;
}

test('informer list + watch against a real server', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = s.client;
  await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await c.create(configmaps, cm('pre'));

  const inf = new Informer({ client: c, target: configmaps, namespace: 'default', clock: systemClock, log: silentLogger });
  const log = recorder(inf);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  assert.equal(inf.hasSynced(), true);
  assert.deepEqual(log, ['add pre'], 'the initial list is delivered as adds');

  await c.create(configmaps, cm('a'));
  await c.patch(configmaps, 'default', 'a', { data: { k: 'v' } }, 'merge');
  await c.delete(configmaps, 'default', 'pre');
  await eventually(() => log.length === 4, 'three watch events');
  assert.deepEqual(log, ['add pre', 'add a', 'update a', 'delete pre'], 'events in order');
  assert.deepEqual(inf.list().map((o) => o.metadata.name), ['a']);
  assert.deepEqual((inf.get('default/a') as ConfigMap | undefined)?.data, { k: 'v' });
  assert.equal(inf.get('default/pre'), undefined);

  const late: string[] = [];
  inf.addHandlers({ onAdd: (o) => late.push(o.metadata.name ?? '') });
  assert.deepEqual(late, ['a'], 'a late handler receives the cache as adds');
  ac.abort();
  await run;
});

test('informer re-lists after 410 Gone and converges', async (t) => {
  const s = await startTestServer({ historySize: 5, bookmarkIntervalMs: 600_000 });
  t.after(() => s.close());
  const c = s.client;
  await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await c.create(configmaps, cm('m1', { app: 'x' }));
  let lists = 0;
  const counting = {
    listAll: ((...a: Parameters<KubeClient['listAll']>) => {
      lists++;
      return c.listAll(...a);
    }) as KubeClient['listAll'],
    watch: c.watch.bind(c) as KubeClient['watch'],
  };
  const inf = new Informer({
    client: counting, target: configmaps, namespace: 'default', labelSelector: 'app=x',
    clock: systemClock, log: silentLogger, watchTimeoutSeconds: 1, backoff: { baseMs: 10, maxMs: 50 },
  });
  const log = recorder(inf);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  // Ten writes the filtered watch never sees push its resourceVersion out of the 5-entry history.
  for (let i = 0; i < 10; i++) await c.create(configmaps, cm(`noise-${i}`));
  await eventually(() => lists >= 2, 'a re-list after the watch expired');
  await c.create(configmaps, cm('m2', { app: 'x' }));
  await eventually(() => inf.get('default/m2') !== undefined, 'the new object after re-list');
  assert.deepEqual(inf.list().map((o) => o.metadata.name).sort(), ['m1', 'm2']);
  assert.deepEqual(log, ['add m1', 'add m2'], 'no spurious events from the re-list');
  ac.abort();
  await run;
});

test('periodic resync re-delivers cached objects as updates', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = s.client;
  await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await c.create(configmaps, cm('r'));
  const clock = new FakeClock();
  const inf = new Informer<KubeObject>({ client: c, target: configmaps, namespace: 'default', clock, log: silentLogger, resyncMs: 30_000 });
  const log = recorder(inf);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  await clock.advance(30_000);
  assert.deepEqual(log, ['add r', 'resync r']);
  ac.abort();
  await run;
});

test('shared informer factory: one informer per resource', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = s.client;
  await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const f = new SharedInformerFactory({ client: c, clock: systemClock, log: silentLogger });
  const a = f.informerFor(configmaps);
  assert.equal(f.informerFor(configmaps), a, 'same target, same informer');
  assert.notEqual(f.informerFor(configmaps, { labelSelector: 'x=y' }), a, 'another scope, another informer');
  const ac = new AbortController();
  f.start(ac.signal);
  const late = f.informerFor(namespaces);
  await f.waitForSync(ac.signal);
  assert.equal(late.hasSynced(), true, 'an informer created after start is started too');
  assert.deepEqual(late.list().map((n) => n.metadata.name), ['default']);
  ac.abort();
  await f.stopped();
});
