import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, Pod, ReplicaSet } from '../../../../core/api/index.js';
import { SharedInformerFactory } from '../../../../core/client/index.js';
import { DeploymentController, ReplicaSetController } from '../../../../core/controllers/workloads/index.js';
import { silentLogger, systemClock } from '../../../../core/util/index.js';
import type { Env } from './harness.js';
import { deployments, eventually, fakeKubelet, isReady, listEvents, listPods, replicasets, startEnv } from './harness.js';

function deployment(image: string): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

/** kubectl rollout status's verdict. */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const r = d.spec.replicas ?? 1;
  return (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) && (s.updatedReplicas ?? 0) >= r && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0)
    && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
    && s.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';
}

async function waitRolledOut(env: Env, what: string): Promise<Deployment> {
  return eventually(async () => {
    const d = await env.client.get<Deployment>(deployments, 'default', 'web');
    return rolledOut(d) ? d : undefined;
  }, what, 20_000);
}

const rsList = async (env: Env): Promise<ReplicaSet[]> => (await env.client.list<ReplicaSet>(replicasets, { namespace: 'default' })).items;

test('the Deployment controller rolls out, never drops below N ready with maxUnavailable 0, and rolls back', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const opts = { client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger };
  const runs = [new ReplicaSetController(opts).start(env.signal), new DeploymentController(opts).start(env.signal)];
  t.after(() => Promise.all(runs));
  const kubelet = new AbortController();
  const kubeletRun = fakeKubelet(env, kubelet.signal);
  t.after(async () => {
    kubelet.abort();
    await kubeletRun;
  });
  await env.client.create<Deployment>(deployments, deployment('v1'));

  let firstRS = '';
  await t.test('first rollout: one ReplicaSet <deploy>-<hash>, revision 1', async () => {
    const d = await waitRolledOut(env, 'first rollout');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
    const [rs] = await rsList(env);
    assert.ok(rs);
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    const ps = await listPods(env.client);
    assert.equal(ps.length, 3);
    assert.ok(ps.every((p) => p.metadata.labels?.['pod-template-hash'] === hash));
    firstRS = rs.metadata.name ?? '';
  });

  await t.test('rolling update with maxUnavailable 0 keeps 3 ready pods throughout', async () => {
    const watch = new SharedInformerFactory({ client: env.client, clock: systemClock, log: silentLogger });
    const inf = watch.informerFor<Pod>({ apiVersion: 'v1', plural: 'pods', namespaced: true });
    let minReady = Infinity;
    let maxPods = 0;
    const sample = (): void => {
      const ps = inf.list();
      minReady = Math.min(minReady, ps.filter(isReady).length);
      maxPods = Math.max(maxPods, ps.length);
    };
    const stop = new AbortController();
    watch.start(stop.signal);
    await inf.waitForSync();
    inf.addHandlers({ onAdd: sample, onUpdate: sample, onDelete: sample });
    try {
      await env.client.patch(deployments, 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } }, 'merge');
      const d = await waitRolledOut(env, 'second rollout');
      assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    } finally {
      stop.abort();
      await watch.stopped();
    }
    assert.ok(minReady >= 3, `ready pods fell to ${minReady}`);
    assert.ok(maxPods <= 4, `maxSurge 1 exceeded: ${maxPods} pods`);
    const sets = await rsList(env);
    const byName = new Map(sets.map((rs) => [rs.metadata.name, rs]));
    assert.equal(byName.get(firstRS)?.spec.replicas, 0);
    const second = sets.find((rs) => rs.metadata.name !== firstRS);
    assert.equal(second?.spec.replicas, 3);
    assert.equal(second?.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    const scaling = (await listEvents(env.client)).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    assert.ok(scaling.includes(`Scaled up replica set ${second?.metadata.name ?? ''} from 0 to 1`), JSON.stringify(scaling));
    assert.ok(scaling.includes(`Scaled down replica set ${firstRS} from 1 to 0`), JSON.stringify(scaling));
  });

  await t.test('rollout undo (kubectl\'s JSON patch of the template) reuses the old ReplicaSet as revision 3', async () => {
    const old = await env.client.get<ReplicaSet>(replicasets, 'default', firstRS);
    const template = structuredClone(old.spec.template);
    delete template?.metadata?.labels?.['pod-template-hash'];
    await env.client.patch(deployments, 'default', 'web', [
      { op: 'replace', path: '/spec/template', value: template },
    ], 'json');
    await waitRolledOut(env, 'rollback');
    const reused = await eventually(async () => {
      const rs = await env.client.get<ReplicaSet>(replicasets, 'default', firstRS);
      return rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' && rs.spec.replicas === 3 ? rs : undefined;
    }, 'old ReplicaSet back at revision 3');
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await rsList(env)).length, 2, 'no third ReplicaSet');
    const d = await env.client.get<Deployment>(deployments, 'default', 'web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  });

  await t.test('scaling the Deployment through its scale subresource scales its ReplicaSet', async () => {
    const scale = await env.client.getScale(deployments, 'default', 'web');
    assert.equal(scale.spec?.replicas, 3);
    await env.client.updateScale(deployments, 'default', 'web', { ...scale, spec: { replicas: 5 } });
    const d = await waitRolledOut(env, 'scale to 5');
    assert.equal(d.status?.availableReplicas, 5);
    const rs = await env.client.get<ReplicaSet>(replicasets, 'default', firstRS);
    assert.equal(rs.spec.replicas, 5);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
  });
});

test('Recreate never runs old and new pods together', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const opts = { client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger };
  const runs = [new ReplicaSetController(opts).start(env.signal), new DeploymentController(opts).start(env.signal)];
  t.after(() => Promise.all(runs));
  const kubelet = new AbortController();
  const kubeletRun = fakeKubelet(env, kubelet.signal);
  t.after(async () => {
    kubelet.abort();
    await kubeletRun;
  });
  const d = deployment('v1');
  d.spec.strategy = { type: 'Recreate' };
  await env.client.create<Deployment>(deployments, d);
  await waitRolledOut(env, 'first rollout');

  const watch = new SharedInformerFactory({ client: env.client, clock: systemClock, log: silentLogger });
  const inf = watch.informerFor<Pod>({ apiVersion: 'v1', plural: 'pods', namespaced: true });
  let mixed = false;
  const sample = (): void => {
    const hashes = new Set(inf.list().map((p) => p.metadata.labels?.['pod-template-hash']));
    if (hashes.size > 1) mixed = true;
  };
  const stop = new AbortController();
  watch.start(stop.signal);
  await inf.waitForSync();
  inf.addHandlers({ onAdd: sample, onUpdate: sample, onDelete: sample });
  try {
    await env.client.patch(deployments, 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } }, 'merge');
    const done = await waitRolledOut(env, 'recreate rollout');
    assert.equal(done.status?.updatedReplicas, 3);
  } finally {
    stop.abort();
    await watch.stopped();
  }
  assert.equal(mixed, false, 'old and new pods overlapped');
  const sets = await rsList(env);
  assert.deepEqual(sets.map((rs) => rs.spec.replicas).sort(), [0, 3]);
});
