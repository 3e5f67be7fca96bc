import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../../core/api/index.js';
import type { KubeObject, Pod, ReplicaSet } from '../../../../core/api/index.js';
import { KubeClient } from '../../../../core/client/index.js';
import type { ResourceTarget, WriteOptions } from '../../../../core/client/index.js';
import { ReplicaSetController } from '../../../../core/controllers/workloads/index.js';
import { FakeClock, silentLogger } from '../../../../core/util/index.js';
import { eventually, listEvents, listPods, pods, replicasets, setPodReady, startEnv } from './harness.js';

function rs(replicas: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'app' }] } } },
  };
}

test('the ReplicaSet controller keeps N pods, adopts orphans and scales down the right pods', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const ctl = new ReplicaSetController({ client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger });
  const running = ctl.start(env.signal);
  t.after(() => running);
  const created = await env.client.create<ReplicaSet>(replicasets, rs(3));

  await t.test('creates replicas pods from the template, owned by the set', async () => {
    const got = await eventually(async () => {
      const ps = await listPods(env.client);
      return ps.length === 3 ? ps : undefined;
    }, '3 pods');
    for (const p of got) {
      assert.match(p.metadata.name ?? '', /^web-[a-z0-9]+$/);
      assert.deepEqual(p.metadata.labels, { app: 'web' });
      const ref = p.metadata.ownerReferences?.[0];
      assert.deepEqual([ref?.kind, ref?.name, ref?.uid, ref?.controller, ref?.blockOwnerDeletion], ['ReplicaSet', 'web', created.metadata.uid, true, true]);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await listPods(env.client)).length, 3, 'no duplicates while the informer catches up');
    const events = await eventually(async () => {
      const evs = (await listEvents(env.client)).filter((e) => e.reason === 'SuccessfulCreate');
      return evs.length === 3 ? evs : undefined;
    }, 'SuccessfulCreate events');
    assert.ok(events.every((e) => /^Created pod: web-/.test(e.message ?? '')));
  });

  await t.test('a deleted pod is replaced and status counts ready pods', async () => {
    const [first, ...rest] = await listPods(env.client);
    assert.ok(first);
    await env.client.delete(pods, 'default', first.metadata.name ?? '');
    const now = await eventually(async () => {
      const ps = await listPods(env.client);
      return ps.length === 3 && !ps.some((p) => p.metadata.name === first.metadata.name) ? ps : undefined;
    }, 'replacement pod');
    for (const p of rest) await setPodReady(env.client, p, true);
    const status = await eventually(async () => {
      const s = (await env.client.get<ReplicaSet>(replicasets, 'default', 'web')).status;
      return s?.readyReplicas === 2 ? s : undefined;
    }, 'readyReplicas 2');
    assert.equal(status.replicas, 3);
    assert.equal(status.availableReplicas, 2);
    assert.equal(status.fullyLabeledReplicas, 3);
    assert.equal(status.observedGeneration, 1);
    assert.equal(now.length, 3);
  });

  await t.test('an orphan that matches is adopted, and the surplus goes (not-ready, unscheduled first)', async () => {
    const orphan = await env.client.create<Pod>(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'app' }] } });
    await eventually(async () => {
      const ps = await listPods(env.client);
      return ps.length === 3 && ps.every((p) => p.metadata.ownerReferences?.[0]?.uid === created.metadata.uid) ? ps : undefined;
    }, 'adoption and one deletion');
    const left = await listPods(env.client);
    assert.equal(left.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length, 2, 'both ready pods kept');
    assert.ok(orphan.metadata.name);
  });

  await t.test('scaling down to 1 keeps the ready pod that was ready longest', async () => {
    const ps = await listPods(env.client);
    const ready = ps.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const [older, newer] = ready;
    assert.ok(older && newer);
    await setPodReady(env.client, (await env.client.get<Pod>(pods, 'default', older.metadata.name ?? '')), true, '10.1.0.7', Date.now() - 60_000);
    const cur = await env.client.get<ReplicaSet>(replicasets, 'default', 'web');
    await env.client.update<ReplicaSet>(replicasets, { ...cur, spec: { ...cur.spec, replicas: 1 } });
    const [only] = await eventually(async () => {
      const now = await listPods(env.client);
      return now.length === 1 ? now : undefined;
    }, 'one pod left');
    assert.equal(only?.metadata.name, older.metadata.name);
    const deletes = await eventually(async () => {
      const evs = (await listEvents(env.client)).filter((e) => e.reason === 'SuccessfulDelete');
      return evs.length >= 3 ? evs : undefined;
    }, 'SuccessfulDelete events');
    assert.ok(deletes.every((e) => /^Deleted pod: /.test(e.message ?? '')));
  });

  await t.test('a pod whose labels stop matching is released', async () => {
    const [p] = await listPods(env.client);
    assert.ok(p);
    await env.client.patch(pods, 'default', p.metadata.name ?? '', { metadata: { labels: { app: 'other' } } }, 'merge');
    const released = await eventually(async () => {
      const got = await env.client.get<Pod>(pods, 'default', p.metadata.name ?? '');
      return (got.metadata.ownerReferences ?? []).length === 0 ? got : undefined;
    }, 'release');
    assert.equal(released.metadata.labels?.app, 'other');
    await eventually(async () => (await listPods(env.client, 'app=web')).length === 1, 'a replacement for the released pod');
  });
});

