import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, Endpoints, Service } from '../../../../core/api/index.js';
import { startWorkloadControllers } from '../../../../core/controllers/workloads/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { deployments, endpoints, eventually, fakeKubelet, services, startEnv } from './harness.js';

test('startWorkloadControllers: a Deployment behind a Service ends up in its Endpoints', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const stop = new AbortController();
  const started = startWorkloadControllers({ client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger, signal: AbortSignal.any([env.signal, stop.signal]) });
  t.after(async () => {
    stop.abort();
    await started.done;
  });
  assert.deepEqual(started.controllers.map((c) => c.name), ['replicaset', 'deployment', 'replicationcontroller', 'statefulset', 'daemonset', 'endpoints', 'node-lifecycle', 'endpointslice', 'disruption', 'job', 'ttl-after-finished', 'cronjob']);
  const kubelet = new AbortController();
  const kubeletRun = fakeKubelet(env, kubelet.signal);
  t.after(async () => {
    kubelet.abort();
    await kubeletRun;
  });
  await env.client.create<Service>(services, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  });
  await env.client.create<Deployment>(deployments, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } },
  });
  const ep = await eventually(async () => {
    const e = await env.client.get<Endpoints>(endpoints, 'default', 'web');
    return (e.subsets?.[0]?.addresses ?? []).length === 2 ? e : undefined;
  }, 'two ready addresses', 20_000);
  assert.deepEqual(ep.subsets?.[0]?.ports, [{ port: 8080, protocol: 'TCP' }]);
});
