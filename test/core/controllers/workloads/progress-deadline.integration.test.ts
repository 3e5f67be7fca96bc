import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../../../../core/api/index.js';
import { DeploymentController, ReplicaSetController } from '../../../../core/controllers/workloads/index.js';
import { FakeClock, silentLogger } from '../../../../core/util/index.js';
import { deployments, eventually, listPods, startEnv } from './harness.js';

test('a rollout that makes no progress reports ProgressDeadlineExceeded after progressDeadlineSeconds', async (t) => {
  const clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
  const env = await startEnv(clock);
  t.after(() => env.close());
  const opts = { client: env.client, informers: env.informers, recorder: env.recorder, clock, log: silentLogger };
  const runs = [new ReplicaSetController(opts).start(env.signal), new DeploymentController(opts).start(env.signal)];
  t.after(() => Promise.all(runs));
  await env.client.create<Deployment>(deployments, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'stuck', namespace: 'default' },
    spec: {
      replicas: 2, progressDeadlineSeconds: 30, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'never-ready' }] } },
    },
  });
  const get = (): Promise<Deployment> => env.client.get<Deployment>(deployments, 'default', 'stuck');
  const progressing = async (): Promise<{ status?: string; reason?: string; message?: string } | undefined> =>
    (await get()).status?.conditions?.find((c) => c.type === 'Progressing');
  await eventually(async () => (await listPods(env.client)).length === 2 && (await get()).status?.replicas === 2, 'two pods, never ready');
  const before = await eventually(async () => {
    const c = await progressing();
    return c?.status === 'True' ? c : undefined;
  }, 'Progressing True');
  assert.match(before.reason ?? '', /^(NewReplicaSetCreated|ReplicaSetUpdated)$/);
  const avail = (await get()).status?.conditions?.find((c) => c.type === 'Available');
  assert.deepEqual([avail?.status, avail?.reason, avail?.message], ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
  await clock.advance(20_000);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await progressing())?.status, 'True', 'not yet past the deadline');
  await clock.advance(12_000);
  const after = await eventually(async () => {
    const c = await progressing();
    return c?.status === 'False' ? c : undefined;
  }, 'ProgressDeadlineExceeded');
  assert.equal(after.reason, 'ProgressDeadlineExceeded');
  assert.match(after.message ?? '', /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
});
