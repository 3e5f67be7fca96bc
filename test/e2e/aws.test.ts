/**
 * `skiff up --provider aws` end to end, against moto_server on loopback (test/support/moto.ts; fake
 * credentials in the env the child inherits, every endpoint in the cloud-config pointing at moto): a
 * LoadBalancer Service gets exactly one NLB with its target group and listener, a restart makes no mutating
 * call, deleting it leaves nothing skiff-tagged, an EBS claim gets a volume that is attached for its pod and
 * detached and deleted after, and an ASG NodeGroup grows and shrinks. The cluster name is `conformance` so
 * the AWS provider tests' census (test/providers/aws/lifecycle.ts) reads what skiff owns; skiff reaches moto
 * through the recording proxy of those tests (test/providers/aws/fault-proxy.ts, no faults injected), so
 * "no mutating call" is checked on the wire.
 *
 * The local nodes stay `uninitialized`: the AWS provider finds a node without a providerID only by
 * `private-dns-name` (providers/aws/instances.ts), which moto names `ip-…`, not by the `skiff.dev/node-name`
 * tag its volumes and node groups use. The fixtures' pods tolerate that taint until it does.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, CreateTagsCommand, DescribeImagesCommand, DescribeSubnetsCommand, DescribeVolumesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { Node, PersistentVolume, PersistentVolumeClaim, Service } from '../../core/api/index.js';
import { TAG_NODE_NAME } from '../../providers/aws/index.js';
import { startMoto, type Moto } from '../support/moto.js';
import { census } from '../providers/aws/lifecycle.js';
import { FaultProxy } from '../providers/aws/fault-proxy.js';
import { eventually, kubectlFor, repoRoot, startSkiff, tempDir, type RunningSkiff } from '../support/skiff.js';

const CLUSTER = 'conformance';
const REGION = 'us-east-1';
const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);

/** Tagged subnets, instances named like the local nodes, and an ASG tagged for discovery. */
async function seed(endpoint: string): Promise<void> {
  const ec2 = new EC2Client({ endpoint, region: REGION });
  const asg = new AutoScalingClient({ endpoint, region: REGION });
  try {
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
    const ids = subnets.map((s) => s.SubnetId ?? '').filter(Boolean);
    await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'kubernetes.io/role/elb', Value: '1' }, { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'shared' }] }));
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }))).Images?.[0]?.ImageId ?? 'ami-12c6146b';
    const first = subnets[0]?.SubnetId;
    for (const name of ['node-1', 'node-2']) {
      await ec2.send(new RunInstancesCommand({
        ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1, SubnetId: first,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: TAG_NODE_NAME, Value: name }, { Key: 'Name', Value: name }] }],
      }));
    }
    const lt = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'workers', LaunchTemplateData: { ImageId: image, InstanceType: 'm5.large' } }));
    await asg.send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'workers', MinSize: 0, MaxSize: 3, DesiredCapacity: 0, VPCZoneIdentifier: first,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: '$Latest' },
      Tags: [
        { Key: 'k8s.io/cluster-autoscaler/enabled', Value: 'true', PropagateAtLaunch: false },
        { Key: `k8s.io/cluster-autoscaler/${CLUSTER}`, Value: 'owned', PropagateAtLaunch: false },
      ],
    }));
  } finally {
    ec2.destroy();
    asg.destroy();
  }
}

