import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '../../../../core/api/index.js';
import { revisionFor, StatefulSetController } from '../../../../core/controllers/workloads/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { eventually, isReady, listEvents, listPods, pods, setPodReady, startEnv } from './harness.js';
import type { Env } from './harness.js';

const statefulsets = { apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true };
const revisions = { apiVersion: 'apps/v1', plural: 'controllerrevisions', namespaced: true };
const pvcs = { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true };

function sts(replicas: number, extra: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas, serviceName: 'nginx', selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1', volumeMounts: [{ name: 'www', mountPath: '/www' }] }] } },
      volumeClaimTemplates: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } } }],
      ...extra,
    },
  };
}

const names = (ps: Pod[]): string[] => ps.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '').sort();

/** Plays the scheduler and node agent: binds the pod (so deletion is graceful) and marks it ready. */
async function ready(env: Env, pod: Pod): Promise<Pod> {
  const bound = pod.spec.nodeName ? pod : await env.client.patch<Pod>(pods, 'default', pod.metadata.name ?? '', { spec: { nodeName: 'n1' } }, 'merge');
  return setPodReady(env.client, bound, true);
}

async function readyAll(env: Env): Promise<void> {
  for (const p of await listPods(env.client)) if (!isReady(p) && !p.metadata.deletionTimestamp) await ready(env, p);
}

