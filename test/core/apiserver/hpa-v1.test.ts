import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, startServer } from './harness.js';

const v1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
const v2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';

test('autoscaling/v1 HPAs are a converted view of the stored v2 objects', async () => {
  const h = await startServer();
  try {
    await createNamespace(h, 'default');
    const c = await h.req('POST', v1, {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.body.apiVersion, 'autoscaling/v1');
    assert.equal(c.body.spec.targetCPUUtilizationPercentage, 50);
    const stored = await h.req('GET', `${v2}/web`);
    assert.deepEqual(stored.body.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const p = await h.req('PATCH', `${v1}/web`, { spec: { targetCPUUtilizationPercentage: 70 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.spec.targetCPUUtilizationPercentage, 70);
    const list = await h.req('GET', v1);
    assert.equal(list.body.items[0].apiVersion, 'autoscaling/v1');
    const apis = await h.req('GET', '/apis/autoscaling');
    assert.deepEqual(apis.body.versions.map((v: { version: string }) => v.version), ['v2'], 'v1 is not advertised');
    assert.equal((await h.req('DELETE', `${v1}/web`)).status, 200);
    assert.equal((await h.req('GET', `${v2}/web`)).status, 404);
  } finally {
    await h.close();
  }
});
