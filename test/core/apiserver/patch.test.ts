import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, makeDeployment, startServer } from './harness.js';
import type { Harness } from './harness.js';

const deps = '/apis/apps/v1/namespaces/default/deployments';

describe('apiserver PATCH and subresources', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
    await createNamespace(h, 'default');
    await h.req('POST', deps, makeDeployment('p', { replicas: 2 }));
    await h.req('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
  });
  after(async () => { await h.close(); });

  const patches = [
    { description: 'merge patch', ct: 'application/merge-patch+json', body: { spec: { replicas: 3 } }, replicas: 3 },
    { description: 'json patch', ct: 'application/json-patch+json', body: [{ op: 'replace', path: '/spec/replicas', value: 4 }], replicas: 4 },
    { description: 'strategic merge patch', ct: 'application/strategic-merge-patch+json', body: { spec: { replicas: 5 } }, replicas: 5 },
  ];
  for (const c of patches) {
    test(c.description, async () => {
      const r = await h.req('PATCH', `${deps}/p`, c.body, { 'Content-Type': c.ct });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.spec.replicas, c.replicas);
    });
  }

  test('strategic merge keeps list items by merge key', async () => {
    const r = await h.req('PATCH', `${deps}/p`, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } },
      { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.spec.template.spec.containers.length, 1);
    assert.equal(r.body.spec.template.spec.containers[0].image, 'nginx:2');
  });

  test('unsupported patch content type → 415', async () => {
    const r = await h.req('PATCH', `${deps}/p`, { spec: {} }, { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 415);
  });

  test('patch of a missing object → 404', async () => {
    const r = await h.req('PATCH', `${deps}/missing`, { spec: {} }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 404);
  });

  test('server-side apply requires fieldManager, creates when missing', async () => {
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: ssa}\n  template:\n    metadata:\n      labels: {app: ssa}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
    const noManager = await h.req('PATCH', `${deps}/ssa`, yaml, { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(noManager.status, 400);
    const r = await h.req('PATCH', `${deps}/ssa?fieldManager=test`, yaml, { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.spec.replicas, 1);
  });

  test('status subresource only touches status', async () => {
    const cur = await h.req('GET', `${deps}/p`);
    const r = await h.req('PUT', `${deps}/p/status`, { ...cur.body, spec: { ...cur.body.spec, replicas: 99 }, status: { replicas: 7 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status.replicas, 7);
    assert.notEqual(r.body.spec.replicas, 99);
    const p = await h.req('PATCH', `${deps}/p/status`, { status: { readyReplicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(p.body.status.readyReplicas, 2);
    const g = await h.req('GET', `${deps}/p/status`);
    assert.equal(g.body.status.replicas, 7);
    const mainPut = await h.req('PUT', `${deps}/p`, { ...g.body, status: { replicas: 1 } });
    assert.equal(mainPut.body.status.replicas, 7, 'a main-resource update keeps status');
  });

  test('scale subresource reads and writes spec.replicas', async () => {
    const g = await h.req('GET', `${deps}/p/scale`);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual([g.body.kind, g.body.apiVersion], ['Scale', 'autoscaling/v1']);
    assert.equal(g.body.status.selector, 'app=p');
    const p = await h.req('PATCH', `${deps}/p/scale`, { spec: { replicas: 8 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.spec.replicas, 8);
    const put = await h.req('PUT', `${deps}/p/scale`, { ...p.body, spec: { replicas: 6 } });
    assert.equal(put.body.spec.replicas, 6);
    assert.equal((await h.req('GET', `${deps}/p`)).body.spec.replicas, 6);
    const neg = await h.req('PATCH', `${deps}/p/scale`, { spec: { replicas: -1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(neg.status, 422);
    assert.equal((await h.req('GET', '/api/v1/namespaces/default/configmaps/x/scale')).status, 404);
  });

  test('pods/binding sets nodeName once, then 409', async () => {
    const bind = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pod1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } };
    const r = await h.req('POST', '/api/v1/namespaces/default/pods/pod1/binding', bind);
    assert.equal(r.status, 201, r.text);
    assert.equal((await h.req('GET', '/api/v1/namespaces/default/pods/pod1')).body.spec.nodeName, 'n1');
    const again = await h.req('POST', '/api/v1/namespaces/default/pods/pod1/binding', { ...bind, target: { name: 'n2' } });
    assert.equal(again.status, 409);
  });

  test('pods/log streams from the provider; its NotFound is a Status', async () => {
    const { ApiError } = await import('../../../core/api/index.js');
    const h2 = await startServer({
      logs: {
        stream: async (req, out) => {
          if (req.container === 'nope') throw new ApiError('NotFound', 'container "nope" not found');
          out.write(`log of ${req.namespace}/${req.pod} tail=${req.tailLines ?? '-'} follow=${req.follow}\n`);
        },
      },
    });
    try {
      await h2.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
      await h2.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lp' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
      const ok = await h2.req('GET', '/api/v1/namespaces/default/pods/lp/log?tailLines=5');
      assert.equal(ok.status, 200);
      assert.equal(ok.text, 'log of default/lp tail=5 follow=false\n');
      const missing = await h2.req('GET', '/api/v1/namespaces/default/pods/lp/log?container=nope');
      assert.equal(missing.status, 404, missing.text);
      assert.equal(missing.body.kind, 'Status');
    } finally {
      await h2.close();
    }
  });

  test('pods/log without a provider → 503; eviction of the bound pod is graceful, then grace 0 deletes it', async () => {
    assert.equal((await h.req('GET', '/api/v1/namespaces/default/pods/pod1/log')).status, 503);
    assert.equal((await h.req('GET', '/api/v1/namespaces/default/pods/nope/log')).status, 404);
    const ev = await h.req('POST', '/api/v1/namespaces/default/pods/pod1/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'pod1' } });
    assert.equal(ev.status, 201, ev.text);
    const pending = await h.req('GET', '/api/v1/namespaces/default/pods/pod1');
    assert.equal(pending.body.metadata.deletionGracePeriodSeconds, 30);
    const ev0 = await h.req('POST', '/api/v1/namespaces/default/pods/pod1/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'pod1' }, deleteOptions: { gracePeriodSeconds: 0 } });
    assert.equal(ev0.status, 201, ev0.text);
    assert.equal((await h.req('GET', '/api/v1/namespaces/default/pods/pod1')).status, 404);
  });
});
