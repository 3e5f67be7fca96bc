import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KindRegistry, registerBuiltins } from '../../../core/api/index.js';
import type { KindInfo, KubeObject } from '../../../core/api/index.js';
import { humanDuration } from '../../../core/apiserver/index.js';
import { FakeClock } from '../../../core/util/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const start = Date.UTC(2026, 0, 1);

describe('humanDuration matches Kubernetes', () => {
  const cases = [
    { ms: 5_000, want: '5s' }, { ms: 119_000, want: '119s' }, { ms: 302_000, want: '5m2s' }, { ms: 600_000, want: '10m' },
    { ms: 3 * 3600_000 + 5 * 60_000, want: '3h5m' }, { ms: 10 * 3600_000, want: '10h' }, { ms: 50 * 3600_000, want: '2d2h' },
    { ms: 30 * 86400_000, want: '30d' }, { ms: -5000, want: '<invalid>' },
  ];
  for (const c of cases) test(`${c.ms} ms → ${c.want}`, () => assert.equal(humanDuration(c.ms), c.want));
});

describe('apiserver Table output', () => {
  let h: Harness;
  const clock = new FakeClock(start);
  const kinds = new Map<string, KindInfo>();
  before(async () => {
    h = await startServer({ clock });
    const reg = new KindRegistry();
    registerBuiltins(reg);
    for (const k of reg.all()) kinds.set(`${k.group}/${k.plural}`, k);
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  async function table(path: string, body: KubeObject, listPath: string): Promise<{ cols: string[]; cells: unknown[]; wide: string[] }> {
    const c = await h.req('POST', path, body);
    assert.equal(c.status, 201, c.text);
    const r = await h.req('GET', `${listPath}/${body.metadata.name}`, undefined, { Accept: tableAccept });
    assert.equal(r.body.kind, 'Table');
    assert.equal(r.body.apiVersion, 'meta.k8s.io/v1');
    assert.equal(r.body.rows[0].object.kind, 'PartialObjectMetadata');
    const defs = r.body.columnDefinitions as { name: string; priority: number }[];
    return { cols: defs.filter((d) => d.priority === 0).map((d) => d.name.toUpperCase()), cells: r.body.rows[0].cells, wide: defs.filter((d) => d.priority > 0).map((d) => d.name.toUpperCase()) };
  }

  test('deployments: NAME READY UP-TO-DATE AVAILABLE AGE', async () => {
    const t = await table('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { replicas: 3, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    }, '/apis/apps/v1/namespaces/default/deployments');
    assert.deepEqual(t.cols, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    await clock.advance(302_000);
    const r = await h.req('GET', '/apis/apps/v1/namespaces/default/deployments', undefined, { Accept: tableAccept });
    assert.deepEqual(r.body.rows[0].cells.slice(0, 5), ['d', '0/3', 0, 0, '5m2s']);
  });

  test('pods: NAME READY STATUS RESTARTS AGE, IP NODE wide', async () => {
    const t = await table('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] },
    }, '/api/v1/namespaces/default/pods');
    assert.deepEqual(t.cols, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(t.wide.slice(0, 2), ['IP', 'NODE']);
    assert.deepEqual(t.cells.slice(0, 4), ['p', '0/1', 'Pending', '0']);
  });

  test('services: ports and external IP', async () => {
    const t = await table('/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 's' },
      spec: { type: 'LoadBalancer', selector: { a: 'b' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
    }, '/api/v1/namespaces/default/services');
    assert.deepEqual(t.cols, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.equal(t.cells[1], 'LoadBalancer');
    assert.equal(t.cells[3], '<pending>');
    assert.equal(t.cells[4], '80:30080/TCP');
  });

  test('configmaps, namespaces and the default NAME AGE', async () => {
    const cm = await table('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, '/api/v1/namespaces/default/configmaps');
    assert.deepEqual(cm.cols, ['NAME', 'DATA', 'AGE']);
    assert.equal(cm.cells[1], 1);
    const ns = await h.req('GET', '/api/v1/namespaces', undefined, { Accept: tableAccept });
    assert.deepEqual(ns.body.columnDefinitions.map((c: { name: string }) => c.name.toUpperCase()), ['NAME', 'STATUS', 'AGE']);
  });

  test('includeObject=Object embeds the whole object', async () => {
    const r = await h.req('GET', '/api/v1/namespaces/default/configmaps?includeObject=Object', undefined, { Accept: tableAccept });
    assert.equal(r.body.rows[0].object.kind, 'ConfigMap');
    assert.deepEqual(r.body.rows[0].object.data, { a: '1' });
  });

  test('hpa TARGETS formatting', async () => {
    const t = await table('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, minReplicas: 1, maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    }, '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers');
    assert.deepEqual(t.cols, ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    assert.equal(t.cells[1], 'Deployment/d');
    assert.equal(t.cells[2], 'cpu: <unknown>/50%');
  });

  test('plain JSON when no Table is asked for', async () => {
    const r = await h.req('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(r.body.kind, 'ConfigMapList');
    assert.ok(kinds.size > 0);
  });
});
