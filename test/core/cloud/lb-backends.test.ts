/**
 * Load-balancer backends as Kubernetes 1.32 chooses them (the stable node set, KEP-3458): readiness is the
 * health checks' business, so nodes without status and NotReady nodes are targets and a NotReady blip makes
 * no cloud call; nodes being deleted, labelled for exclusion or tainted by the cluster autoscaler are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../../core/api/index.js';
import { isLoadBalancerBackend, shouldSyncUpdatedNode } from '../../../core/cloud/index.js';
import type { Harness } from '../apiserver/harness.js';
import { createObject, putNode, reconcileCount, startEnv, until } from './support.js';
import type { Env } from './support.js';

function makeNode(o: { ready?: 'True' | 'False' | 'Unknown' | 'none'; labels?: Record<string, string>; taints?: string[]; deleting?: boolean; providerID?: string; ip?: string } = {}): Node {
  const conditions = o.ready === undefined || o.ready === 'none' ? [] : [{ type: 'Ready', status: o.ready }];
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'n', labels: o.labels ?? {}, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { taints: (o.taints ?? []).map((key) => ({ key, effect: 'NoSchedule' })), ...(o.providerID ? { providerID: o.providerID } : {}) },
    ...(o.ip ? { status: { addresses: [{ type: 'InternalIP', address: o.ip }], conditions } } : o.ready === undefined ? {} : { status: { conditions } }),
  } as Node;
}

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';

test('isLoadBalancerBackend: the stable node set predicates', () => {
  const cases: { description: string; node: Node; want: boolean }[] = [
    { description: 'no status at all', node: makeNode(), want: true },
    { description: 'Ready', node: makeNode({ ready: 'True' }), want: true },
    { description: 'NotReady', node: makeNode({ ready: 'False' }), want: true },
    { description: 'Ready Unknown (lease lapsed)', node: makeNode({ ready: 'Unknown' }), want: true },
    { description: 'no providerID', node: makeNode({ ready: 'True' }), want: true },
    { description: 'being deleted', node: makeNode({ ready: 'True', deleting: true }), want: false },
    { description: 'exclude label, empty value', node: makeNode({ labels: { [EXCLUDE]: '' } }), want: false },
    { description: 'exclude label "true"', node: makeNode({ labels: { [EXCLUDE]: 'true' } }), want: false },
    { description: 'exclude label "false" (1.32 excludes on presence)', node: makeNode({ labels: { [EXCLUDE]: 'false' } }), want: false },
    { description: 'ToBeDeletedByClusterAutoscaler taint', node: makeNode({ taints: ['ToBeDeletedByClusterAutoscaler'] }), want: false },
    { description: 'another taint', node: makeNode({ taints: ['node.kubernetes.io/unreachable'] }), want: true },
  ];
  for (const c of cases) assert.equal(isLoadBalancerBackend(c.node), c.want, c.description);
});

test('shouldSyncUpdatedNode: only changes a backend can see', () => {
  const cases: { description: string; old: Node; cur: Node; want: boolean }[] = [
    { description: 'Ready → NotReady', old: makeNode({ ready: 'True', ip: '10.0.0.1' }), cur: makeNode({ ready: 'False', ip: '10.0.0.1' }), want: false },
    { description: 'status reported for the first time, same address', old: makeNode({ ip: '10.0.0.1' }), cur: makeNode({ ready: 'True', ip: '10.0.0.1' }), want: false },
    { description: 'first address', old: makeNode(), cur: makeNode({ ready: 'True', ip: '10.0.0.1' }), want: true },
    { description: 'exclude label added', old: makeNode(), cur: makeNode({ labels: { [EXCLUDE]: 'true' } }), want: true },
    { description: 'exclude label removed', old: makeNode({ labels: { [EXCLUDE]: '' } }), cur: makeNode(), want: true },
    { description: 'exclude label value changed (still excluded)', old: makeNode({ labels: { [EXCLUDE]: 'true' } }), cur: makeNode({ labels: { [EXCLUDE]: 'yes' } }), want: false },
    { description: 'providerID set', old: makeNode(), cur: makeNode({ providerID: 'fake://n' }), want: true },
    { description: 'autoscaler taint alone waits for the next sync', old: makeNode(), cur: makeNode({ taints: ['ToBeDeletedByClusterAutoscaler'] }), want: false },
  ];
  for (const c of cases) assert.equal(shouldSyncUpdatedNode(c.old, c.cur), c.want, c.description);
});

const svcPath = '/api/v1/namespaces/default/services';

async function createBareNode(h: Harness, name: string, ip?: string, ready?: 'True' | 'False'): Promise<void> {
  await createObject(h, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  if (!ip) return;
  const cur = (await h.req('GET', `/api/v1/nodes/${name}`)).body;
  const r = await h.req('PUT', `/api/v1/nodes/${name}/status`, { ...cur, status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: ready ?? 'True' }] } });
  assert.equal(r.status, 200, r.text);
}

/** Waits until the controllers' node informer holds `name` with Ready=`status`. */
async function informerSees(env: Env, name: string, status: string): Promise<void> {
  const nodes = env.informers.informerFor<Node>({ apiVersion: 'v1', plural: 'nodes', namespaced: false });
  await until(`informer sees ${name} Ready=${status}`, async () => nodes.get(name)?.status?.conditions?.find((c) => c.type === 'Ready')?.status === status);
}

