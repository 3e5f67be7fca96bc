/** Auto Scaling groups tagged for cluster-autoscaler discovery, as node groups. skiff enforces min/max itself. */
import { CloudError } from '../../core/cloud/index.js';
import type { NodeGroupInfo, NodeGroupInstance, NodeGroups } from '../../core/cloud/index.js';
import type { AutoScalingGroup, AwsSdk } from './sdk.js';
import type { AwsInstances } from './instances.js';
import { fromTagList, providerIdOf } from './mapping.js';
import { TAG_NODE_NAME } from './volume-mapping.js';
import { instanceState, isDiscoverable, nodeTemplate } from './nodegroup-mapping.js';

export interface AwsNodeGroupsOptions {
  sdk: AwsSdk;
  cluster: string;
  instances: AwsInstances;
}

export class AwsNodeGroups implements NodeGroups {
  constructor(private readonly o: AwsNodeGroupsOptions) {}

  private async groups(signal: AbortSignal, names?: string[]): Promise<AutoScalingGroup[]> {
    const out: AutoScalingGroup[] = [];
    let token: string | undefined;
    do {
      const r = await this.o.sdk.describeAutoScalingGroups({ ...(names ? { AutoScalingGroupNames: names } : {}), ...(token ? { NextToken: token } : {}) }, signal);
      out.push(...(r.AutoScalingGroups ?? []).filter((g) => isDiscoverable(fromTagList(g.Tags), this.o.cluster)));
      token = r.NextToken;
    } while (token);
    return out;
  }

  private async group(name: string, signal: AbortSignal): Promise<AutoScalingGroup> {
    const g = (await this.groups(signal, [name]))[0];
    if (!g) throw new CloudError('NotFound', `no node group ${name} (an Auto Scaling group tagged for cluster ${this.o.cluster})`, { retryable: false });
    return g;
  }

  private async instanceType(g: AutoScalingGroup, signal: AbortSignal): Promise<string | undefined> {
    const lt = g.LaunchTemplate ?? g.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
    if (lt?.LaunchTemplateId || lt?.LaunchTemplateName) {
      const r = await this.o.sdk.describeLaunchTemplateVersions({
        ...(lt.LaunchTemplateId ? { LaunchTemplateId: lt.LaunchTemplateId } : { LaunchTemplateName: lt.LaunchTemplateName }),
        Versions: [lt.Version ?? '$Default'],
      }, signal);
      const t = r.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.InstanceType;
      if (t) return t;
    }
    return g.MixedInstancesPolicy?.LaunchTemplate?.Overrides?.[0]?.InstanceType ?? g.Instances?.[0]?.InstanceType;
  }

  private async members(g: AutoScalingGroup, signal: AbortSignal): Promise<NodeGroupInstance[]> {
    const insts = g.Instances ?? [];
    const found = await this.o.instances.byIds(insts.map((i) => i.InstanceId ?? ''), signal);
    return insts.map((i) => {
      const id = i.InstanceId ?? '';
      const ec2 = found.get(id);
      const name = fromTagList(ec2?.Tags)[TAG_NODE_NAME] ?? ec2?.PrivateDnsName ?? id;
      return { name, providerID: providerIdOf(i.AvailabilityZone ?? '', id), state: instanceState(i.LifecycleState) };
    });
  }

  async list(signal: AbortSignal): Promise<NodeGroupInfo[]> {
    const out: NodeGroupInfo[] = [];
    for (const g of await this.groups(signal)) {
      const type = await this.instanceType(g, signal);
      out.push({
        name: g.AutoScalingGroupName ?? '', min: g.MinSize ?? 0, max: g.MaxSize ?? 0, targetSize: g.DesiredCapacity ?? 0,
        instances: await this.members(g, signal),
        template: nodeTemplate(fromTagList(g.Tags), type, g.AvailabilityZones?.[0]),
      });
    }
    return out;
  }

  private async setDesired(name: string, size: number, signal: AbortSignal): Promise<void> {
    await this.o.sdk.setDesiredCapacity({ AutoScalingGroupName: name, DesiredCapacity: size, HonorCooldown: false }, signal);
  }

  async increase(group: string, delta: number, signal: AbortSignal): Promise<void> {
    if (!(delta > 0)) throw new CloudError('InvalidArgument', `increase by ${delta}: must be positive`, { retryable: false });
    const g = await this.group(group, signal);
    const next = (g.DesiredCapacity ?? 0) + delta;
    if (next > (g.MaxSize ?? 0)) throw new CloudError('InvalidArgument', `node group ${group}: size ${next} above max ${g.MaxSize ?? 0}`, { retryable: false });
    await this.setDesired(group, next, signal);
  }

  async deleteNodes(group: string, nodeNames: readonly string[], signal: AbortSignal): Promise<void> {
    const g = await this.group(group, signal);
    const members = await this.members(g, signal);
    const picked = nodeNames.map((n) => {
      const m = members.find((x) => x.name === n || x.providerID.endsWith(`/${n}`));
      if (!m) throw new CloudError('InvalidArgument', `node ${n} is not in node group ${group}`, { retryable: false });
      return m;
    });
    const live = picked.filter((m) => m.state !== 'deleting');
    if ((g.DesiredCapacity ?? 0) - live.length < (g.MinSize ?? 0)) {
      throw new CloudError('InvalidArgument', `node group ${group}: deleting ${live.length} would go below min ${g.MinSize ?? 0}`, { retryable: false });
    }
    for (const m of live) {
      const id = m.providerID.split('/').pop() ?? '';
      await this.o.sdk.terminateInstanceInAsg({ InstanceId: id, ShouldDecrementDesiredCapacity: true }, signal);
    }
  }

  async decreaseTargetSize(group: string, delta: number, signal: AbortSignal): Promise<void> {
    if (!(delta > 0)) throw new CloudError('InvalidArgument', `decrease by ${delta}: must be positive`, { retryable: false });
    const g = await this.group(group, signal);
    const next = (g.DesiredCapacity ?? 0) - delta;
    const existing = (g.Instances ?? []).length;
    if (next < existing || next < (g.MinSize ?? 0)) {
      throw new CloudError('InvalidArgument', `node group ${group}: size ${next} below ${next < existing ? `its ${existing} instances` : `min ${g.MinSize ?? 0}`}`, { retryable: false });
    }
    await this.setDesired(group, next, signal);
  }
}
