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
    assert.deepEqual(apis.body.versions.map((v: { version: string }) => v.version), ['v2', 'v1'], 'v1 is advertised');
    assert.equal(apis.body.preferredVersion.version, 'v2', 'v2 stays preferred');
    const res = await h.req('GET', '/apis/autoscaling/v1');
    assert.deepEqual(res.body.resources.map((r: { name: string }) => r.name), ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
    assert.equal((await h.req('DELETE', `${v1}/web`)).status, 200);
    assert.equal((await h.req('GET', `${v2}/web`)).status, 404);
  } finally {
    await h.close();
  }
});

const behavior = { scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } };
const full = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'full', annotations: { team: 'a' } },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'Value', value: '30' } } },
    ],
    behavior,
  },
};

test('autoscaling/v1 keeps what it cannot express in Kubernetes\' annotations, and a v1 read-modify-write loses nothing', async () => {
  const h = await startServer();
  try {
    await createNamespace(h, 'default');
    assert.equal((await h.req('POST', v2, full)).status, 201);
    const status = {
      currentReplicas: 2, desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75, averageValue: '150m' } } }],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    };
    const stored = (await h.req('GET', `${v2}/full`)).body;
    assert.equal((await h.req('PUT', `${v2}/full/status`, { ...stored, status })).status, 200);

    const got = (await h.req('GET', `${v1}/full`)).body;
    assert.equal(got.spec.targetCPUUtilizationPercentage, 60);
    assert.equal(got.status.currentCPUUtilizationPercentage, 75);
    const a = got.metadata.annotations;
    assert.equal(a.team, 'a');
    assert.deepEqual(JSON.parse(a['autoscaling.alpha.kubernetes.io/metrics']), [
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
      { type: 'Pods', pods: { metricName: 'http_requests', targetAverageValue: '10' } },
      { type: 'External', external: { metricName: 'queue', metricSelector: { matchLabels: { q: 'jobs' } }, targetValue: '30' } },
    ]);
    assert.deepEqual(JSON.parse(a['autoscaling.alpha.kubernetes.io/current-metrics']), [{ type: 'Resource', resource: { name: 'cpu', currentAverageValue: '150m', currentAverageUtilization: 75 } }]);
    assert.equal(JSON.parse(a['autoscaling.alpha.kubernetes.io/conditions'])[0].reason, 'ReadyForNewScale');
    const goBehavior = JSON.parse(a['autoscaling.alpha.kubernetes.io/behavior']);
    assert.deepEqual(goBehavior.ScaleDown, { StabilizationWindowSeconds: 60, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 1, PeriodSeconds: 30 }] });
    assert.equal(goBehavior.ScaleUp.StabilizationWindowSeconds, 0, 'the defaulted scale-up rules, in Go field names');

    // A v1 client changes the CPU target and writes the whole object back.
    const put = await h.req('PUT', `${v1}/full`, { ...got, spec: { ...got.spec, targetCPUUtilizationPercentage: 70 } });
    assert.equal(put.status, 200, put.text);
    const after = (await h.req('GET', `${v2}/full`)).body;
    assert.deepEqual(after.spec.metrics, [...full.spec.metrics.slice(1), { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    assert.deepEqual(after.spec.behavior.scaleDown, behavior.scaleDown);
    assert.deepEqual(after.metadata.annotations, { team: 'a' }, 'the round-trip annotations are not stored');
    assert.deepEqual(after.status.conditions.map((c: { reason: string }) => c.reason), ['ReadyForNewScale']);
  } finally {
    await h.close();
  }
});

test('a v1 HPA without a CPU target gets the implicit 80%', async () => {
  const h = await startServer();
  try {
    await createNamespace(h, 'default');
    const c = await h.req('POST', v1, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bare' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } });
    assert.equal(c.status, 201, c.text);
    const stored = (await h.req('GET', `${v2}/bare`)).body;
    assert.deepEqual(stored.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.equal(stored.spec.minReplicas, 1);
    assert.equal(c.body.spec.targetCPUUtilizationPercentage, 80);
  } finally {
    await h.close();
  }
});
