import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudProvider, LoadBalancers } from '../../../core/cloud/index.js';
import { LB_FINALIZER } from '../../../core/cloud/index.js';
import type { Harness } from '../apiserver/harness.js';
import type { FakeProvider } from '../../../providers/fake/index.js';
import { createObject, eventReasons, putNode, reconcileCount, startEnv, until } from './support.js';

/** The fake, with every `ensure` first recording the finalizers the Service has on the server at that moment. */
function recordingFinalizers(seen: string[][]): (p: FakeProvider, h: Harness) => CloudProvider {
  return (p, h) => {
    const lbs = p.loadBalancers as LoadBalancers;
    const wrapped: LoadBalancers = {
      name: (s) => lbs.name(s), get: (s, sig) => lbs.get(s, sig), list: (sig) => lbs.list(sig), plan: (s, n, sig) => lbs.plan(s, n, sig),
      updateHosts: (s, n, sig) => lbs.updateHosts(s, n, sig), ensureDeleted: (s, sig) => lbs.ensureDeleted(s, sig),
      ensure: async (s, n, sig) => {
        const cur = await h.req('GET', `/api/v1/namespaces/${s.metadata.namespace ?? ''}/services/${s.metadata.name ?? ''}`);
        seen.push(cur.body?.metadata?.finalizers ?? []);
        return lbs.ensure(s, n, sig);
      },
    };
    return { ...p, loadBalancers: wrapped };
  };
}

const svcPath = '/api/v1/namespaces/default/services';

function lbService(name: string, port: number, nodePort: number): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port, targetPort: 8080, nodePort }] } };
}

test('service controller: finalizer first, ingress, events, steady state, host churn, type change and deletion', async () => {
  const seen: string[][] = [];
  const env = await startEnv({}, recordingFinalizers(seen));
  const { h, fake } = env;
  const mutating = (): string[] => fake.cloud.calls().filter((c) => c.mutating).map((c) => c.op);
  try {
    await putNode(h, 'n1');
    await putNode(h, 'n2', { ip: '127.0.0.2', labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } });
    const port = 20000 + Math.floor(Math.random() * 10000);
    await createObject(h, svcPath, lbService('web', port, 31001));

    const ip = await until('ingress', async () => (await h.req('GET', `${svcPath}/web`)).body?.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined);
    assert.match(ip, /^127\.0\.100\.\d+$/);
    const svc = (await h.req('GET', `${svcPath}/web`)).body;
    assert.deepEqual(svc.metadata.finalizers, [LB_FINALIZER]);
    assert.ok(seen.length > 0 && seen.every((f) => f.includes(LB_FINALIZER)), 'the finalizer was on before the first ensure');
    const lb = [...fake.cloud.loadBalancers.values()][0];
    assert.deepEqual(lb?.targets, ['127.0.0.1'], 'the excluded node is no backend');
    await until('ensure events', async () => {
      const r = await eventReasons(h, 'web');
      return r.includes('EnsuringLoadBalancer') && r.includes('EnsuredLoadBalancer');
    });

    // Steady state: resyncs reconcile, but make no mutating cloud call.
    fake.cloud.clearCalls();
    const before = await reconcileCount(env.metrics, 'cloud-service');
    await until('resync reconciles', async () => (await reconcileCount(env.metrics, 'cloud-service')) >= before + 3);
    assert.deepEqual(mutating(), []);

    // A new node (registered before it reports its address, then with it): updateHosts, not ensure.
    await putNode(h, 'n3', { ip: '127.0.0.3' });
    await until('targets updated', async () => lb?.targets.join(',') === '127.0.0.1,127.0.0.3');
    assert.ok(mutating().length >= 1 && mutating().every((op) => op === 'setTargets'), mutating().join(','));
    await until('UpdatedLoadBalancer', async () => (await eventReasons(h, 'web')).includes('UpdatedLoadBalancer'));

    // LoadBalancer → ClusterIP: the balancer goes, then the finalizer and the status.
    // (A new port number: the API server carries an old nodePort over to a same-numbered port even when
    // the new type is ClusterIP, which then fails validation — reported to core/apiserver's owner.)
    const cur = (await h.req('GET', `${svcPath}/web`)).body;
    const put = await h.req('PUT', `${svcPath}/web`, { ...cur, spec: { ...cur.spec, type: 'ClusterIP', externalTrafficPolicy: undefined, ports: [{ port: port + 5, targetPort: 8080 }] } });
    assert.equal(put.status, 200, put.text);
    await until('cleanup after type change', async () => {
      const s = (await h.req('GET', `${svcPath}/web`)).body;
      return (s.metadata.finalizers ?? []).length === 0 && (s.status?.loadBalancer?.ingress ?? []).length === 0;
    });
    assert.equal(fake.cloud.loadBalancers.size, 0);
    const reasons = await until('delete events', async () => {
      const r = await eventReasons(h, 'web');
      return r.includes('DeletedLoadBalancer') ? r : undefined;
    });
    assert.ok(reasons.includes('DeletingLoadBalancer'));

    // A second LB Service, deleted: the finalizer holds it until the balancer is gone.
    await createObject(h, svcPath, lbService('api', port + 1, 31002));
    await until('second LB', async () => fake.cloud.loadBalancers.size === 1);
    await until('finalizer on', async () => ((await h.req('GET', `${svcPath}/api`)).body?.metadata?.finalizers ?? []).includes(LB_FINALIZER));
    assert.equal((await h.req('DELETE', `${svcPath}/api`)).status, 202, 'held by the finalizer');
    await until('service gone', async () => (await h.req('GET', `${svcPath}/api`)).status === 404);
    assert.equal(fake.cloud.loadBalancers.size, 0);
    const text = await env.metrics.metrics();
    assert.match(text, /skiff_cloud_calls_total\{provider="fake",operation="loadBalancers.ensureDeleted",outcome="ok"\} \d+/);
  } finally {
    await env.close();
  }
});

test('service controller: failures back off from 5 s, report SyncLoadBalancerFailed, then converge', async () => {
  const env = await startEnv();
  const { h, fake, clock } = env;
  const attempts = (): number => fake.cloud.calls().filter((c) => c.op === 'createLoadBalancer').length;
  try {
    await putNode(h, 'n1');
    fake.cloud.inject({ op: 'createLoadBalancer', error: '5xx' });
    await createObject(h, svcPath, lbService('flaky', 20000 + Math.floor(Math.random() * 10000), 31003));
    await until('first attempt', async () => attempts() === 1);
    await until('failure event', async () => (await eventReasons(h, 'flaky')).includes('SyncLoadBalancerFailed'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(attempts(), 1, 'no retry before the back-off');
    await clock.advance(4_900);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(attempts(), 1, 'still none at 4.9 s');
    await clock.advance(200);
    await until('retry after 5 s', async () => attempts() === 2);
    fake.cloud.faults.clear();
    await clock.advance(10_000);
    await until('converged', async () => (await h.req('GET', `${svcPath}/flaky`)).body?.status?.loadBalancer?.ingress?.[0]?.ip);
    assert.equal(fake.cloud.loadBalancers.size, 1);
  } finally {
    await env.close();
  }
});