test('minReadySeconds: a ready pod becomes available when its time comes (requeue on the injected clock)', async (t) => {
  const clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
  const env = await startEnv(clock);
  t.after(() => env.close());
  const ctl = new ReplicaSetController({ client: env.client, informers: env.informers, recorder: env.recorder, clock, log: silentLogger });
  const running = ctl.start(env.signal);
  t.after(() => running);
  const set = rs(1);
  set.spec.minReadySeconds = 10;
  await env.client.create<ReplicaSet>(replicasets, set);
  const [pod] = await eventually(async () => {
    const ps = await listPods(env.client);
    return ps.length === 1 ? ps : undefined;
  }, 'one pod');
  assert.ok(pod);
  await setPodReady(env.client, pod, true, '10.5.0.1', clock.now());
  const status = async (): Promise<ReplicaSet['status']> => (await env.client.get<ReplicaSet>(replicasets, 'default', 'web')).status;
  await eventually(async () => (await status())?.readyReplicas === 1, 'ready');
  assert.equal((await status())?.availableReplicas, 0, 'not available before minReadySeconds');
  await clock.advance(5_000);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await status())?.availableReplicas, 0, 'still not available after 5 s');
  await clock.advance(5_001);
  await eventually(async () => (await status())?.availableReplicas === 1, 'available after 10 s');
});

test('a pod the server rejects gives a FailedCreate event and a ReplicaFailure condition', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  /** A client whose pod creates the "server" refuses (as a quota admission would). */
  class RefusingClient extends KubeClient {
    override create<T extends KubeObject>(target: ResourceTarget, obj: T, opts?: WriteOptions): Promise<T> {
      if (target.plural === 'pods') return Promise.reject(new ApiError('Forbidden', 'pods "bad-" is forbidden: exceeded quota'));
      return super.create(target, obj, opts);
    }
  }
  const client = new RefusingClient({ server: env.server.server, caCert: env.server.caCert, token: env.server.token });
  t.after(() => client.close());
  const running = new ReplicaSetController({ client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger }).start(env.signal);
  t.after(() => running);
  const bad = rs(2);
  bad.metadata.name = 'bad';
  await env.client.create<ReplicaSet>(replicasets, bad);
  const ev = await eventually(async () => (await listEvents(env.client)).find((e) => e.reason === 'FailedCreate'), 'FailedCreate event');
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.message, 'Error creating: pods "bad-" is forbidden: exceeded quota');
  const cond = await eventually(async () => (await env.client.get<ReplicaSet>(replicasets, 'default', 'bad')).status?.conditions?.find((c) => c.type === 'ReplicaFailure'), 'ReplicaFailure');
  assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'FailedCreate', 'pods "bad-" is forbidden: exceeded quota']);
  assert.equal((await listPods(env.client)).length, 0);
});
