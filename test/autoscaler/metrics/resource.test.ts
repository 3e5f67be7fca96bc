import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoscalerMetrics, MetricsError, ResourceMetricsSource, createControlPlaneRegistry, parseExposition, parseGoDuration, podUsageFromItem } from '../../../autoscaler/metrics/index.js';
import type { PodUsage } from '../../../autoscaler/metrics/index.js';

const durations: { description: string; input: string; want: number | undefined }[] = [
  { description: 'seconds', input: '1s', want: 1 },
  { description: 'minutes and seconds', input: '1m30s', want: 90 },
  { description: 'fractional seconds', input: '1.5s', want: 1.5 },
  { description: 'milliseconds', input: '500ms', want: 0.5 },
  { description: 'zero', input: '0', want: 0 },
  { description: 'empty', input: '', want: undefined },
  { description: 'garbage', input: '10 seconds', want: undefined },
];

for (const c of durations) {
  test(`parseGoDuration: ${c.description}`, () => {
    assert.equal(parseGoDuration(c.input), c.want);
  });
}

const items: { description: string; item: Parameters<typeof podUsageFromItem>[0]; want: { name: string; usage: PodUsage } | undefined }[] = [
  {
    description: 'nanocores and Ki as metrics-server writes them',
    item: { metadata: { name: 'web-0' }, timestamp: '2026-01-01T00:00:10Z', window: '10s', containers: [{ name: 'web', usage: { cpu: '12345678n', memory: '1234Ki' } }, { name: 'side', usage: { cpu: '250m', memory: '1Mi' } }] },
    want: { name: 'web-0', usage: { timestamp: Date.UTC(2026, 0, 1, 0, 0, 10), windowSeconds: 10, containers: { web: { cpuMilli: 13, memoryBytes: 1234 * 1024 }, side: { cpuMilli: 250, memoryBytes: 1048576 } } } },
  },
  { description: 'missing usage counts as zero', item: { metadata: { name: 'p' }, timestamp: '2026-01-01T00:00:00Z', window: '1s', containers: [{ name: 'c' }] }, want: { name: 'p', usage: { timestamp: Date.UTC(2026, 0, 1), windowSeconds: 1, containers: { c: { cpuMilli: 0, memoryBytes: 0 } } } } },
  { description: 'no timestamp', item: { metadata: { name: 'p' }, containers: [] }, want: undefined },
  { description: 'no name', item: { timestamp: '2026-01-01T00:00:00Z' }, want: undefined },
];

for (const c of items) {
  test(`podUsageFromItem: ${c.description}`, () => {
    assert.deepEqual(podUsageFromItem(c.item), c.want);
  });
}

test('ResourceMetricsSource reads PodMetrics through the client with the label selector', async () => {
  const calls: string[] = [];
  const source = new ResourceMetricsSource({
    client: {
      request: <R>(method: string, path: string): Promise<R> => {
        calls.push(`${method} ${path}`);
        return Promise.resolve({ kind: 'PodMetricsList', items: [{ metadata: { name: 'a' }, timestamp: '2026-01-01T00:00:00Z', window: '1s', containers: [{ name: 'c', usage: { cpu: '500m', memory: '2Ki' } }] }] } as R);
      },
    },
  });
  const usage = await source.podUsage('team a', 'app=web,tier in (x)');
  assert.deepEqual(calls, ['GET /apis/metrics.k8s.io/v1beta1/namespaces/team%20a/pods?labelSelector=app%3Dweb%2Ctier%20in%20(x)']);
  assert.deepEqual(usage.get('a')?.containers, { c: { cpuMilli: 500, memoryBytes: 2048 } });
});

test('ResourceMetricsSource wraps API failures as Unavailable', async () => {
  const source = new ResourceMetricsSource({ client: { request: () => Promise.reject(new Error('503 service unavailable')) } });
  await assert.rejects(source.podUsage('ns', ''), (e: unknown) => e instanceof MetricsError && e.code === 'Unavailable' && /503/.test(e.message));
});

test('createControlPlaneRegistry: a private registry whose exposition parses, with the autoscaler series', async () => {
  const registry = createControlPlaneRegistry({ labels: { component: 'autoscaler' } });
  const m = new AutoscalerMetrics(registry);
  m.hpaDesiredReplicas.set({ namespace: 'default', name: 'web' }, 4);
  m.hpaReconciles.inc({ result: 'success' });
  const parsed = parseExposition(await registry.metrics());
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  const desired = parsed.families.find((f) => f.name === 'skiff_hpa_desired_replicas');
  assert.deepEqual(desired?.samples, [{ name: 'skiff_hpa_desired_replicas', labels: { namespace: 'default', name: 'web', component: 'autoscaler' }, value: 4 }]);
  assert.ok(parsed.families.some((f) => f.name === 'process_cpu_user_seconds_total'), 'default process metrics');
  assert.equal(createControlPlaneRegistry({ defaultMetrics: false }).getMetricsAsArray().length, 0, 'a second registry is independent');
});
