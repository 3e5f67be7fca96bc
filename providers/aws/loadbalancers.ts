/** NLBs for `type: LoadBalancer` Services: observe by tags → desired → plan → apply. */
import { CloudError, TAG_OWNER_UID, defaultLoadBalancerName } from '../../core/cloud/index.js';
import type { LoadBalancerInfo, LoadBalancerStatus, LoadBalancers, PlannedChange } from '../../core/cloud/index.js';
import type { Node, Service } from '../../core/api/index.js';
import type { Clock } from '../../core/util/index.js';
import type { AwsSdk } from './sdk.js';
import type { AwsConfig } from './config.js';
import type { AwsInstances } from './instances.js';
import { clusterLoadBalancers, observe, resolveSubnets, toActualLb, vpcCidr } from './lb-observe.js';
import { desiredLb, lbIntent, targetInstances } from './lb-model.js';
import type { DesiredLb } from './lb-model.js';
import { describeAction, planActions, planDeletion } from './lb-plan.js';
import type { Action, ActualLb, Observed } from './lb-plan.js';
import { applyActions } from './lb-apply.js';
import { LB_NAME_MAX } from './mapping.js';

export interface AwsLoadBalancersOptions {
  sdk: AwsSdk;
  config: AwsConfig;
  instances: AwsInstances;
  clock: Clock;
}

const statusOf = (lb: ActualLb | undefined): LoadBalancerStatus => ({ ingress: lb?.dnsName ? [{ hostname: lb.dnsName }] : [] });

export class AwsLoadBalancers implements LoadBalancers {
  constructor(private readonly opts: AwsLoadBalancersOptions) {}

  private get cluster(): string {
    return this.opts.config.clusterName;
  }

  name(svc: Service): string {
    return defaultLoadBalancerName(svc, LB_NAME_MAX);
  }

  private uid(svc: Service): string {
    const uid = svc.metadata.uid;
    if (!uid) throw new CloudError('InvalidArgument', 'service has no uid', { retryable: false });
    return uid;
  }

  async get(svc: Service, signal: AbortSignal): Promise<LoadBalancerInfo | undefined> {
    const all = await this.list(signal);
    return all.find((l) => l.tags[TAG_OWNER_UID] === svc.metadata.uid && l.name === this.name(svc)) ?? all.find((l) => l.tags[TAG_OWNER_UID] === svc.metadata.uid);
  }

  async list(signal: AbortSignal): Promise<LoadBalancerInfo[]> {
    return (await clusterLoadBalancers(this.opts.sdk, this.cluster, signal)).map(toActualLb).map((l) => ({ name: l.name, tags: l.tags, status: statusOf(l) }));
  }

  /** The desired balancer: subnets kept from the existing balancer unless annotated, so discovery changes do not churn it. */
  private async desired(svc: Service, nodes: readonly Node[], obs: Observed, signal: AbortSignal): Promise<{ want: DesiredLb; vpcId: string }> {
    const intent = lbIntent(svc);
    const { sdk, config } = this.opts;
    const existing = obs.lbs.find((l) => l.name === this.name(svc) && l.scheme === intent.scheme);
    const resolved = existing && !intent.subnetAnnotation
      ? { subnets: existing.subnets, vpcId: config.vpcId ?? (await sdk.describeSubnets({ SubnetIds: existing.subnets.slice(0, 1) }, signal)).Subnets?.[0]?.VpcId ?? '' }
      : await resolveSubnets(sdk, this.cluster, intent, config, signal);
    const ids = targetInstances(nodes);
    const insts = await this.opts.instances.byIds(ids, signal);
    const nodeGroups: Record<string, string> = {};
    for (const [id, inst] of insts) {
      const g = (inst?.SecurityGroups ?? []).map((x) => x.GroupId ?? '').filter(Boolean).sort()[0];
      if (g) nodeGroups[id] = g;
    }
    const live = nodes.filter((n) => { const id = n.spec?.providerID?.split('/').pop(); return id === undefined || insts.get(id) !== undefined; });
    const ctx = { cluster: this.cluster, subnets: resolved.subnets, vpcCidr: await vpcCidr(sdk, resolved.vpcId, signal), nodeGroups };
    return { want: desiredLb(svc, live, ctx), vpcId: resolved.vpcId };
  }

  private async compute(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<{ obs: Observed; want: DesiredLb; vpcId: string; actions: Action[] }> {
    const obs = await observe(this.opts.sdk, this.cluster, this.uid(svc), signal);
    const { want, vpcId } = await this.desired(svc, nodes, obs, signal);
    return { obs, want, vpcId, actions: planActions(want, obs) };
  }

  async plan(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<PlannedChange[]> {
    const { actions } = await this.compute(svc, nodes, signal);
    return actions.map((a) => describeAction(a, this.name(svc)));
  }

  async ensure(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<LoadBalancerStatus> {
    // A second pass cleans up what the first one's retries may have duplicated (a lost response to a create).
    for (let pass = 1; ; pass++) {
      const { obs, want, vpcId, actions } = await this.compute(svc, nodes, signal);
      if (actions.length === 0 || pass > 2) {
        if (actions.length) throw new CloudError('Transient', `load balancer ${want.name} did not converge: ${actions.map((a) => a.kind).join(',')}`);
        return statusOf(obs.lbs.find((l) => l.name === want.name && l.scheme === want.scheme));
      }
      await applyActions({ sdk: this.opts.sdk, clock: this.opts.clock, signal }, want, obs, actions, vpcId);
    }
  }

  async updateHosts(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<void> {
    if (!(await this.get(svc, signal))) throw new CloudError('NotFound', `no load balancer for service ${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`);
    await this.ensure(svc, nodes, signal);
  }

  async ensureDeleted(svc: Service, signal: AbortSignal): Promise<void> {
    if (!svc.metadata.uid) return;
    const obs = await observe(this.opts.sdk, this.cluster, svc.metadata.uid, signal);
    await applyActions({ sdk: this.opts.sdk, clock: this.opts.clock, signal }, undefined, obs, planDeletion(obs));
  }
}
