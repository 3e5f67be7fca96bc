/** Provider-level end to end over moto: load balancer lifecycle, request parameters, adoption, volumes, node groups, batching. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, newUid } from '../../../providers/conformance/index.js';
import { AWS_LB_ANNOTATION_PREFIX as A } from '../../../providers/aws/index.js';
import { isCloudError } from '../../../core/cloud/index.js';
import type { Service } from '../../../core/api/index.js';
import { CLUSTER, GROUP, awsWorlds } from './fixture.js';
import { census } from './lifecycle.js';

const worlds = awsWorlds();
after(() => worlds.shutdown());
const signal = new AbortController().signal;

function twoPortService(): Service {
  const svc = makeService({
    name: 'web', port: 80, nodePort: 31080,
    annotations: {
      [`${A}healthcheck-protocol`]: 'HTTP', [`${A}healthcheck-path`]: '/healthz', [`${A}healthcheck-port`]: '31999',
      [`${A}healthcheck-interval`]: '15', [`${A}healthcheck-timeout`]: '6', [`${A}healthcheck-healthy-threshold`]: '2',
      [`${A}healthcheck-unhealthy-threshold`]: '4', [`${A}additional-resource-tags`]: 'team=edge,cost=42',
    },
  });
  return { ...svc, spec: { ...svc.spec, loadBalancerSourceRanges: ['203.0.113.0/24'], ports: [...(svc.spec?.ports ?? []), { name: 'tls', protocol: 'TCP', port: 443, targetPort: 8443, nodePort: 31443 }] } };
}

test('aws e2e: an NLB per Service, steady second ensure, a port change replaces one listener and target group, delete leaves nothing', async () => {
  const w = await worlds.world();
  try {
    const lbs = w.provider().loadBalancers;
    assert.ok(lbs);
    const svc = twoPortService();
    const status = await lbs.ensure(svc, w.nodes, signal);
    let c = await census(w.moto.endpoint, w.ec2);
    assert.equal(c.lbs.length, 1, 'exactly one NLB');
    assert.equal(c.lbs[0]?.name, lbs.name(svc));
    assert.equal(c.tgs.length, 2, 'a target group per port');
    assert.deepEqual(c.listeners.map((l) => l.port).sort((a, b) => a - b), [80, 443]);
    assert.match(status.ingress[0]?.hostname ?? '', /elb\.amazonaws\.com$/);

    const [clb] = w.proxy.of('CreateLoadBalancer');
    assert.equal(clb?.params.Type, 'network');
    assert.equal(clb?.params.Scheme, 'internet-facing');
    assert.equal(Object.keys(clb?.params ?? {}).filter((k) => k.startsWith('Subnets.member.')).length, w.subnets.length, 'one subnet per zone');
    const tagPairs = Object.entries(clb?.params ?? {}).filter(([k]) => /^Tags\.member\.\d+\.Key$/.test(k)).map(([k, v]) => [v, clb?.params[k.replace('Key', 'Value')]]);
    const tags = Object.fromEntries(tagPairs);
    assert.equal(tags[`kubernetes.io/cluster/${CLUSTER}`], 'owned');
    assert.equal(tags['kubernetes.io/service-name'], 'conformance/web');
    assert.equal(tags['skiff.dev/owner-uid'], svc.metadata.uid);
    assert.equal(tags.team, 'edge');

    const tgCalls = w.proxy.of('CreateTargetGroup');
    assert.equal(tgCalls.length, 2);
    for (const t of tgCalls) {
      assert.equal(t.params.Protocol, 'TCP');
      assert.equal(t.params.TargetType, 'instance');
      assert.ok(['31080', '31443'].includes(t.params.Port ?? ''), 'targets are NodePorts');
      assert.equal(t.params.HealthCheckProtocol, 'HTTP');
      assert.equal(t.params.HealthCheckPath, '/healthz');
      assert.equal(t.params.HealthCheckPort, '31999');
      assert.equal(t.params.HealthCheckIntervalSeconds, '15');
      assert.equal(t.params.HealthCheckTimeoutSeconds, '6');
      assert.equal(t.params.HealthyThresholdCount, '2');
      assert.equal(t.params.UnhealthyThresholdCount, '4');
      assert.ok((t.params.Name ?? '').length <= 32 && (t.params.Name ?? '').startsWith('k8s-conforma-web-'));
    }
    const listenerCalls = w.proxy.of('CreateListener');
    assert.deepEqual(listenerCalls.map((l) => [l.params.Port, l.params.Protocol, l.params['DefaultActions.member.1.Type']]).sort(), [['443', 'TCP', 'forward'], ['80', 'TCP', 'forward']]);
    const ingress = w.proxy.of('AuthorizeSecurityGroupIngress');
    const cidrs = new Set(ingress.map((r) => r.params['IpPermissions.1.IpRanges.1.CidrIp']));
    assert.ok(cidrs.has('203.0.113.0/24') && !cidrs.has('0.0.0.0/0'), 'source ranges, not the world');
    assert.ok(ingress.every((r) => r.params['TagSpecification.1.ResourceType'] === 'security-group-rule'), 'rules are tagged');

    const before = w.proxy.mutations();
    assert.deepEqual(await lbs.plan(svc, w.nodes, signal), []);
    assert.deepEqual(await lbs.ensure(svc, w.nodes, signal), status);
    assert.equal(w.proxy.mutations(), before, 'no mutating call on the second ensure');

    const moved: Service = { ...svc, spec: { ...svc.spec, ports: (svc.spec?.ports ?? []).map((p) => (p.port === 443 ? { ...p, port: 8443 } : p)) } };
    w.proxy.clear();
    await lbs.ensure(moved, w.nodes, signal);
    const muts = w.proxy.calls.filter((x) => x.mutating).map((x) => x.action).sort();
    assert.deepEqual(muts, ['CreateListener', 'CreateTargetGroup', 'DeleteListener', 'DeleteTargetGroup', 'RegisterTargets'], 'only the affected listener and target group');
    c = await census(w.moto.endpoint, w.ec2);
    assert.deepEqual(c.listeners.map((l) => l.port).sort((a, b) => a - b), [80, 8443]);
    assert.equal(c.tgs.length, 2);

    await lbs.ensureDeleted(moved, signal);
    c = await census(w.moto.endpoint, w.ec2);
    assert.deepEqual([c.lbs.length, c.tgs.length, c.listeners.length, c.rules], [0, 0, 0, 0], 'no skiff-tagged LB, TG, listener or SG rule');
  } finally {
    await w.close();
  }
});

test('aws e2e: a restart between CreateLoadBalancer and the status write adopts the balancer', async () => {
  const w = await worlds.world();
  try {
    const svc = makeService({ name: 'adopt', port: 80, nodePort: 31081 });
    w.proxy.inject({ action: 'CreateTargetGroup', fault: 'invalid' });
    await assert.rejects(w.provider().loadBalancers?.ensure(svc, w.nodes, signal) ?? Promise.resolve(), (e: unknown) => isCloudError(e, 'InvalidArgument'));
    assert.equal((await census(w.moto.endpoint, w.ec2)).lbs.length, 1, 'the balancer was created before the failure');
    const restarted = w.provider().loadBalancers;
    const status = await restarted?.ensure(svc, w.nodes, signal);
    const c = await census(w.moto.endpoint, w.ec2);
    assert.equal(w.proxy.of('CreateLoadBalancer').length, 1, 'no second CreateLoadBalancer');
    assert.equal(c.lbs.length, 1);
    assert.equal(c.listeners.length, 1, 'the rest was completed');
    assert.ok(status?.ingress[0]?.hostname);
    await restarted?.ensureDeleted(svc, signal);
  } finally {
    await w.close();
  }
});

test('aws e2e: a volume is created in the zone with a ClientToken, attached, detached and deleted', async () => {
  const w = await worlds.world();
  try {
    const vols = w.provider().volumes;
    assert.ok(vols);
    const uid = newUid();
    const spec = { key: `pvc-${uid}`, sizeBytes: 5 * 1024 ** 3, zone: 'us-east-1a', tags: {}, parameters: { type: 'io1', iops: '300', encrypted: 'true' } };
    const v = await vols.create(spec, signal);
    const [cv] = w.proxy.of('CreateVolume');
    assert.deepEqual([cv?.params.ClientToken, cv?.params.AvailabilityZone, cv?.params.VolumeType, cv?.params.Size, cv?.params.Iops, cv?.params.Encrypted], [`pvc-${uid}`, 'us-east-1a', 'io1', '5', '300', 'true']);
    assert.equal((await vols.create(spec, signal)).id, v.id, 'idempotent by key');
    assert.equal(w.proxy.of('CreateVolume').length, 1);
    const attached = await vols.attach(v.id, 'node-a', signal);
    assert.deepEqual(attached.attachedTo, ['node-a']);
    assert.equal(w.proxy.of('AttachVolume')[0]?.params.Device, '/dev/xvdb');
    const other = await vols.create({ ...spec, key: `pvc-${newUid()}` }, signal);
    await vols.attach(other.id, 'node-a', signal);
    assert.equal(w.proxy.of('AttachVolume')[1]?.params.Device, '/dev/xvdc', 'a free device per instance');
    for (const id of [v.id, other.id]) {
      await vols.detach(id, 'node-a', signal);
      assert.deepEqual((await vols.describe(id, signal)).attachedTo, []);
      await vols.delete(id, signal);
    }
    assert.deepEqual((await census(w.moto.endpoint, w.ec2)).volumes.filter((x) => x.state !== 'deleted'), []);
  } finally {
    await w.close();
  }
});

test('aws e2e: an ASG node group grows and shrinks within min and max', async () => {
  const w = await worlds.world();
  try {
    const groups = w.provider().nodeGroups;
    assert.ok(groups);
    const [g] = await groups.list(signal);
    assert.equal(g?.name, GROUP);
    assert.equal(g?.template.capacity.cpu, '2', 'm5.large from the launch template');
    assert.equal(g?.template.labels.pool, 'workers');
    assert.deepEqual(g?.template.taints, [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
    await groups.increase(GROUP, 2, signal);
    assert.equal(w.proxy.of('SetDesiredCapacity')[0]?.params.DesiredCapacity, '3');
    await assert.rejects(groups.increase(GROUP, 1, signal), (e: unknown) => isCloudError(e, 'InvalidArgument'));
    assert.equal(w.proxy.of('SetDesiredCapacity').length, 1, 'skiff enforces max: nothing sent above it');
    const grown = (await groups.list(signal))[0];
    assert.equal(grown?.targetSize, 3);
    const victim = grown?.instances[0];
    assert.ok(victim);
    await groups.deleteNodes(GROUP, [victim.name], signal);
    const [t] = w.proxy.of('TerminateInstanceInAutoScalingGroup');
    assert.equal(t?.params.ShouldDecrementDesiredCapacity, 'true');
    assert.equal((await groups.list(signal))[0]?.targetSize, 2);
    const names = ((await groups.list(signal))[0]?.instances ?? []).filter((i) => i.state !== 'deleting').map((i) => i.name);
    await assert.rejects(groups.deleteNodes(GROUP, names, signal), (e: unknown) => isCloudError(e, 'InvalidArgument'), 'not below min');
  } finally {
    await w.close();
  }
});

test('aws e2e: instance metadata for many nodes is one batched DescribeInstances, cached', async () => {
  const w = await worlds.world();
  try {
    const ins = w.provider({ instanceCacheSeconds: 10 }).instances;
    assert.ok(ins);
    const metas = await Promise.all(w.nodes.map((n) => ins.metadata(n, signal)));
    assert.deepEqual(metas.map((m) => m.providerID), w.nodes.map((n) => n.spec?.providerID));
    assert.equal(w.proxy.of('DescribeInstances').length, 1, 'one call for three nodes');
    await Promise.all(w.nodes.map((n) => ins.exists(n, signal)));
    assert.equal(w.proxy.of('DescribeInstances').length, 1, 'served from the cache');
  } finally {
    await w.close();
  }
});
