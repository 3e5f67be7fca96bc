/** AWS test fixtures: moto + fault proxy, tagged subnets, three instances as nodes, an ASG node group, provider factory. */
import { EC2Client, CreateTagsCommand, DescribeSubnetsCommand, RunInstancesCommand, DescribeImagesCommand, DescribeSecurityGroupsCommand, CreateLaunchTemplateCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { Registry } from 'prom-client';
import { makeNode } from '../../../providers/conformance/index.js';
import { Throttle, createAwsProvider, providerIdOf, TAG_NODE_NAME } from '../../../providers/aws/index.js';
import type { AwsProvider } from '../../../providers/aws/index.js';
import type { Node } from '../../../core/api/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { startMoto } from '../../support/moto.js';
import type { Moto } from '../../support/moto.js';
import { FaultProxy } from './fault-proxy.js';

export const CLUSTER = 'conformance';
export const GROUP = 'workers';

export interface AwsWorld {
  moto: Moto;
  proxy: FaultProxy;
  ec2: EC2Client;
  nodes: Node[];
  instanceIds: string[];
  subnets: string[];
  registry: Registry;
  throttle: Throttle;
  provider(extra?: Record<string, unknown>): AwsProvider;
  stopInstance(id: string): Promise<void>;
  terminateInstance(id: string): Promise<void>;
  close(): Promise<void>;
}

const images = new Map<string, string>();

async function seed(endpoint: string): Promise<{ ec2: EC2Client; nodes: Node[]; ids: string[]; subnets: string[] }> {
  const ec2 = new EC2Client({ endpoint, region: 'us-east-1' });
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const ids = subnets.map((s) => s.SubnetId ?? '').filter(Boolean);
  await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'kubernetes.io/role/elb', Value: '1' }, { Key: 'kubernetes.io/role/internal-elb', Value: '1' }, { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'shared' }] }));
  // moto's image list is large and survives a reset: look it up once per moto.
  const image = images.get(endpoint) ?? (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }))).Images?.[0]?.ImageId ?? 'ami-12c6146b';
  images.set(endpoint, image);
  const first = subnets[0];
  const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }, { Name: 'vpc-id', Values: [first?.VpcId ?? ''] }] }))).SecurityGroups?.[0]?.GroupId;
  const nodes: Node[] = [];
  const instanceIds: string[] = [];
  for (const name of ['node-a', 'node-b', 'node-c']) {
    const r = await ec2.send(new RunInstancesCommand({
      ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1, SubnetId: first?.SubnetId, ...(sg ? { SecurityGroupIds: [sg] } : {}),
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: TAG_NODE_NAME, Value: name }, { Key: 'Name', Value: name }] }],
    }));
    const inst = r.Instances?.[0];
    const id = inst?.InstanceId ?? '';
    instanceIds.push(id);
    const n = makeNode(name, inst?.PrivateIpAddress ?? '127.0.0.1');
    nodes.push({ ...n, spec: { ...n.spec, providerID: providerIdOf(inst?.Placement?.AvailabilityZone ?? '', id) } });
  }
  const lt = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'workers', LaunchTemplateData: { ImageId: image, InstanceType: 'm5.large' } }));
  const asg = new AutoScalingClient({ endpoint, region: 'us-east-1' });
  await asg.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: GROUP, MinSize: 1, MaxSize: 3, DesiredCapacity: 1,
    LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: '$Latest' }, VPCZoneIdentifier: first?.SubnetId,
    Tags: [
      { Key: 'k8s.io/cluster-autoscaler/enabled', Value: 'true', PropagateAtLaunch: false },
      { Key: `k8s.io/cluster-autoscaler/${CLUSTER}`, Value: 'owned', PropagateAtLaunch: false },
      { Key: 'k8s.io/cluster-autoscaler/node-template/label/pool', Value: 'workers', PropagateAtLaunch: false },
      { Key: 'k8s.io/cluster-autoscaler/node-template/taint/dedicated', Value: 'batch:NoSchedule', PropagateAtLaunch: false },
    ],
  }));
  asg.destroy();
  return { ec2, nodes, ids: instanceIds, subnets: ids };
}

/** One moto per test file; `world()` resets it and seeds a fresh cloud. */
export function awsWorlds(): { world(): Promise<AwsWorld>; shutdown(): Promise<void> } {
  let moto: Moto | undefined;
  return {
    async world() {
      moto ??= await startMoto();
      const m = moto;
      await m.reset();
      const proxy = new FaultProxy(m.endpoint);
      await proxy.start();
      const { ec2, nodes, ids, subnets } = await seed(m.endpoint);
      const registry = new Registry();
      const throttle = new Throttle({ clock: systemClock, baseMs: 5, maxMs: 50 });
      const made: AwsProvider[] = [];
      return {
        moto: m, proxy, ec2, nodes, instanceIds: ids, subnets, registry, throttle,
        provider(extra = {}) {
          const cloudConfig = {
            region: 'us-east-1', endpoints: { ec2: proxy.endpoint, elbv2: proxy.endpoint, autoscaling: proxy.endpoint },
            maxAttempts: 4, requestTimeoutSeconds: 2, instanceCacheSeconds: 0, ...extra,
          };
          const p = createAwsProvider({ cloudConfig, clusterName: CLUSTER, dataDir: '/nonexistent', log: silentLogger, clock: systemClock, metrics: registry, throttle });
          made.push(p);
          return p;
        },
        stopInstance: async (id) => void (await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))),
        terminateInstance: async (id) => void (await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))),
        close: async () => {
          await Promise.all(made.map((p) => p.close()));
          ec2.destroy();
          await proxy.stop();
        },
      };
    },
    async shutdown() {
      await moto?.stop();
    },
  };
}
