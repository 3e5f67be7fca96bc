import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, makeDeployment, startServer } from './harness.js';
import type { Harness } from './harness.js';

const deps = '/apis/apps/v1/namespaces/default/deployments';

describe('apiserver CRUD', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
    await createNamespace(h, 'default');
    await createNamespace(h, 'other');
  });
  after(async () => { await h.close(); });

  test('create, get, list, update, delete', async () => {
    const c = await h.req('POST', deps, makeDeployment('a'));
    assert.equal(c.status, 201, c.text);
    assert.ok(c.body.metadata.uid);
    const dup = await h.req('POST', deps, makeDeployment('a'));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.reason, 'AlreadyExists');
    const list = await h.req('GET', deps);
    assert.equal(list.body.kind, 'DeploymentList');
    assert.equal(list.body.items.length, 1);
    const upd = { ...c.body, spec: { ...c.body.spec, replicas: 3 } };
    const u = await h.req('PUT', `${deps}/a`, upd);
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.spec.replicas, 3);
    const stale = await h.req('PUT', `${deps}/a`, upd);
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    const d = await h.req('DELETE', `${deps}/a`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.metadata.name, 'a');
    assert.equal((await h.req('GET', `${deps}/a`)).status, 404);
  });

  test('list across namespaces and selectors', async () => {
    await h.req('POST', deps, makeDeployment('s1'));
    await h.req('POST', '/apis/apps/v1/namespaces/other/deployments', makeDeployment('s2', { ns: 'other' }));
    const all = await h.req('GET', '/apis/apps/v1/deployments');
    const names = all.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort();
    assert.deepEqual(names, ['s1', 's2']);
    const byLabel = await h.req('GET', '/apis/apps/v1/deployments?labelSelector=app%3Ds2');
    assert.deepEqual(byLabel.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['s2']);
    const byField = await h.req('GET', '/apis/apps/v1/deployments?fieldSelector=metadata.namespace%3Ddefault');
    assert.deepEqual(byField.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['s1']);
    const bad = await h.req('GET', '/apis/apps/v1/deployments?labelSelector=%3D%3D%3D');
    assert.equal(bad.status, 400);
    const dc = await h.req('DELETE', '/apis/apps/v1/namespaces/other/deployments?labelSelector=app%3Ds2');
    assert.equal(dc.status, 200, dc.text);
    assert.equal(dc.body.items.length, 1);
    assert.equal((await h.req('GET', '/apis/apps/v1/namespaces/other/deployments/s2')).status, 404);
  });

  test('limit and continue page through a list', async () => {
    for (const n of ['p1', 'p2', 'p3']) await h.req('POST', '/api/v1/namespaces/other/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n } });
    const first = await h.req('GET', '/api/v1/namespaces/other/configmaps?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.metadata.continue);
    const second = await h.req('GET', `/api/v1/namespaces/other/configmaps?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    assert.equal(second.body.items.length, 1);
  });

  const nsCases = [
    { description: 'missing namespace → 404', path: '/apis/apps/v1/namespaces/nope/deployments', body: makeDeployment('x', { ns: 'nope' }), status: 404, message: /namespaces "nope" not found/ },
    { description: 'namespace mismatch → 400', path: deps, body: makeDeployment('x', { ns: 'other' }), status: 400, message: /does not match the namespace/ },
    { description: 'kind mismatch → 400', path: deps, body: { ...makeDeployment('x'), kind: 'ReplicaSet' }, status: 400, message: /does not match the expected API version/ },
    { description: 'apiVersion mismatch → 400', path: deps, body: { ...makeDeployment('x'), apiVersion: 'v1' }, status: 400, message: /does not match/ },
  ];
  for (const c of nsCases) {
    test(c.description, async () => {
      const r = await h.req('POST', c.path, c.body);
      assert.equal(r.status, c.status, r.text);
      assert.equal(r.body.kind, 'Status');
      assert.match(r.body.message, c.message);
    });
  }

  test('creating in a terminating namespace is 403', async () => {
    await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dying' } });
    const ns = await h.req('GET', '/api/v1/namespaces/dying');
    const st = await h.req('PUT', '/api/v1/namespaces/dying/status', { ...ns.body, status: { phase: 'Terminating' } });
    assert.equal(st.status, 200, st.text);
    const r = await h.req('POST', '/apis/apps/v1/namespaces/dying/deployments', makeDeployment('x', { ns: 'dying' }));
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.reason, 'Forbidden');
  });

  test('dryRun=All validates and stores nothing', async () => {
    const r = await h.req('POST', `${deps}?dryRun=All`, makeDeployment('dry'));
    assert.equal(r.status, 201, r.text);
    assert.equal((await h.req('GET', `${deps}/dry`)).status, 404);
    await h.req('POST', deps, makeDeployment('dry2'));
    const d = await h.req('DELETE', `${deps}/dry2?dryRun=All`);
    assert.equal(d.status, 200);
    assert.equal((await h.req('GET', `${deps}/dry2`)).status, 200);
  });

  test('cluster-scoped kinds', async () => {
    const r = await h.req('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.metadata.namespace, undefined);
    assert.equal((await h.req('GET', '/api/v1/nodes/n1')).status, 200);
  });
});
