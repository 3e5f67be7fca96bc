/** ReplicationControllers through the real kubectl: the docs' nginx example, defaults, scale, table, validation and api-resources. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Pod, ReplicationController } from '../../../../core/api/index.js';
import { ReplicationManager, replicationControllersTarget } from '../../../../core/controllers/workloads/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { repoRoot } from '../../../support/skiff.js';
import { kubectlFor } from '../../client/kubectl.js';
import { eventually, listEvents, listPods, startEnv, startFakeKubelet } from './harness.js';

const example = join(repoRoot, 'test/e2e/fixtures/k8s-docs/replication.yaml');

test('the docs ReplicationController example runs 3 pods; kubectl scales it, prints its table and finds it in api-resources', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const ctl = new ReplicationManager({ client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger });
  const running = ctl.start(env.signal);
  t.after(() => running);
  t.after(startFakeKubelet(env));
  const kubectl = await kubectlFor(env.server);

  const applied = await kubectl('apply', '-f', example);
  assert.equal(applied.code, 0, applied.err);
  assert.match(applied.out, /^replicationcontroller\/nginx created$/m);
  const rc = await env.client.get<ReplicationController>(replicationControllersTarget, 'default', 'nginx');
  assert.deepEqual(rc.metadata.labels, { app: 'nginx' }, 'labels default to the template labels');

  const pods = await eventually(async () => {
    const ps = await listPods(env.client, 'app=nginx');
    return ps.length === 3 ? ps : undefined;
  }, '3 nginx pods');
  for (const p of pods) {
    assert.match(p.metadata.name ?? '', /^nginx-[a-z0-9]{5}$/);
    const ref = p.metadata.ownerReferences?.[0];
    assert.deepEqual([ref?.apiVersion, ref?.kind, ref?.name, ref?.uid, ref?.controller], ['v1', 'ReplicationController', 'nginx', rc.metadata.uid, true]);
  }
  await eventually(async () => (await env.client.get<ReplicationController>(replicationControllersTarget, 'default', 'nginx')).status?.readyReplicas === 3, 'readyReplicas 3');

  const table = await kubectl('get', 'rc');
  assert.equal(table.code, 0, table.err);
  const [head, row] = table.out.trim().split('\n');
  assert.deepEqual(head?.split(/\s+/), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
  assert.deepEqual(row?.split(/\s+/).slice(0, 4), ['nginx', '3', '3', '3']);
  const wide = await kubectl('get', 'replicationcontroller', 'nginx', '-o', 'wide');
  assert.match(wide.out, /CONTAINERS\s+IMAGES\s+SELECTOR/);
  assert.match(wide.out, /nginx\s+nginx\s+app=nginx\s*$/m);

  const scaled = await kubectl('scale', 'rc', 'nginx', '--replicas=1');
  assert.equal(scaled.code, 0, scaled.err);
  assert.match(scaled.out, /replicationcontroller\/nginx scaled/);
  await eventually(async () => {
    const ps = (await listPods(env.client, 'app=nginx')).filter((p: Pod) => !p.metadata.deletionTimestamp);
    return ps.length === 1;
  }, 'scaled to 1');
  const scale = await env.client.getScale(replicationControllersTarget, 'default', 'nginx');
  assert.equal(scale.spec?.replicas, 1);
  assert.equal(scale.status?.selector, 'app=nginx');
  const events = await listEvents(env.client);
  assert.ok(events.some((e) => e.reason === 'SuccessfulDelete' && e.involvedObject.kind === 'ReplicationController'), 'deletions are reported on the RC');

  const resources = await kubectl('api-resources');
  assert.match(resources.out, /^replicationcontrollers\s+rc\s+v1\s+true\s+ReplicationController$/m);
});

test('ReplicationController validation: the selector must match the template, restartPolicy must be Always', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const kubectl = await kubectlFor(env.server);
  const bad = JSON.stringify({
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'bad' },
    spec: { selector: { app: 'x' }, template: { metadata: { labels: { app: 'y' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'app' }] } } },
  });
  const res = await kubectl.withInput(bad, 'create', '-f', '-');
  assert.notEqual(res.code, 0);
  assert.match(res.err, /ReplicationController "bad" is invalid/);
  assert.match(res.err, /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
  assert.match(res.err, /spec\.template\.spec\.restartPolicy: Unsupported value: "Never": supported values: "Always"/);

  // The selector is optional (it defaults to the template's labels) and, unlike a ReplicaSet's, may change.
  const ok = JSON.stringify({
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'ok' },
    spec: { template: { metadata: { labels: { app: 'a', tier: 't' } }, spec: { containers: [{ name: 'c', image: 'app' }] } } },
  });
  assert.equal((await kubectl.withInput(ok, 'create', '-f', '-')).code, 0);
  const got = await env.client.get<ReplicationController>(replicationControllersTarget, 'default', 'ok');
  assert.deepEqual(got.spec?.selector, { app: 'a', tier: 't' });
  assert.equal(got.spec?.replicas, 1);
  const patched = await kubectl('patch', 'rc', 'ok', '--type=merge', '-p', '{"spec":{"selector":{"tier":null}}}');
  assert.equal(patched.code, 0, patched.err);
  assert.deepEqual((await env.client.get<ReplicationController>(replicationControllersTarget, 'default', 'ok')).spec?.selector, { app: 'a' });
});
