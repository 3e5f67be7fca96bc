import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDeployment, startServer } from './harness.js';

test('namespace deletion: Terminating until /finalize clears spec.finalizers', async () => {
  const h = await startServer();
  try {
    const c = await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(c.body.spec.finalizers, ['kubernetes']);
    assert.equal(c.body.status.phase, 'Active');
    const d = await h.req('DELETE', '/api/v1/namespaces/gone');
    assert.equal(d.status, 200, d.text);
    assert.ok(d.body.metadata.deletionTimestamp);
    assert.equal(d.body.status.phase, 'Terminating');
    const blocked = await h.req('POST', '/apis/apps/v1/namespaces/gone/deployments', makeDeployment('x', { ns: 'gone' }));
    assert.equal(blocked.status, 403, blocked.text);
    assert.match(blocked.body.message, /because it is being terminated/);
    const again = await h.req('DELETE', '/api/v1/namespaces/gone');
    assert.equal(again.status, 200, 'deleting a terminating namespace again is harmless');
    const f = await h.req('PUT', '/api/v1/namespaces/gone/finalize', { ...again.body, spec: { finalizers: [] } });
    assert.equal(f.status, 200, f.text);
    assert.equal((await h.req('GET', '/api/v1/namespaces/gone')).status, 404);
    const plain = await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'plain' }, spec: { finalizers: [] } });
    assert.equal(plain.status, 201);
    assert.equal((await h.req('DELETE', '/api/v1/namespaces/plain')).status, 200);
    assert.equal((await h.req('GET', '/api/v1/namespaces/plain')).status, 404);
  } finally {
    await h.close();
  }
});
