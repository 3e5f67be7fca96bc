import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, Pod, PodDisruptionBudget, ReplicaSet } from '../../../../core/api/index.js';
import { startWorkloadControllers } from '../../../../core/controllers/workloads/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { deployments, eventually, fakeKubelet, listPods, pods, replicasets, startEnv } from './harness.js';

const pdbs = { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true };
const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'v1' }] } });
const numbers = (p: PodDisruptionBudget): number[] => {
  const s = p.status;
  return [s?.disruptionsAllowed ?? -1, s?.currentHealthy ?? -1, s?.desiredHealthy ?? -1, s?.expectedPods ?? -1];
};

test('the disruption controller keeps budgets in step with pods and their controllers\' scale', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const stop = new AbortController();
  const started = startWorkloadControllers({ client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger, signal: AbortSignal.any([env.signal, stop.signal]) });
  const kubelet = new AbortController();
  const kubeletRun = fakeKubelet(env, kubelet.signal);
  t.after(async () => {
    kubelet.abort();
    stop.abort();
    await Promise.all([kubeletRun, started.done]);
  });
  const budget = (name: string, spec: PodDisruptionBudget['spec']): Promise<PodDisruptionBudget> =>
    env.client.create<PodDisruptionBudget>(pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec });
  const until = (name: string, want: number[], what: string): Promise<PodDisruptionBudget> => eventually(async () => {
    const p = await env.client.get<PodDisruptionBudget>(pdbs, 'default', name);
    return JSON.stringify(numbers(p)) === JSON.stringify(want) && p.status?.observedGeneration === p.metadata.generation ? p : undefined;
  }, what, 20_000);

  await env.client.create<Deployment>(deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('web') } });
  await budget('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
  const web = await until('web', [1, 3, 2, 3], 'minAvailable 2 over 3 ready pods');
  const cond = web.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
  assert.deepEqual([cond?.status, cond?.reason], ['True', 'SufficientPods']);

  // maxUnavailable as a percentage of the Deployment's scale (through its ReplicaSet), following a scale change.
  await env.client.create<Deployment>(deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'default' }, spec: { replicas: 4, selector: { matchLabels: { app: 'api' } }, template: template('api') } });
  await budget('api', { maxUnavailable: '50%', selector: { matchLabels: { app: 'api' } } });
  await until('api', [2, 4, 2, 4], '50% of 4');
  await env.client.patch(deployments, 'default', 'api', { spec: { replicas: 5 } }, 'merge');
  await until('api', [3, 5, 2, 5], '50% of 5 rounds up to 3 unavailable: 2 desired of 5 ready');

  // A ReplicaSet without a Deployment: its scale subresource.
  await env.client.create<ReplicaSet>(replicasets, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'solo', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'solo' } }, template: template('solo') } });
  await budget('solo', { maxUnavailable: 1, selector: { matchLabels: { app: 'solo' } } });
  await until('solo', [1, 2, 1, 2], 'maxUnavailable 1 of a 2-replica ReplicaSet');

  // A pod whose controller has no scale subresource: SyncFailed, nothing allowed.
  await env.client.create<Pod>(pods, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'odd', namespace: 'default', labels: { app: 'odd' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u-1', controller: true }] },
    spec: { containers: [{ name: 'c', image: 'v1' }] },
  });
  await budget('odd', { maxUnavailable: 1, selector: { matchLabels: { app: 'odd' } } });
  const odd = await eventually(async () => {
    const p = await env.client.get<PodDisruptionBudget>(pdbs, 'default', 'odd');
    return p.status?.conditions?.some((c) => c.reason === 'SyncFailed') ? p : undefined;
  }, 'SyncFailed', 20_000);
  assert.equal(odd.status?.disruptionsAllowed, 0);
  assert.equal(odd.status?.conditions?.[0]?.message, 'found no controllers for pod "odd"');

  // An eviction spends the budget; the replacement brings it back.
  const victim = (await listPods(env.client, 'app=web'))[0];
  assert.ok(victim?.metadata.name);
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: victim.metadata.name, namespace: 'default' } };
  await env.client.request('POST', `/api/v1/namespaces/default/pods/${victim.metadata.name}/eviction`, body);
  assert.ok(!(await listPods(env.client, 'app=web')).some((p) => p.metadata.name === victim.metadata.name), 'evicted');
  await until('web', [1, 3, 2, 3], 'the replacement is ready and counted again');
});