test('fake cloud: a node without status and a NotReady node are targets, excluded and autoscaler-tainted nodes are not; a NotReady blip makes no cloud call', async () => {
  const env = await startEnv();
  const { h, fake } = env;
  const mutating = (): string[] => fake.cloud.calls().filter((c) => c.mutating).map((c) => c.op);
  try {
    await createBareNode(h, 'fresh');
    await createBareNode(h, 'sick', '127.0.0.2', 'False');
    await putNode(h, 'good', { ip: '127.0.0.3' });
    await putNode(h, 'excluded', { ip: '127.0.0.4', labels: { [EXCLUDE]: 'true' } });
    await putNode(h, 'doomed', { ip: '127.0.0.5', taints: [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1700000000', effect: 'NoSchedule' }] });
    const port = 20000 + Math.floor(Math.random() * 10000);
    await createObject(h, svcPath, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port, targetPort: 8080, nodePort: 31011 }] } });
    await until('ingress', async () => (await h.req('GET', `${svcPath}/web`)).body?.status?.loadBalancer?.ingress?.[0]?.ip);
    const lb = [...fake.cloud.loadBalancers.values()][0];
    assert.deepEqual(lb?.targets, ['127.0.0.2', '127.0.0.3', 'fresh'], 'fresh (no status yet) and sick (NotReady) are registered; excluded and doomed are not');

    // The node that had no status reports its address: its target gets it (one setTargets).
    fake.cloud.clearCalls();
    const fresh = (await h.req('GET', '/api/v1/nodes/fresh')).body;
    assert.equal((await h.req('PUT', '/api/v1/nodes/fresh/status', { ...fresh, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.6' }], conditions: [{ type: 'Ready', status: 'True' }] } })).status, 200);
    await until('fresh has its address', async () => lb?.targets.join(',') === '127.0.0.2,127.0.0.3,127.0.0.6');
    assert.deepEqual(mutating(), ['setTargets']);

    // A NotReady blip on good: the controllers see it, reconcile the Service again, and call nothing.
    fake.cloud.clearCalls();
    const good = (await h.req('GET', '/api/v1/nodes/good')).body;
    const notReady = { ...good.status, conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] };
    assert.equal((await h.req('PUT', '/api/v1/nodes/good/status', { ...good, status: notReady })).status, 200);
    await informerSees(env, 'good', 'False');
    let before = await reconcileCount(env.metrics, 'cloud-service');
    await until('reconciled after the blip', async () => (await reconcileCount(env.metrics, 'cloud-service')) >= before + 2);
    const back = (await h.req('GET', '/api/v1/nodes/good')).body;
    assert.equal((await h.req('PUT', '/api/v1/nodes/good/status', { ...back, status: { ...back.status, conditions: [{ type: 'Ready', status: 'True' }] } })).status, 200);
    await informerSees(env, 'good', 'True');
    before = await reconcileCount(env.metrics, 'cloud-service');
    await until('reconciled after recovery', async () => (await reconcileCount(env.metrics, 'cloud-service')) >= before + 2);
    assert.deepEqual(mutating(), [], 'readiness changes make no mutating cloud call');
    assert.deepEqual(lb?.targets, ['127.0.0.2', '127.0.0.3', '127.0.0.6']);
  } finally {
    await env.close();
  }
});
