import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { startServer } from './harness.js';
import type { Harness } from './harness.js';

describe('apiserver discovery and auth', () => {
  let h: Harness;
  before(async () => { h = await startServer(); });
  after(async () => { await h.close(); });

  const unauthCases = [
    { description: 'no token', headers: {} as Record<string, string> },
    { description: 'wrong token', headers: { Authorization: 'Bearer nope' } },
    { description: 'wrong scheme', headers: { Authorization: 'Basic dGVzdA==' } },
  ];
  for (const c of unauthCases) {
    test(`401 with ${c.description}`, async () => {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const r = request({ host: '127.0.0.1', port: h.port, path: '/api/v1/namespaces', ca: h.pki.caCert, headers: c.headers }, (m) => {
          let body = '';
          m.on('data', (d: Buffer) => (body += d.toString()));
          m.on('end', () => resolve({ status: m.statusCode ?? 0, body }));
        });
        r.on('error', reject);
        r.end();
      });
      assert.equal(res.status, 401);
      const st = JSON.parse(res.body) as { kind: string; reason: string; code: number };
      assert.deepEqual([st.kind, st.reason, st.code], ['Status', 'Unauthorized', 401]);
    });
  }

  test('health probes need no token', async () => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await h.req('GET', p, undefined, { Authorization: '' });
      assert.equal(r.status, 200, p);
      assert.equal(r.text, 'ok');
    }
  });

  test('/version reports 1.32', async () => {
    const r = await h.req('GET', '/version');
    assert.equal(r.body.major, '1');
    assert.equal(r.body.minor, '32');
    assert.match(r.body.gitVersion, /^v1\.32\./);
  });

  test('/api and /apis (also when aggregated discovery is asked for)', async () => {
    const api = await h.req('GET', '/api');
    assert.equal(api.body.kind, 'APIVersions');
    assert.deepEqual(api.body.versions, ['v1']);
    const apis = await h.req('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    assert.equal(apis.headers['content-type'], 'application/json');
    assert.equal(apis.body.kind, 'APIGroupList');
    const apps = apis.body.groups.find((g: { name: string }) => g.name === 'apps');
    assert.deepEqual(apps.preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
    const group = await h.req('GET', '/apis/apps');
    assert.equal(group.body.kind, 'APIGroup');
    assert.equal((await h.req('GET', '/apis/nope.example.com')).status, 404);
  });

  test('APIResourceList carries subresources', async () => {
    const core = await h.req('GET', '/api/v1');
    assert.equal(core.body.kind, 'APIResourceList');
    const names = core.body.resources.map((r: { name: string }) => r.name);
    for (const n of ['pods', 'pods/status', 'pods/binding', 'pods/log', 'pods/eviction', 'namespaces', 'services']) assert.ok(names.includes(n), n);
    const pods = core.body.resources.find((r: { name: string }) => r.name === 'pods');
    assert.equal(pods.namespaced, true);
    assert.equal(pods.kind, 'Pod');
    assert.ok(pods.verbs.includes('watch'));
    const apps = await h.req('GET', '/apis/apps/v1');
    const scale = apps.body.resources.find((r: { name: string }) => r.name === 'deployments/scale');
    assert.deepEqual([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
    const dep = apps.body.resources.find((r: { name: string }) => r.name === 'deployments');
    assert.ok(dep.shortNames.includes('deploy'));
  });

  test('openapi v3 index and per-group document with fieldValidation on patch', async () => {
    const idx = await h.req('GET', '/openapi/v3');
    const entry = idx.body.paths['apis/apps/v1'];
    assert.match(entry.serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const doc = await h.req('GET', entry.serverRelativeURL);
    const item = doc.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(item.patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
    const schema = Object.values(doc.body.components.schemas).find((s) => JSON.stringify(s).includes('"kind":"Deployment"'));
    assert.ok(schema);
  });

  test('unknown paths are 404 Status', async () => {
    const r = await h.req('GET', '/apis/apps/v1/namespaces/default/nothings');
    assert.equal(r.status, 404);
    assert.equal(r.body.kind, 'Status');
    assert.equal((await h.req('GET', '/foo')).status, 404);
  });
});
