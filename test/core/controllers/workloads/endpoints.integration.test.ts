import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../../../core/api/index.js';
import type { Endpoints, Pod, Service } from '../../../../core/api/index.js';
import { EndpointsController } from '../../../../core/controllers/workloads/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { endpoints, eventually, pods, services, setPodReady, startEnv } from './harness.js';

const pod = (name: string, labels: Record<string, string>): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'app', ports: [{ name: 'http', containerPort: 8080 }] }] },
});

const ips = (ep: Endpoints | undefined, field: 'addresses' | 'notReadyAddresses'): string[] => (ep?.subsets ?? []).flatMap((s) => (s[field] ?? []).map((a) => a.ip)).sort();

test('the Endpoints controller follows pod readiness and the Service lifecycle', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  const ctl = new EndpointsController({ client: env.client, informers: env.informers, clock: env.clock, log: silentLogger });
  const running = ctl.start(env.signal);
  t.after(() => running);
  const get = (name: string): Promise<Endpoints | undefined> => env.client.get<Endpoints>(endpoints, 'default', name).catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });

  const a = await setPodReady(env.client, await env.client.create<Pod>(pods, pod('a', { app: 'web' })), false, '10.3.0.1');
  const b = await setPodReady(env.client, await env.client.create<Pod>(pods, pod('b', { app: 'web' })), true, '10.3.0.2');
  await env.client.create<Pod>(pods, pod('db', { app: 'db' }));
  await env.client.create<Service>(services, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  });
  await env.client.create<Service>(services, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' },
    spec: { ports: [{ port: 80, protocol: 'TCP' }] },
  });

  await t.test('ready pods in addresses, not-ready in notReadyAddresses, named port resolved', async () => {
    const ep = await eventually(async () => {
      const e = await get('web');
      return e && ips(e, 'addresses').length === 1 && ips(e, 'notReadyAddresses').length === 1 ? e : undefined;
    }, 'endpoints for web');
    assert.deepEqual(ips(ep, 'addresses'), ['10.3.0.2']);
    assert.deepEqual(ips(ep, 'notReadyAddresses'), ['10.3.0.1']);
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const addr = ep.subsets?.[0]?.addresses?.[0];
    assert.deepEqual(addr?.targetRef, { kind: 'Pod', namespace: 'default', name: 'b', uid: b.metadata.uid });
    assert.equal(addr?.nodeName, 'n1');
    assert.equal(ep.metadata.ownerReferences, undefined);
  });

  await t.test('a pod turning ready moves to addresses; a deleted pod leaves', async () => {
    await setPodReady(env.client, await env.client.get<Pod>(pods, 'default', a.metadata.name ?? ''), true);
    await eventually(async () => ips(await get('web'), 'addresses').length === 2, 'both ready');
    await env.client.delete(pods, 'default', 'b');
    const ep = await eventually(async () => {
      const e = await get('web');
      return ips(e, 'addresses').join() === '10.3.0.1' ? e : undefined;
    }, 'b removed');
    assert.deepEqual(ips(ep, 'notReadyAddresses'), []);
  });

  await t.test('a Service without a selector is left alone', async () => {
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await get('manual'), undefined);
  });

  await t.test('deleting the Service deletes its Endpoints', async () => {
    await env.client.delete(services, 'default', 'web');
    await eventually(async () => (await get('web')) === undefined, 'endpoints deleted');
  });
});