describe('skiff up --provider aws against moto', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let ec2: EC2Client;
  let skiff: RunningSkiff;
  let cloudConfig = '';
  const start = async (dataDir?: string): Promise<void> => {
    skiff = await startSkiff({ ...(dataDir ? { dataDir } : {}), args: ['--nodes', '2', '--provider', 'aws', '--cloud-config', cloudConfig], timeoutMs: 60_000 });
  };
  const k = async (args: string[]): Promise<string> => {
    const r = await kubectlFor(skiff)(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}\nskiff:\n${skiff.output()}`);
    return r.stdout;
  };
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await k([...args, '-o', 'json'])) as T;
  const groupSize = async (): Promise<{ desired: number; instances: number }> => {
    const asg = new AutoScalingClient({ endpoint: moto.endpoint, region: REGION });
    try {
      const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['workers'] }))).AutoScalingGroups?.[0];
      return { desired: g?.DesiredCapacity ?? -1, instances: (g?.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length };
    } finally {
      asg.destroy();
    }
  };

  before(async () => {
    moto = await startMoto();
    ec2 = new EC2Client({ endpoint: moto.endpoint, region: REGION });
    await seed(moto.endpoint);
    proxy = new FaultProxy(moto.endpoint);
    await proxy.start();
    cloudConfig = join(tempDir('skiff-aws-'), 'aws.yaml');
    writeFileSync(cloudConfig, stringify({
      region: REGION, clusterName: CLUSTER, endpoints: { ec2: proxy.endpoint, elbv2: proxy.endpoint, autoscaling: proxy.endpoint },
      maxAttempts: 3, requestTimeoutSeconds: 5, instanceCacheSeconds: 0,
    }));
    await start();
  });
  after(async () => {
    await skiff?.stop();
    ec2?.destroy();
    await proxy?.stop();
    await moto?.stop();
  });

  it('registers the local nodes (left uninitialised: see the file comment)', async () => {
    const nodes = (await json<{ items: Node[] }>(['get', 'nodes'])).items;
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['node-1', 'node-2']);
  });

  it('gives a LoadBalancer Service exactly one NLB with its target group and listener', async () => {
    await k(['apply', '-f', fixture('aws-lb.yaml')]);
    const svc = await eventually(async () => {
      const s = await json<Service>(['get', 'svc', 'aws-echo']);
      return s.status?.loadBalancer?.ingress?.[0]?.hostname ? s : undefined;
    }, { timeoutMs: 30_000, what: 'status.loadBalancer.ingress' });
    const c = await census(moto.endpoint, ec2);
    assert.equal(c.lbs.length, 1, 'exactly one NLB');
    assert.equal(c.lbs[0]?.uid, svc.metadata.uid);
    assert.equal(c.tgs.length, 1, 'a target group for the one port');
    assert.deepEqual(c.listeners.map((l) => l.port), [80]);
    assert.equal(c.listeners[0]?.tgArn, c.tgs[0]?.arn);
  });

  it('creates an EBS volume for the claim and attaches it to the node of the pod using it', async () => {
    await k(['apply', '-f', fixture('aws-volume.yaml')]);
    const pvc = await eventually(async () => {
      const x = await json<PersistentVolumeClaim>(['get', 'pvc', 'ebs']);
      return x.status?.phase === 'Bound' ? x : undefined;
    }, { timeoutMs: 30_000, what: 'claim ebs Bound' });
    const pv = await eventually(async () => {
      const x = await json<PersistentVolume>(['get', 'pv', pvc.spec?.volumeName ?? '']);
      return x.metadata.annotations?.['skiff.dev/attached-node'] === 'node-1' ? x : undefined;
    }, { timeoutMs: 30_000, what: 'the volume attached to node-1' });
    const id = pv.spec?.csi?.volumeHandle ?? '';
    const v = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes?.[0];
    assert.equal(v?.Size, 8);
    assert.equal(v?.VolumeType, 'gp3');
    assert.equal(v?.Attachments?.length, 1);
  });

  it('makes no mutating AWS call in a full resync (a restart over the same data)', async () => {
    await skiff.stop();
    const from = proxy.calls.length;
    await start(skiff.dataDir);
    // The service controller has looked at the balancer once it reads the NLB again.
    await eventually(() => proxy.calls.slice(from).some((c) => c.action === 'DescribeListeners'), { timeoutMs: 30_000, what: 'the balancer resync' });
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(proxy.calls.slice(from).filter((c) => c.mutating).map((c) => c.action), [], 'mutating AWS calls after the restart');
  });

  it('changing the Service port replaces just that listener and target group', async () => {
    const before = await census(moto.endpoint, ec2);
    const from = proxy.calls.length;
    await k(['patch', 'svc', 'aws-echo', '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/0/port","value":81}]']);
    const after = await eventually(async () => {
      const c = await census(moto.endpoint, ec2);
      return c.listeners.length === 1 && c.listeners[0]?.port === 81 && c.tgs.length === 1 ? c : undefined;
    }, { timeoutMs: 30_000, what: 'the listener on port 81' });
    assert.equal(after.lbs[0]?.uid, before.lbs[0]?.uid, 'the same NLB');
    assert.notEqual(after.tgs[0]?.arn, before.tgs[0]?.arn, 'a new target group for the new port');
    const mutating = proxy.calls.slice(from).filter((c) => c.mutating).map((c) => c.action);
    assert.ok(!mutating.includes('CreateLoadBalancer') && !mutating.includes('DeleteLoadBalancer'), `no balancer replaced: ${mutating.join(', ')}`);
    for (const a of ['DeleteListener', 'CreateListener', 'CreateTargetGroup', 'DeleteTargetGroup']) assert.ok(mutating.includes(a), `${a} in ${mutating.join(', ')}`);
  });

  it('detaches and deletes the volume when the pod and the claim go', async () => {
    const pvc = await json<PersistentVolumeClaim>(['get', 'pvc', 'ebs']);
    const id = (await json<PersistentVolume>(['get', 'pv', pvc.spec?.volumeName ?? ''])).spec?.csi?.volumeHandle ?? '';
    await k(['delete', 'pod', 'ebs-user', '--wait=true', '--timeout=20s']);
    await eventually(async () => ((await ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes?.[0]?.Attachments ?? []).length === 0, { timeoutMs: 30_000, what: 'the volume detached' });
    await k(['delete', 'pvc', 'ebs', '--wait=true', '--timeout=20s']);
    await eventually(async () => (await census(moto.endpoint, ec2)).volumes.every((v) => v.id !== id), { timeoutMs: 30_000, what: 'the volume deleted' });
  });

  it('deleting the Service leaves no skiff-tagged NLB, target group, listener or security-group rule', async () => {
    await k(['delete', 'svc', 'aws-echo', '--wait=true', '--timeout=30s']);
    const c = await census(moto.endpoint, ec2);
    assert.deepEqual({ lbs: c.lbs, tgs: c.tgs, listeners: c.listeners, rules: c.rules }, { lbs: [], tgs: [], listeners: [], rules: 0 });
  });

  it('grows and shrinks the ASG through a NodeGroup desiredSize', async () => {
    await k(['apply', '-f', fixture('aws-nodegroup.yaml')]);
    await k(['patch', 'nodegroup', 'workers', '--type', 'merge', '-p', '{"spec":{"desiredSize":2}}']);
    await eventually(async () => {
      const g = await groupSize();
      return g.desired === 2 && g.instances === 2;
    }, { timeoutMs: 30_000, what: 'ASG at 2' });
    await k(['patch', 'nodegroup', 'workers', '--type', 'merge', '-p', '{"spec":{"desiredSize":1}}']);
    await eventually(async () => {
      const g = await groupSize();
      return g.desired === 1 && g.instances === 1;
    }, { timeoutMs: 30_000, what: 'ASG at 1' });
  });
});
