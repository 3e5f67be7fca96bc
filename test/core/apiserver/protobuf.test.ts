import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, startServer } from './harness.js';
import { bytesField, entry, envelope, intField, msg } from './protobuf-fixtures.js';

const cases = [
  {
    description: 'ConfigMap with labels and data, empty strings as unset',
    path: '/api/v1/namespaces/default/configmaps',
    body: envelope('v1', 'ConfigMap', msg(bytesField(1, msg(bytesField(1, 'pb'), bytesField(2, ''), entry(11, 'app', 'x'))), entry(2, 'k', 'v'))),
    check: (o: { metadata: { name: string; generateName?: string; labels: Record<string, string> }; data: Record<string, string> }) => {
      assert.equal(o.metadata.name, 'pb');
      assert.equal(o.metadata.generateName, undefined);
      assert.deepEqual(o.metadata.labels, { app: 'x' });
      assert.deepEqual(o.data, { k: 'v' });
    },
  },
  {
    description: 'Deployment with replicas 0 kept and an int-or-string',
    path: '/apis/apps/v1/namespaces/default/deployments',
    body: envelope('apps/v1', 'Deployment', msg(
      bytesField(1, bytesField(1, 'pbd')),
      bytesField(2, msg(
        intField(1, 0),
        bytesField(2, entry(1, 'app', 'pbd')),
        bytesField(3, msg(bytesField(1, entry(11, 'app', 'pbd')), bytesField(2, bytesField(2, msg(bytesField(1, 'c'), bytesField(2, 'nginx')))))),
        bytesField(4, msg(bytesField(1, 'RollingUpdate'), bytesField(2, msg(bytesField(1, msg(intField(1, 1), bytesField(3, '30%'))))))),
      )),
    )),
    check: (o: { spec: { replicas: number; strategy: { rollingUpdate: { maxUnavailable: unknown } }; template: { spec: { containers: { image: string }[] } } } }) => {
      assert.equal(o.spec.replicas, 0);
      assert.equal(o.spec.strategy.rollingUpdate.maxUnavailable, '30%');
      assert.equal(o.spec.template.spec.containers[0]?.image, 'nginx');
    },
  },
];

test('protobuf request bodies decode into objects', async () => {
  const h = await startServer();
  try {
    await createNamespace(h, 'default');
    for (const c of cases) {
      const r = await h.req('POST', c.path, c.body, { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
      assert.equal(r.status, 201, `${c.description}: ${r.text}`);
      c.check(r.body);
    }
    const unsupported = await h.req('POST', '/api/v1/namespaces/default/configmaps', envelope('v1', 'Widget', Buffer.alloc(0)), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
    assert.equal(unsupported.status, 415);
    const truncated = await h.req('POST', '/api/v1/namespaces/default/configmaps', cases[0]?.body.subarray(0, 20) ?? Buffer.alloc(0), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
    assert.equal(truncated.status, 400);
  } finally {
    await h.close();
  }
});
