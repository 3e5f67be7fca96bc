/** Writes: runs planned actions in order. Every create carries its tags, so a retry after any failure finds what was made. */
import { CloudError, isCloudError } from '../../core/cloud/index.js';
import type { Clock } from '../../core/util/index.js';
import type { AwsSdk } from './sdk.js';
import type { Action, Observed } from './lb-plan.js';
import type { DesiredLb, HealthCheck } from './lb-model.js';
import { toTagList } from './mapping.js';

export interface ApplyContext {
  sdk: AwsSdk;
  clock: Clock;
  signal: AbortSignal;
}

const hcInput = (h: HealthCheck) => ({
  HealthCheckProtocol: h.protocol as 'TCP', HealthCheckPort: h.port, HealthCheckEnabled: true,
  ...(h.path ? { HealthCheckPath: h.path } : {}),
  HealthCheckIntervalSeconds: h.intervalSeconds, HealthCheckTimeoutSeconds: h.timeoutSeconds,
  HealthyThresholdCount: h.healthyThreshold, UnhealthyThresholdCount: h.unhealthyThreshold,
});

/** Missing is success for deletes. */
async function gone(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isCloudError(e, 'NotFound')) throw e;
  }
}

/** A create answered "already exists" (e.g. a retry after a lost response): re-read on the next reconcile. */
async function created<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isCloudError(e, 'AlreadyExists')) throw new CloudError('AlreadyExists', `${e.message} (will adopt on retry)`, { retryable: true, cause: e });
    throw e;
  }
}

/** Retries a delete while dependants are still going away (ResourceInUse, DependencyViolation), bounded. */
export async function whileInUse(ctx: ApplyContext, fn: () => Promise<void>, attempts = 8): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!isCloudError(e, 'Conflict') || i >= attempts) throw e;
      await ctx.clock.sleep(Math.min(200 * 2 ** i, 5000), ctx.signal);
    }
  }
}

class Applier {
  lbArn: string | undefined;
  readonly tgArns = new Map<string, string>();
  constructor(private readonly ctx: ApplyContext, private readonly want: DesiredLb | undefined, obs: Observed) {
    this.lbArn = want ? obs.lbs.find((l) => l.name === want.name && l.scheme === want.scheme)?.arn : undefined;
    for (const t of obs.tgs) this.tgArns.set(t.name, t.arn);
  }

  private tg(name: string): string {
    const arn = this.tgArns.get(name);
    if (!arn) throw new CloudError('Internal', `target group ${name} not known`);
    return arn;
  }

  private lb(): string {
    if (!this.lbArn) throw new CloudError('Internal', 'load balancer not known');
    return this.lbArn;
  }

  private wanted(): DesiredLb {
    if (!this.want) throw new CloudError('Internal', 'no desired state');
    return this.want;
  }

  async run(a: Action): Promise<void> {
    const { sdk, signal } = this.ctx;
    switch (a.kind) {
      case 'deleteLb': return gone(sdk.deleteLoadBalancer({ LoadBalancerArn: a.arn }, signal));
      case 'createLb': {
        const w = this.wanted();
        const r = await created(sdk.createLoadBalancer({ Name: w.name, Type: 'network', Scheme: w.scheme, Subnets: w.subnets, IpAddressType: 'ipv4', Tags: toTagList(w.tags) }, signal));
        this.lbArn = r.LoadBalancers?.[0]?.LoadBalancerArn;
        return;
      }
      case 'setSubnets': return void (await sdk.setSubnets({ LoadBalancerArn: this.lb(), Subnets: a.subnets }, signal));
      case 'tagLb': return void (await sdk.addTags({ ResourceArns: [this.lb()], Tags: toTagList(a.tags) }, signal));
      case 'createTg': {
        const r = await created(sdk.createTargetGroup({
          Name: a.tg.name, Protocol: a.tg.protocol as 'TCP', Port: a.tg.nodePort, TargetType: 'instance', VpcId: this.vpcId,
          ...hcInput(a.tg.healthCheck), Tags: toTagList(this.wanted().tags),
        }, signal));
        const arn = r.TargetGroups?.[0]?.TargetGroupArn;
        if (arn) this.tgArns.set(a.tg.name, arn);
        return;
      }
      case 'modifyTg': return void (await sdk.modifyTargetGroup({ TargetGroupArn: a.arn, ...hcInput(a.healthCheck) }, signal));
      case 'tagTg': return void (await sdk.addTags({ ResourceArns: [a.arn], Tags: toTagList(a.tags) }, signal));
      case 'register': return void (await sdk.registerTargets({ TargetGroupArn: this.tg(a.tgName), Targets: a.ids.map((Id) => ({ Id, Port: a.port })) }, signal));
      case 'deregister': return gone(sdk.deregisterTargets({ TargetGroupArn: a.arn, Targets: a.ids.map((Id) => ({ Id })) }, signal));
      case 'deleteListener': return gone(sdk.deleteListener({ ListenerArn: a.arn }, signal));
      case 'createListener': return void (await created(sdk.createListener({
        LoadBalancerArn: this.lb(), Port: a.port, Protocol: a.protocol as 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: this.tg(a.tgName) }], Tags: toTagList(this.wanted().tags),
      }, signal)));
      case 'modifyListener': return void (await sdk.modifyListener({ ListenerArn: a.arn, DefaultActions: [{ Type: 'forward', TargetGroupArn: this.tg(a.tgName) }] }, signal));
      case 'deleteTg': return whileInUse(this.ctx, () => gone(sdk.deleteTargetGroup({ TargetGroupArn: a.arn }, signal)));
      case 'authorize': return this.authorize(a.rule);
      case 'revoke': return gone(sdk.revokeIngress({ GroupId: a.rule.groupId, SecurityGroupRuleIds: [a.rule.id] }, signal));
    }
  }

  vpcId: string | undefined;

  private async authorize(rule: { groupId: string; protocol: string; port: number; cidr: string }): Promise<void> {
    const w = this.wanted();
    try {
      await this.ctx.sdk.authorizeIngress({
        GroupId: rule.groupId,
        IpPermissions: [{ IpProtocol: rule.protocol, FromPort: rule.port, ToPort: rule.port, IpRanges: [{ CidrIp: rule.cidr, Description: `skiff ${w.tags['kubernetes.io/service-name'] ?? w.name}` }] }],
        TagSpecifications: [{ ResourceType: 'security-group-rule', Tags: toTagList(w.tags) }],
      }, this.ctx.signal);
    } catch (e) {
      // The same rule made by someone else (or untagged by an old run) is not ours to manage: leave it.
      if (!isCloudError(e, 'AlreadyExists')) throw e;
    }
  }
}

/** Runs `actions` in order. `vpcId` is where new target groups go. */
export async function applyActions(ctx: ApplyContext, want: DesiredLb | undefined, obs: Observed, actions: readonly Action[], vpcId?: string): Promise<void> {
  const ap = new Applier(ctx, want, obs);
  ap.vpcId = vpcId;
  for (const a of actions) await ap.run(a);
}
