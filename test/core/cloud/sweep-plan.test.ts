import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Service } from '../../../core/api/index.js';
import { ownerTags, planAll } from '../../../core/cloud/index.js';
import type { KubeClient } from '../../../core/client/index.js';
import { makeNode, makeService } from '../../../providers/conformance/index.js';
import { createFakeProvider } from '../../../providers/fake/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { createObject, putNode, startEnv, until } from './support.js';

test('ownership sweep deletes tagged resources whose owner UID is gone, and keeps live ones', async () => {
  const env = await startEnv({ sweep: { periodMs: 60_000 } });
  const { h, fake, clock } = env;
  const signal = AbortSignal.timeout(5000);
  try {
    await putNode(h, 'n1');
    const port = 20000 + Math.floor(Math.random() * 10000);
    await createObject(h, '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'live' }, spec: { type: 'LoadBalancer', ports: [{ port, targetPort: 80, nodePort: 31010 }] } });
    await until('live LB', async () => fake.cloud.loadBalancers.size === 1);
    const lbs = fake.loadBalancers;
    const vols = fake.volumes;
    assert.ok(lbs && vols);
    const orphan = makeService({ name: 'deleted-long-ago', port: port + 1 });
    await lbs.ensure({ ...orphan, metadata: { ...orphan.metadata, namespace: 'default' } }, [makeNode('n1')], signal);
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'gone', namespace: 'default', uid: 'c0ffee00-0000-4000-8000-000000000001' } };
    await vols.create({ key: 'pvc-c0ffee00-0000-4000-8000-000000000001', sizeBytes: 1024, tags: ownerTags('skiff', claim) }, signal);
    await vols.create({ key: 'pvc-other-cluster', sizeBytes: 1024, tags: ownerTags('another-cluster', claim) }, signal);
    assert.equal(fake.cloud.loadBalancers.size, 2);

    await clock.advance(60_000);
    await until('orphans swept', async () => fake.cloud.loadBalancers.size === 1 && fake.cloud.volumes.size === 1);
    const left = [...fake.cloud.loadBalancers.values()][0];
    const live = (await h.req('GET', '/api/v1/namespaces/default/services/live')).body;
    assert.equal(left?.tags['skiff.dev/owner-uid'], live.metadata.uid, 'the live Service keeps its balancer');
    assert.equal([...fake.cloud.volumes.values()][0]?.key, 'pvc-other-cluster', "another cluster's volume is not ours to sweep");
  } finally {
    await env.close();
  }
});

test('planAll lists per-Service changes and makes none', async () => {
  const provider = createFakeProvider({ cloudConfig: {}, clusterName: 'skiff', dataDir: '/nonexistent', log: silentLogger, clock: systemClock });
  const port = 20000 + Math.floor(Math.random() * 10000);
  const lb = makeService({ name: 'web', port });
  const steady = makeService({ name: 'steady', port: port + 1 });
  const plain: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'plain', namespace: 'conformance', uid: 'u-plain' }, spec: { type: 'ClusterIP' } };
  const nodes: Node[] = [makeNode('n1')];
  const list = <T>(items: T[]) => ({ apiVersion: 'v1', kind: 'List', metadata: {}, items });
  // A stub client: planAll only lists.
  const client = {
    listAll: async (target: { plural: string }) => (target.plural === 'services' ? list<Service | Node>([lb, steady, plain]) : list<Service | Node>(nodes)),
  } as unknown as Pick<KubeClient, 'listAll'>;
  try {
    await provider.loadBalancers?.ensure(steady, nodes, AbortSignal.timeout(5000));
    provider.cloud.clearCalls();
    const plans = await planAll({ client, provider });
    assert.deepEqual(plans.map((p) => p.service), ['conformance/web']);
    assert.deepEqual(plans[0]?.changes.map((c) => `${c.action} ${c.resource}`), ['create load-balancer', 'create listener', 'update targets']);
    assert.deepEqual(provider.cloud.calls().filter((c) => c.mutating), []);
  } finally {
    await provider.cloud.reset();
  }
});
