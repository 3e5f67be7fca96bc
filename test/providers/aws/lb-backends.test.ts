/**
 * On moto, through the service controller: a node without status and a NotReady node are NLB targets, nodes
 * labelled for exclusion or tainted ToBeDeletedByClusterAutoscaler are not, and a NotReady blip makes no AWS call.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Node } from '../../../core/api/index.js';
import { providerIdOf } from '../../../providers/aws/index.js';
import { createObject, reconcileCount, startEnv, until } from '../../core/cloud/support.js';
import type { Env } from '../../core/cloud/support.js';
import { awsWorlds } from './fixture.js';
import type { AwsWorld } from './fixture.js';

const worlds = awsWorlds();
after(() => worlds.shutdown());

async function targets(w: AwsWorld): Promise<string[]> {
  const elb = new ElasticLoadBalancingV2Client({ endpoint: w.moto.endpoint, region: 'us-east-1' });
  try {
    const ids = new Set<string>();
    for (const tg of (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []) {
      const h = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
      for (const d of h.TargetHealthDescriptions ?? []) ids.add(d.Target?.Id ?? '');
    }
    return [...ids].sort();
  } finally {
    elb.destroy();
  }
}

async function putStatus(env: Env, name: string, ready: 'True' | 'False', ip: string): Promise<void> {
  const cur = (await env.h.req('GET', `/api/v1/nodes/${name}`)).body;
  const r = await env.h.req('PUT', `/api/v1/nodes/${name}/status`, { ...cur, status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: ready }] } });
  assert.equal(r.status, 200, r.text);
}

test('aws (moto): backends are the stable node set, and a NotReady blip makes no AWS call', async () => {
  const w = await worlds.world();
  const env = await startEnv({}, () => w.provider());
  const { h } = env;
  try {
    // A fourth instance (the node group's) for the autoscaler-tainted node.
    const all = (await w.ec2.send(new DescribeInstancesCommand({}))).Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    const extra = all.find((i) => !w.instanceIds.includes(i.InstanceId ?? '') && i.State?.Name === 'running');
    assert.ok(extra?.InstanceId, 'the node group has an instance');
    const [a, b, c] = w.instanceIds;
    const pid = (id: string | undefined, zone = w.nodes[0]?.spec?.providerID?.split('/')[3] ?? ''): string => providerIdOf(zone, id ?? '');
    const node = (name: string, providerID: string, extraMeta: Record<string, unknown> = {}, taints: unknown[] = []): Record<string, unknown> =>
      ({ apiVersion: 'v1', kind: 'Node', metadata: { name, ...extraMeta }, spec: { providerID, taints } });
    await createObject(h, '/api/v1/nodes', node('fresh', pid(a)));
    await createObject(h, '/api/v1/nodes', node('sick', pid(b)));
    await putStatus(env, 'sick', 'False', '10.0.0.2');
    await createObject(h, '/api/v1/nodes', node('excluded', pid(c), { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' } }));
    await createObject(h, '/api/v1/nodes', node('doomed', pid(extra.InstanceId, extra.Placement?.AvailabilityZone), {}, [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1700000000', effect: 'NoSchedule' }]));

    await createObject(h, '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 31090 }] } });
    await until('ingress', async () => (await h.req('GET', '/api/v1/namespaces/default/services/web')).body?.status?.loadBalancer?.ingress?.[0]?.hostname, 60_000);
    assert.deepEqual(await targets(w), [a, b].sort(), 'fresh (no status) and sick (NotReady) are targets; excluded and doomed are not');

    // NotReady → Ready → NotReady on sick: seen by the controllers, Service reconciled, no AWS call at all.
    const nodes = env.informers.informerFor<Node>({ apiVersion: 'v1', plural: 'nodes', namespaced: false });
    const mutationsBefore = w.proxy.mutations();
    const callsBefore = w.proxy.calls.length;
    for (const ready of ['True', 'False'] as const) {
      await putStatus(env, 'sick', ready, '10.0.0.2');
      await until(`informer sees sick Ready=${ready}`, async () => nodes.get('sick')?.status?.conditions?.[0]?.status === ready);
      const before = await reconcileCount(env.metrics, 'cloud-service');
      await until('the Service reconciled again', async () => (await reconcileCount(env.metrics, 'cloud-service')) >= before + 2);
    }
    assert.equal(w.proxy.mutations(), mutationsBefore, 'no mutating AWS call');
    assert.deepEqual(w.proxy.calls.slice(callsBefore).filter((x) => /LoadBalancer|Target/.test(x.action)).map((x) => x.action), [], 'not even a read of the balancer');
  } finally {
    await env.close();
    await w.close();
  }
});
