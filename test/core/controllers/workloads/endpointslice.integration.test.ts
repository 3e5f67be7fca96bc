import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice, Pod, Service } from '../../../../core/api/index.js';
import { EndpointSliceController, endpointSlicesTarget } from '../../../../core/controllers/workloads/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { eventually, pods, services, setPodReady, startEnv } from './harness.js';

test('the EndpointSlice controller keeps one slice per Service following readiness', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const running = new EndpointSliceController({ client: env.client, informers: env.informers, clock: env.clock, log: silentLogger }).start(env.signal);
  t.after(() => running);
  const slices = async (): Promise<EndpointSlice[]> =>
    (await env.client.list<EndpointSlice>(endpointSlicesTarget, { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' })).items;

  for (const name of ['a', 'b']) {
    const p = await env.client.create<Pod>(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'app' }] } });
    await setPodReady(env.client, p, name === 'a', name === 'a' ? '10.4.0.1' : '10.4.0.2');
  }
  await env.client.create<Service>(services, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  });
  const first = await eventually(async () => {
    const s = await slices();
    return s.length === 1 && s[0]?.endpoints?.length === 2 ? s[0] : undefined;
  }, 'one slice with two endpoints');
  assert.deepEqual(first.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(first.endpoints.map((e) => [e.addresses[0], e.conditions?.ready]), [['10.4.0.1', true], ['10.4.0.2', false]]);

  await setPodReady(env.client, await env.client.get<Pod>(pods, 'default', 'b'), true);
  await eventually(async () => (await slices())[0]?.endpoints.every((e) => e.conditions?.ready === true), 'b ready in the slice');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await slices()).length, 1, 'no duplicate slices');

  await env.client.delete(services, 'default', 'web');
  await eventually(async () => (await slices()).length === 0, 'slices removed with the Service');
});
