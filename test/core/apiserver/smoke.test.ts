import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, makeDeployment, startServer } from './harness.js';

test('smoke: create and get a deployment', async () => {
  const h = await startServer();
  try {
    await createNamespace(h, 'default');
    const c = await h.req('POST', '/apis/apps/v1/namespaces/default/deployments', makeDeployment('web'));
    assert.equal(c.status, 201, c.text);
    const g = await h.req('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(g.status, 200, g.text);
    assert.equal(g.body.spec.replicas, 1);
  } finally {
    await h.close();
  }
});
