/** The real kubectl (1.32) reading what the Deployment controller writes: rollout status, history and undo. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../../../core/api/index.js';
import { DeploymentController, ReplicaSetController } from '../../../../core/controllers/workloads/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { kubectlFor } from '../../client/kubectl.js';
import { deployments, replicasets, startEnv, startFakeKubelet } from './harness.js';

test('kubectl rollout status / history / undo work against the controllers', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const opts = { client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger };
  const runs = [new ReplicaSetController(opts).start(env.signal), new DeploymentController(opts).start(env.signal)];
  t.after(() => Promise.all(runs));
  t.after(startFakeKubelet(env));

  const kubectl = await kubectlFor(env.server);

  await env.client.create<Deployment>(deployments, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } },
  });

  const status = await kubectl('rollout', 'status', 'deploy/web', '--timeout=30s');
  assert.equal(status.code, 0, status.err);
  assert.match(status.out, /deployment "web" successfully rolled out/);
  const first = (await env.client.list<ReplicaSet>(replicasets, { namespace: 'default' })).items[0]?.metadata.name ?? '';

  const set = await kubectl('set', 'image', 'deploy/web', 'c=v2');
  assert.equal(set.code, 0, set.err);
  const status2 = await kubectl('rollout', 'status', 'deploy/web', '--timeout=30s');
  assert.equal(status2.code, 0, status2.err);
  assert.match(status2.out, /successfully rolled out/);

  const history = await kubectl('rollout', 'history', 'deploy/web');
  assert.equal(history.code, 0, history.err);
  assert.match(history.out, /^1\s/m);
  assert.match(history.out, /^2\s/m);

  const undo = await kubectl('rollout', 'undo', 'deploy/web');
  assert.equal(undo.code, 0, undo.err);
  assert.match(undo.out, /deployment.apps\/web rolled back/);
  const status3 = await kubectl('rollout', 'status', 'deploy/web', '--timeout=30s');
  assert.equal(status3.code, 0, status3.err);
  const d = await env.client.get<Deployment>(deployments, 'default', 'web');
  assert.equal(d.spec.template.spec.containers[0]?.image, 'v1');
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  const rs = await env.client.get<ReplicaSet>(replicasets, 'default', first);
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '3', 'the revision-1 ReplicaSet is reused');
  assert.equal(rs.spec.replicas, 2);
});
