/**
 * The narrow AWS seam (STYLE.md §13): the only file importing `@aws-sdk/*`. One client per service with
 * the standard credential chain and region resolution, endpoint overrides, SDK retries, a process-wide
 * throttle back-off applied to every attempt, and errors translated to CloudError at this edge.
 */
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import * as asg from '@aws-sdk/client-auto-scaling';
import { translateAwsError } from './errors.js';
import type { Throttle } from './throttle.js';

export type { Instance, Subnet, Volume, SecurityGroupRule, Tag as Ec2Tag, IpPermission } from '@aws-sdk/client-ec2';
export type { LoadBalancer, TargetGroup, Listener, TargetHealthDescription, Tag as ElbTag, TagDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
export type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';

export interface SdkConfig {
  region?: string;
  endpoints?: { ec2?: string; elbv2?: string; autoscaling?: string };
  maxAttempts: number;
  requestTimeoutMs: number;
  /** The back-off for this SDK's account and region, resolved once from its credentials and region. */
  throttle: (account: string, region: string) => Throttle;
}

interface Stackable {
  middlewareStack: { add(mw: (next: (a: unknown) => Promise<unknown>) => (a: unknown) => Promise<unknown>, o: { step: 'finalizeRequest'; priority: 'low'; name: string }): void };
}

/** Every attempt (after the SDK's retry middleware) waits out the shared back-off and reports throttling to it. */
function addThrottle(client: Stackable, resolve: () => Promise<Throttle>): void {
  client.middlewareStack.add((next) => async (args) => {
    const throttle = await resolve();
    await throttle.wait();
    try {
      const out = await next(args);
      throttle.onSuccess();
      return out;
    } catch (e) {
      throttle.onError(e);
      throw e;
    }
  }, { step: 'finalizeRequest', priority: 'low', name: 'skiffThrottle' });
}

type Sender = { send(cmd: never, opts: { abortSignal?: AbortSignal }): Promise<unknown> };

async function call<O>(client: Sender, cmd: unknown, signal: AbortSignal): Promise<O> {
  try {
    return (await client.send(cmd as never, { abortSignal: signal as never })) as O;
  } catch (e) {
    throw translateAwsError(e);
  }
}

export class AwsSdk {
  readonly ec2: ec2.EC2Client;
  readonly elb: elb.ElasticLoadBalancingV2Client;
  readonly asg: asg.AutoScalingClient;

  constructor(cfg: SdkConfig) {
    const common = { maxAttempts: cfg.maxAttempts, requestHandler: { requestTimeout: cfg.requestTimeoutMs, throwOnRequestTimeout: true }, ...(cfg.region ? { region: cfg.region } : {}) };
    this.ec2 = new ec2.EC2Client({ ...common, ...(cfg.endpoints?.ec2 ? { endpoint: cfg.endpoints.ec2 } : {}) });
    this.elb = new elb.ElasticLoadBalancingV2Client({ ...common, ...(cfg.endpoints?.elbv2 ? { endpoint: cfg.endpoints.elbv2 } : {}) });
    this.asg = new asg.AutoScalingClient({ ...common, ...(cfg.endpoints?.autoscaling ? { endpoint: cfg.endpoints.autoscaling } : {}) });
    let throttle: Promise<Throttle> | undefined;
    const resolve = (): Promise<Throttle> => (throttle ??= this.identity().then(({ account, region }) => cfg.throttle(account, region)));
    for (const c of [this.ec2, this.elb, this.asg]) addThrottle(c as unknown as Stackable, resolve);
  }

  /** The account (ID when the credentials carry one, else their access key ID) and region requests go to. */
  private async identity(): Promise<{ account: string; region: string }> {
    const creds = await this.ec2.config.credentials();
    return { account: creds.accountId ?? creds.accessKeyId, region: await this.region() };
  }

  async region(): Promise<string> {
    return this.ec2.config.region();
  }

  close(): void {
    this.ec2.destroy();
    this.elb.destroy();
    this.asg.destroy();
  }

  // EC2
  describeInstances = (i: ec2.DescribeInstancesCommandInput, s: AbortSignal) => call<ec2.DescribeInstancesCommandOutput>(this.ec2, new ec2.DescribeInstancesCommand(i), s);
  describeSubnets = (i: ec2.DescribeSubnetsCommandInput, s: AbortSignal) => call<ec2.DescribeSubnetsCommandOutput>(this.ec2, new ec2.DescribeSubnetsCommand(i), s);
  describeVpcs = (i: ec2.DescribeVpcsCommandInput, s: AbortSignal) => call<ec2.DescribeVpcsCommandOutput>(this.ec2, new ec2.DescribeVpcsCommand(i), s);
  describeSecurityGroupRules = (i: ec2.DescribeSecurityGroupRulesCommandInput, s: AbortSignal) => call<ec2.DescribeSecurityGroupRulesCommandOutput>(this.ec2, new ec2.DescribeSecurityGroupRulesCommand(i), s);
  authorizeIngress = (i: ec2.AuthorizeSecurityGroupIngressCommandInput, s: AbortSignal) => call<ec2.AuthorizeSecurityGroupIngressCommandOutput>(this.ec2, new ec2.AuthorizeSecurityGroupIngressCommand(i), s);
  revokeIngress = (i: ec2.RevokeSecurityGroupIngressCommandInput, s: AbortSignal) => call<ec2.RevokeSecurityGroupIngressCommandOutput>(this.ec2, new ec2.RevokeSecurityGroupIngressCommand(i), s);
  createVolume = (i: ec2.CreateVolumeCommandInput, s: AbortSignal) => call<ec2.CreateVolumeCommandOutput>(this.ec2, new ec2.CreateVolumeCommand(i), s);
  describeVolumes = (i: ec2.DescribeVolumesCommandInput, s: AbortSignal) => call<ec2.DescribeVolumesCommandOutput>(this.ec2, new ec2.DescribeVolumesCommand(i), s);
  attachVolume = (i: ec2.AttachVolumeCommandInput, s: AbortSignal) => call<ec2.AttachVolumeCommandOutput>(this.ec2, new ec2.AttachVolumeCommand(i), s);
  detachVolume = (i: ec2.DetachVolumeCommandInput, s: AbortSignal) => call<ec2.DetachVolumeCommandOutput>(this.ec2, new ec2.DetachVolumeCommand(i), s);
  deleteVolume = (i: ec2.DeleteVolumeCommandInput, s: AbortSignal) => call<ec2.DeleteVolumeCommandOutput>(this.ec2, new ec2.DeleteVolumeCommand(i), s);
  describeLaunchTemplateVersions = (i: ec2.DescribeLaunchTemplateVersionsCommandInput, s: AbortSignal) => call<ec2.DescribeLaunchTemplateVersionsCommandOutput>(this.ec2, new ec2.DescribeLaunchTemplateVersionsCommand(i), s);

  // ELBv2
  describeLoadBalancers = (i: elb.DescribeLoadBalancersCommandInput, s: AbortSignal) => call<elb.DescribeLoadBalancersCommandOutput>(this.elb, new elb.DescribeLoadBalancersCommand(i), s);
  describeTags = (i: elb.DescribeTagsCommandInput, s: AbortSignal) => call<elb.DescribeTagsCommandOutput>(this.elb, new elb.DescribeTagsCommand(i), s);
  createLoadBalancer = (i: elb.CreateLoadBalancerCommandInput, s: AbortSignal) => call<elb.CreateLoadBalancerCommandOutput>(this.elb, new elb.CreateLoadBalancerCommand(i), s);
  deleteLoadBalancer = (i: elb.DeleteLoadBalancerCommandInput, s: AbortSignal) => call<elb.DeleteLoadBalancerCommandOutput>(this.elb, new elb.DeleteLoadBalancerCommand(i), s);
  setSubnets = (i: elb.SetSubnetsCommandInput, s: AbortSignal) => call<elb.SetSubnetsCommandOutput>(this.elb, new elb.SetSubnetsCommand(i), s);
  addTags = (i: elb.AddTagsCommandInput, s: AbortSignal) => call<elb.AddTagsCommandOutput>(this.elb, new elb.AddTagsCommand(i), s);
  describeTargetGroups = (i: elb.DescribeTargetGroupsCommandInput, s: AbortSignal) => call<elb.DescribeTargetGroupsCommandOutput>(this.elb, new elb.DescribeTargetGroupsCommand(i), s);
  createTargetGroup = (i: elb.CreateTargetGroupCommandInput, s: AbortSignal) => call<elb.CreateTargetGroupCommandOutput>(this.elb, new elb.CreateTargetGroupCommand(i), s);
  modifyTargetGroup = (i: elb.ModifyTargetGroupCommandInput, s: AbortSignal) => call<elb.ModifyTargetGroupCommandOutput>(this.elb, new elb.ModifyTargetGroupCommand(i), s);
  deleteTargetGroup = (i: elb.DeleteTargetGroupCommandInput, s: AbortSignal) => call<elb.DeleteTargetGroupCommandOutput>(this.elb, new elb.DeleteTargetGroupCommand(i), s);
  describeTargetHealth = (i: elb.DescribeTargetHealthCommandInput, s: AbortSignal) => call<elb.DescribeTargetHealthCommandOutput>(this.elb, new elb.DescribeTargetHealthCommand(i), s);
  registerTargets = (i: elb.RegisterTargetsCommandInput, s: AbortSignal) => call<elb.RegisterTargetsCommandOutput>(this.elb, new elb.RegisterTargetsCommand(i), s);
  deregisterTargets = (i: elb.DeregisterTargetsCommandInput, s: AbortSignal) => call<elb.DeregisterTargetsCommandOutput>(this.elb, new elb.DeregisterTargetsCommand(i), s);
  describeListeners = (i: elb.DescribeListenersCommandInput, s: AbortSignal) => call<elb.DescribeListenersCommandOutput>(this.elb, new elb.DescribeListenersCommand(i), s);
  createListener = (i: elb.CreateListenerCommandInput, s: AbortSignal) => call<elb.CreateListenerCommandOutput>(this.elb, new elb.CreateListenerCommand(i), s);
  modifyListener = (i: elb.ModifyListenerCommandInput, s: AbortSignal) => call<elb.ModifyListenerCommandOutput>(this.elb, new elb.ModifyListenerCommand(i), s);
  deleteListener = (i: elb.DeleteListenerCommandInput, s: AbortSignal) => call<elb.DeleteListenerCommandOutput>(this.elb, new elb.DeleteListenerCommand(i), s);

  // Auto Scaling
  describeAutoScalingGroups = (i: asg.DescribeAutoScalingGroupsCommandInput, s: AbortSignal) => call<asg.DescribeAutoScalingGroupsCommandOutput>(this.asg, new asg.DescribeAutoScalingGroupsCommand(i), s);
  describeAsgTags = (i: asg.DescribeTagsCommandInput, s: AbortSignal) => call<asg.DescribeTagsCommandOutput>(this.asg, new asg.DescribeTagsCommand(i), s);
  setDesiredCapacity = (i: asg.SetDesiredCapacityCommandInput, s: AbortSignal) => call<asg.SetDesiredCapacityCommandOutput>(this.asg, new asg.SetDesiredCapacityCommand(i), s);
  terminateInstanceInAsg = (i: asg.TerminateInstanceInAutoScalingGroupCommandInput, s: AbortSignal) => call<asg.TerminateInstanceInAutoScalingGroupCommandOutput>(this.asg, new asg.TerminateInstanceInAutoScalingGroupCommand(i), s);
}
