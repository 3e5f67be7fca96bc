/** `kubectl get hpa`'s TARGETS cell, from the Table the API server returns: current values of every metric type. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const hpas = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
let h: Harness;

before(async () => {
  h = await startServer();
  await createNamespace(h, 'default');
});
after(async () => { await h.close(); });

async function targetsCell(name: string, metrics: unknown[], currentMetrics: unknown[] | undefined): Promise<string> {
  const r = await h.req('POST', hpas, {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics },
  });
  assert.equal(r.status, 201, r.text);
  if (currentMetrics) {
    const s = await h.req('PUT', `${hpas}/${name}/status`, { ...r.body, status: { currentReplicas: 2, desiredReplicas: 2, currentMetrics } });
    assert.equal(s.status, 200, s.text);
  }
  const t = await h.req('GET', `${hpas}/${name}`, undefined, { Accept: tableAccept });
  assert.equal(t.status, 200, t.text);
  const col = (t.body.columnDefinitions as { name: string }[]).findIndex((c) => c.name === 'Targets');
  return t.body.rows[0].cells[col] as string;
}

const podsMetric = { type: 'Pods', pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '50' } } };
const objectAvg = { type: 'Object', object: { metric: { name: 'requests-per-second' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, target: { type: 'AverageValue', averageValue: '2k' } } };
const objectValue = { type: 'Object', object: { metric: { name: 'requests-per-second' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, target: { type: 'Value', value: '10k' } } };
const external = { type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '30' } } };
const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };

const cases: { description: string; metrics: unknown[]; current?: unknown[]; want: string }[] = [
  {
    description: 'a Pods metric shows the current average the HPA wrote',
    metrics: [podsMetric],
    current: [{ type: 'Pods', pods: { metric: { name: 'http_requests' }, current: { averageValue: '7263m' } } }],
    want: '7263m/50',
  },
  { description: 'a Pods metric before any status', metrics: [podsMetric], want: '<unknown>/50' },
  {
    description: 'Object with an AverageValue target, (avg) as kubectl prints it',
    metrics: [objectAvg],
    current: [{ type: 'Object', object: { metric: { name: 'requests-per-second' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, current: { averageValue: '1500' } } }],
    want: '1500/2k (avg)',
  },
  {
    description: 'Object with a Value target',
    metrics: [objectValue],
    current: [{ type: 'Object', object: { metric: { name: 'requests-per-second' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, current: { value: '12k' } } }],
    want: '12k/10k',
  },
  {
    description: 'External beside a Resource metric, each from its own status entry',
    metrics: [cpu, external],
    current: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40, averageValue: '200m' } } },
      { type: 'External', external: { metric: { name: 'queue_messages_ready' }, current: { averageValue: '12' } } },
    ],
    want: 'cpu: 40%/50%, 12/30 (avg)',
  },
];

for (const [i, c] of cases.entries()) {
  test(`HPA TARGETS: ${c.description}`, async () => {
    assert.equal(await targetsCell(`h${i}`, c.metrics, c.current), c.want);
  });
}
