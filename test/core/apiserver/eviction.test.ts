import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const pods = '/api/v1/namespaces/default/pods';
const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const evict = (h: Harness, name: string, extra: Record<string, unknown> = {}, query = ''): ReturnType<Harness['req']> =>
  h.req('POST', `${pods}/${name}/eviction${query}`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...extra });

async function runningPod(h: Harness, name: string, labels: Record<string, string>, ready = true): Promise<void> {
  const created = await h.req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
  assert.equal(created.status, 201, created.text);
  const status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  const r = await h.req('PUT', `${pods}/${name}/status`, { ...created.body, status });
  assert.equal(r.status, 200, r.text);
}

/** A budget with the status the disruption controller would have written. */
async function budget(h: Harness, name: string, spec: Record<string, unknown>, status: Record<string, unknown>): Promise<void> {
  const created = await h.req('POST', pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec });
  assert.equal(created.status, 201, created.text);
  const r = await h.req('PUT', `${pdbs}/${name}/status`, { ...created.body, status: { observedGeneration: created.body.metadata.generation, ...status } });
  assert.equal(r.status, 200, r.text);
}

describe('pods/eviction with PodDisruptionBudgets', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('two concurrent evictions cannot both spend the last allowed disruption: one 201, one 429', async () => {
    for (const n of ['a0', 'a1', 'a2']) await runningPod(h, n, { app: 'a' });
    await budget(h, 'a', { minAvailable: 2, selector: { matchLabels: { app: 'a' } } }, { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    const [r0, r1] = await Promise.all([evict(h, 'a0'), evict(h, 'a1')]);
    assert.deepEqual([r0.status, r1.status].sort(), [201, 429], `${r0.text} ${r1.text}`);
    const refused = r0.status === 429 ? r0 : r1;
    const evicted = r0.status === 201 ? 'a0' : 'a1';
    assert.equal(refused.body.reason, 'TooManyRequests');
    assert.equal(refused.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(refused.body.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget a needs 2 healthy pods and has 3 currently' }]);
    const st = (await h.req('GET', `${pdbs}/a`)).body.status;
    assert.equal(st.disruptionsAllowed, 0);
    assert.deepEqual(Object.keys(st.disruptedPods), [evicted]);
    assert.deepEqual(st.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'False', 'InsufficientPods']]);
    const gone = (await h.req('GET', `${pods}/${evicted}`)).body;
    assert.ok(gone.metadata.deletionTimestamp, 'graceful deletion started');
    const target = gone.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget');
    assert.deepEqual([target?.status, target?.reason, target?.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
    const kept = r0.status === 429 ? 'a0' : 'a1';
    assert.equal((await h.req('GET', `${pods}/${kept}`)).body.metadata.deletionTimestamp, undefined);
  });

  test('more than one budget → 500 as Kubernetes answers', async () => {
    await runningPod(h, 'b0', { app: 'b', tier: 'x' });
    await budget(h, 'b1', { minAvailable: 0, selector: { matchLabels: { app: 'b' } } }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 });
    await budget(h, 'b2', { maxUnavailable: 1, selector: { matchLabels: { tier: 'x' } } }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 });
    const r = await evict(h, 'b0');
    assert.equal(r.status, 500, r.text);
    assert.equal(r.body.message, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    assert.equal((await h.req('GET', `${pods}/b0`)).body.metadata.deletionTimestamp, undefined);
  });

  test('a budget the controller has not observed yet → 429 "still being processed"', async () => {
    await runningPod(h, 'c0', { app: 'c' });
    await budget(h, 'c', { minAvailable: 0, selector: { matchLabels: { app: 'c' } } }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 });
    const cur = (await h.req('GET', `${pdbs}/c`)).body;
    assert.equal((await h.req('PUT', `${pdbs}/c`, { ...cur, spec: { ...cur.spec, minAvailable: 1 } })).status, 200);
    const r = await evict(h, 'c0');
    assert.equal(r.status, 429, r.text);
    assert.equal(r.body.details.causes[0].message, 'The disruption budget c is still being processed by the server.');
    assert.equal(r.body.details.retryAfterSeconds, 10);
  });

  test('unready pods: IfHealthyBudget lets one go while the budget holds; AlwaysAllow always; neither spends a disruption', async () => {
    await runningPod(h, 'd0', { app: 'd' });
    await runningPod(h, 'd1', { app: 'd' }, false);
    await budget(h, 'd', { minAvailable: 1, selector: { matchLabels: { app: 'd' } } }, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 });
    assert.equal((await evict(h, 'd1')).status, 201);
    assert.equal((await h.req('GET', `${pdbs}/d`)).body.status.disruptionsAllowed, 0);
    assert.equal((await evict(h, 'd0')).status, 429, 'the healthy one is protected');

    await runningPod(h, 'e0', { app: 'e' }, false);
    await budget(h, 'e', { minAvailable: 1, selector: { matchLabels: { app: 'e' } } }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1, expectedPods: 1 });
    assert.equal((await evict(h, 'e0')).status, 429, 'IfHealthyBudget: the budget is not met, the unready pod stays');
    const cur = (await h.req('GET', `${pdbs}/e`)).body;
    await h.req('PUT', `${pdbs}/e`, { ...cur, spec: { ...cur.spec, unhealthyPodEvictionPolicy: 'AlwaysAllow' } });
    const again = (await h.req('GET', `${pdbs}/e`)).body;
    await h.req('PUT', `${pdbs}/e/status`, { ...again, status: { ...again.status, observedGeneration: again.metadata.generation } });
    assert.equal((await evict(h, 'e0')).status, 201);
  });

  test('Pending pods skip budgets; dryRun changes nothing; deleteOptions are honoured; a wrong name is a 400', async () => {
    await h.req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'f0', labels: { app: 'f' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    await runningPod(h, 'f1', { app: 'f' });
    await budget(h, 'f', { maxUnavailable: 0, selector: { matchLabels: { app: 'f' } } }, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2, expectedPods: 2 });
    assert.equal((await evict(h, 'f0')).status, 201);
    assert.equal((await h.req('GET', `${pods}/f0`)).status, 404, 'an unbound pod goes at once');
    const bad = await evict(h, 'f1', { metadata: { name: 'other' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'name in URL does not match name in Eviction object');

    await runningPod(h, 'g0', { app: 'g' });
    await runningPod(h, 'g1', { app: 'g' });
    await budget(h, 'g', { minAvailable: 1, selector: { matchLabels: { app: 'g' } } }, { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    assert.equal((await evict(h, 'g0', {}, '?dryRun=All')).status, 201);
    assert.equal((await h.req('GET', `${pods}/g0`)).body.metadata.deletionTimestamp, undefined, 'dry run: still there');
    assert.equal((await h.req('GET', `${pdbs}/g`)).body.status.disruptionsAllowed, 1, 'dry run: nothing spent');
    const now = await evict(h, 'g0', { deleteOptions: { gracePeriodSeconds: 0 } });
    assert.equal(now.status, 201, now.text);
    assert.equal((await h.req('GET', `${pods}/g0`)).status, 404, 'grace 0 removes it at once');

    await runningPod(h, 'h0', { app: 'h' });
    const uid = (await h.req('GET', `${pods}/h0`)).body.metadata.uid;
    const wrongUid = await evict(h, 'h0', { deleteOptions: { preconditions: { uid: 'not-it' } } });
    assert.equal(wrongUid.status, 409, wrongUid.text);
    assert.equal((await evict(h, 'h0', { deleteOptions: { preconditions: { uid } } })).status, 201);
  });
});
