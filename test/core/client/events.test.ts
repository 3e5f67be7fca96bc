import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Event } from '../../../core/api/index.js';
import { EventRecorder, eventTarget } from '../../../core/client/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { startTestServer } from './harness.js';

const configmaps = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };
const namespaces = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };

test('event recorder against a real server', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = s.client;
  await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const obj = await c.create<ConfigMap>(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'subject', namespace: 'default' } });
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const events = async (): Promise<Event[]> => (await c.list<Event>(eventTarget, { namespace: 'default' })).items;

  await t.test('repeats aggregate into one Event with a count', async () => {
    const rec = new EventRecorder({ client: c, component: 'test-controller', clock, log: silentLogger });
    rec.event(obj, 'Normal', 'Synced', 'all good');
    await rec.flush();
    await clock.advance(5000);
    rec.event(obj, 'Normal', 'Synced', 'all good');
    rec.event(obj, 'Normal', 'Synced', 'all good');
    rec.event(obj, 'Warning', 'Failed', 'bad thing');
    await rec.flush();
    const list = await events();
    assert.equal(list.length, 2);
    const synced = list.find((e) => e.reason === 'Synced');
    assert.ok(synced);
    assert.equal(synced.count, 3);
    assert.equal(synced.type, 'Normal');
    assert.equal(synced.firstTimestamp, '2026-01-01T12:00:00Z');
    assert.equal(synced.lastTimestamp, '2026-01-01T12:00:05Z');
    assert.deepEqual(synced.involvedObject, {
      apiVersion: 'v1', kind: 'ConfigMap', name: 'subject', namespace: 'default',
      uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion,
    });
    assert.equal(synced.source?.component, 'test-controller');
    assert.equal(list.find((e) => e.reason === 'Failed')?.count, 1);
  });

  await t.test('the spam filter drops a hot loop beyond the burst', async () => {
    const rec = new EventRecorder({ client: c, component: 'spammy', clock, log: silentLogger, burst: 3 });
    for (let i = 0; i < 50; i++) rec.event(obj, 'Warning', 'Loop', `message ${i}`);
    await rec.flush();
    const loop = (await events()).filter((e) => e.reason === 'Loop');
    assert.equal(loop.length, 3);
  });

  await t.test('a failing write never throws into the caller', async () => {
    const rec = new EventRecorder({ client: c, component: 'x', clock, log: silentLogger });
    const ghost = { ...obj, metadata: { ...obj.metadata, namespace: 'does-not-exist', uid: 'ghost' } };
    assert.doesNotThrow(() => rec.event(ghost, 'Normal', 'R', 'm'));
    await rec.flush();
  });
});