/** Plays the node agent's part of deletion: pods marked for deletion go away. */
async function reap(env: Env): Promise<void> {
  for (const p of await listPods(env.client)) {
    if (p.metadata.deletionTimestamp) await env.client.delete(pods, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

test('the StatefulSet controller: ordered pods with stable claims, scale-down in reverse, partitioned updates, history', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const ctl = new StatefulSetController({ client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger });
  const running = ctl.start(env.signal);
  t.after(() => running);
  const created = await env.client.create<StatefulSet>(statefulsets, sts(3));

  await t.test('creates web-0 first and web-1 only once web-0 is Running and Ready', async () => {
    await eventually(async () => names(await listPods(env.client)).length === 1, 'web-0');
    await new Promise((r) => setTimeout(r, 300));
    const first = await listPods(env.client);
    assert.deepEqual(names(first), ['web-0'], 'nothing else while web-0 is not ready');
    const p0 = first[0];
    assert.ok(p0);
    assert.equal(p0.spec.hostname, 'web-0');
    assert.equal(p0.spec.subdomain, 'nginx');
    assert.equal(p0.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(p0.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.match(p0.metadata.labels?.['controller-revision-hash'] ?? '', /^web-[a-z0-9]+$/);
    assert.deepEqual(p0.spec.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-0' });
    assert.equal(p0.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);
    const claim = await env.client.get<PersistentVolumeClaim>(pvcs, 'default', 'www-web-0');
    assert.deepEqual(claim.metadata.labels, { app: 'web' });
    await ready(env, p0);
    await eventually(async () => names(await listPods(env.client)).includes('web-1'), 'web-1 after web-0 is ready');
    await readyAll(env);
    await eventually(async () => names(await listPods(env.client)).includes('web-2'), 'web-2');
    await readyAll(env);
    const s = await eventually(async () => {
      const x = await env.client.get<StatefulSet>(statefulsets, 'default', 'web');
      return x.status?.readyReplicas === 3 ? x : undefined;
    }, 'status: 3 ready');
    assert.equal(s.status?.replicas, 3);
    assert.equal(s.status?.currentRevision, s.status?.updateRevision);
    assert.equal(s.status?.currentReplicas, 3);
    assert.equal(s.status?.updatedReplicas, 3);
    assert.equal(s.status?.observedGeneration, s.metadata.generation);
    const evs = (await listEvents(env.client)).map((e) => e.message);
    assert.ok(evs.includes('create Pod web-0 in StatefulSet web successful'), evs.join('\n'));
    assert.ok(evs.includes('create Claim www-web-1 Pod web-1 in StatefulSet web success'), evs.join('\n'));
  });

  await t.test('scaling to 1 deletes web-2 before web-1 and keeps their claims', async () => {
    await env.client.patch(statefulsets, 'default', 'web', { spec: { replicas: 1 } }, 'merge');
    const p2 = await eventually(async () => (await listPods(env.client)).find((p) => p.metadata.name === 'web-2' && p.metadata.deletionTimestamp), 'web-2 terminating');
    assert.ok(p2);
    await new Promise((r) => setTimeout(r, 300));
    const mid = await listPods(env.client);
    assert.equal(mid.find((p) => p.metadata.name === 'web-1')?.metadata.deletionTimestamp, undefined, 'web-1 waits for web-2 to go');
    await reap(env);
    await eventually(async () => (await listPods(env.client)).some((p) => p.metadata.name === 'web-1' && p.metadata.deletionTimestamp), 'web-1 terminating');
    await reap(env);
    await eventually(async () => names(await listPods(env.client)).join() === 'web-0', 'only web-0');
    const claims = (await env.client.list<PersistentVolumeClaim>(pvcs, { namespace: 'default' })).items.map((c) => c.metadata.name).sort();
    assert.deepEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);
  });

  await t.test('a rolling update with partition 2 replaces only web-2; history records both revisions', async () => {
    await env.client.patch(statefulsets, 'default', 'web', { spec: { replicas: 3 } }, 'merge');
    for (let i = 0; i < 6 && names(await listPods(env.client)).length < 3; i++) {
      await eventually(async () => (await listPods(env.client)).some((p) => !isReady(p)) || names(await listPods(env.client)).length === 3, 'next pod');
      await readyAll(env);
    }
    await readyAll(env);
    const before = await eventually(async () => {
      const x = await env.client.get<StatefulSet>(statefulsets, 'default', 'web');
      return x.status?.readyReplicas === 3 ? x : undefined;
    }, '3 ready again');
    const oldRev = before.status?.currentRevision ?? '';
    await env.client.patch(statefulsets, 'default', 'web', {
      spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }, template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } },
    }, 'strategic');
    await eventually(async () => (await listPods(env.client)).some((p) => p.metadata.name === 'web-2' && p.metadata.deletionTimestamp), 'web-2 deleted for the update');
    await reap(env);
    const p2 = await eventually(async () => (await listPods(env.client)).find((p) => p.metadata.name === 'web-2' && !p.metadata.deletionTimestamp), 'new web-2');
    assert.equal(p2.spec.containers[0]?.image, 'v2');
    await ready(env, p2);
    const after = await eventually(async () => {
      const x = await env.client.get<StatefulSet>(statefulsets, 'default', 'web');
      return x.status?.updatedReplicas === 1 && x.status.readyReplicas === 3 ? x : undefined;
    }, 'one updated replica');
    assert.equal(after.status?.currentRevision, oldRev, 'the partition keeps the current revision');
    assert.notEqual(after.status?.updateRevision, oldRev);
    const ps = await listPods(env.client);
    assert.deepEqual(ps.map((p) => `${p.metadata.name ?? ''}=${p.spec.containers[0]?.image ?? ''}`).sort(), ['web-0=v1', 'web-1=v1', 'web-2=v2']);
    const revs = (await env.client.list<ControllerRevision>(revisions, { namespace: 'default' })).items;
    assert.deepEqual(revs.map((r) => r.revision).sort(), [1, 2]);
  });
});

test('a revision name taken by other data bumps status.collisionCount and the revision gets another name', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const created = await env.client.create<StatefulSet>(statefulsets, { ...sts(1), metadata: { name: 'col', namespace: 'default' } });
  const wanted = revisionFor(created, [], 0);
  await env.client.create<ControllerRevision>(revisions, { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: wanted.metadata.name, namespace: 'default' }, data: { other: true }, revision: 1 });
  const ctl = new StatefulSetController({ client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger });
  const running = ctl.start(env.signal);
  t.after(() => running);
  const s = await eventually(async () => {
    const x = await env.client.get<StatefulSet>(statefulsets, 'default', 'col');
    return x.status?.updateRevision ? x : undefined;
  }, 'an update revision');
  assert.equal(s.status?.collisionCount, 1);
  assert.equal(s.status?.updateRevision, revisionFor(created, [], 1).metadata.name);
  assert.notEqual(s.status?.updateRevision, wanted.metadata.name);
  const pod = await eventually(async () => (await listPods(env.client)).find((p) => p.metadata.name === 'col-0'), 'col-0');
  assert.equal(pod.metadata.labels?.['controller-revision-hash'], s.status?.updateRevision);
});
