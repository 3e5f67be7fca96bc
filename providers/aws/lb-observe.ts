/** Reads: what the cloud holds for a Service (found by its owner-UID tag, never by the current spec), and the context a plan needs. */
import { CloudError, TAG_CLUSTER, TAG_OWNER_UID } from '../../core/cloud/index.js';
import type { AwsSdk, LoadBalancer, TargetGroup } from './sdk.js';
import type { ActualLb, ActualRule, ActualTg, Observed } from './lb-plan.js';
import type { HealthCheck, LbIntent } from './lb-model.js';
import { clusterTagKey, fromTagList } from './mapping.js';
import type { TagMap } from './mapping.js';

export interface Tagged<T> {
  item: T;
  arn: string;
  tags: TagMap;
}

/** ELBv2 resources with their tags (DescribeTags takes 20 ARNs per call). */
async function withTags<T>(sdk: AwsSdk, items: readonly T[], arnOf: (t: T) => string | undefined, signal: AbortSignal): Promise<Tagged<T>[]> {
  const byArn = new Map<string, T>();
  for (const it of items) { const a = arnOf(it); if (a) byArn.set(a, it); }
  const arns = [...byArn.keys()];
  const out: Tagged<T>[] = [];
  for (let i = 0; i < arns.length; i += 20) {
    const r = await sdk.describeTags({ ResourceArns: arns.slice(i, i + 20) }, signal);
    for (const d of r.TagDescriptions ?? []) {
      const item = byArn.get(d.ResourceArn ?? '');
      if (item !== undefined) out.push({ item, arn: d.ResourceArn ?? '', tags: fromTagList(d.Tags) });
    }
  }
  return out;
}

export async function clusterLoadBalancers(sdk: AwsSdk, cluster: string, signal: AbortSignal): Promise<Tagged<LoadBalancer>[]> {
  const all: LoadBalancer[] = [];
  let marker: string | undefined;
  do {
    const r = await sdk.describeLoadBalancers(marker ? { Marker: marker } : {}, signal);
    all.push(...(r.LoadBalancers ?? []).filter((l) => l.Type === 'network'));
    marker = r.NextMarker;
  } while (marker);
  return (await withTags(sdk, all, (l) => l.LoadBalancerArn, signal)).filter((t) => t.tags[TAG_CLUSTER] === cluster);
}

async function ownedTargetGroups(sdk: AwsSdk, cluster: string, uid: string, signal: AbortSignal): Promise<Tagged<TargetGroup>[]> {
  const all: TargetGroup[] = [];
  let marker: string | undefined;
  do {
    const r = await sdk.describeTargetGroups(marker ? { Marker: marker } : {}, signal);
    all.push(...(r.TargetGroups ?? []));
    marker = r.NextMarker;
  } while (marker);
  return (await withTags(sdk, all, (t) => t.TargetGroupArn, signal)).filter((t) => t.tags[TAG_CLUSTER] === cluster && t.tags[TAG_OWNER_UID] === uid);
}

function healthCheckOf(t: TargetGroup): HealthCheck {
  const protocol = t.HealthCheckProtocol ?? 'TCP';
  return {
    protocol, port: t.HealthCheckPort ?? 'traffic-port',
    ...(protocol === 'TCP' ? {} : { path: t.HealthCheckPath ?? '/' }),
    intervalSeconds: t.HealthCheckIntervalSeconds ?? 0, timeoutSeconds: t.HealthCheckTimeoutSeconds ?? 0,
    healthyThreshold: t.HealthyThresholdCount ?? 0, unhealthyThreshold: t.UnhealthyThresholdCount ?? 0,
  };
}

export function toActualLb(t: Tagged<LoadBalancer>): ActualLb {
  return {
    arn: t.arn, name: t.item.LoadBalancerName ?? '', scheme: t.item.Scheme === 'internal' ? 'internal' : 'internet-facing',
    dnsName: t.item.DNSName ?? '', subnets: (t.item.AvailabilityZones ?? []).map((z) => z.SubnetId ?? '').filter(Boolean), tags: t.tags,
  };
}

/** Everything owned by the Service with `uid`: balancers, target groups (with targets), their listeners and security-group rules. */
export async function observe(sdk: AwsSdk, cluster: string, uid: string, signal: AbortSignal): Promise<Observed> {
  const lbs = (await clusterLoadBalancers(sdk, cluster, signal)).filter((t) => t.tags[TAG_OWNER_UID] === uid).map(toActualLb);
  const tgs: ActualTg[] = [];
  for (const t of await ownedTargetGroups(sdk, cluster, uid, signal)) {
    const h = await sdk.describeTargetHealth({ TargetGroupArn: t.arn }, signal);
    const targets = (h.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id ?? '').filter(Boolean).sort();
    tgs.push({ arn: t.arn, name: t.item.TargetGroupName ?? '', protocol: t.item.Protocol ?? 'TCP', port: t.item.Port ?? 0, healthCheck: healthCheckOf(t.item), tags: t.tags, targets });
  }
  const listeners = [];
  for (const lb of lbs) {
    const r = await sdk.describeListeners({ LoadBalancerArn: lb.arn }, signal);
    for (const l of r.Listeners ?? []) {
      listeners.push({ arn: l.ListenerArn ?? '', port: l.Port ?? 0, protocol: l.Protocol ?? 'TCP', tgArn: l.DefaultActions?.[0]?.TargetGroupArn ?? '' });
    }
  }
  const rr = await sdk.describeSecurityGroupRules({ Filters: [{ Name: `tag:${TAG_OWNER_UID}`, Values: [uid] }] }, signal);
  const rules: ActualRule[] = (rr.SecurityGroupRules ?? [])
    .filter((r) => !r.IsEgress && fromTagList(r.Tags)[TAG_CLUSTER] === cluster)
    .map((r) => ({ id: r.SecurityGroupRuleId ?? '', groupId: r.GroupId ?? '', protocol: r.IpProtocol ?? 'tcp', port: r.FromPort ?? 0, cidr: r.CidrIpv4 ?? '' }));
  return { lbs, tgs, listeners, rules };
}

/** Subnets for a new balancer: the annotation's IDs or Name tags; else one per zone tagged for the role and this cluster. */
export async function resolveSubnets(sdk: AwsSdk, cluster: string, intent: LbIntent, cfg: { vpcId?: string; subnetIds?: string[] }, signal: AbortSignal): Promise<{ subnets: string[]; vpcId: string }> {
  const vpcFilter = cfg.vpcId ? [{ Name: 'vpc-id', Values: [cfg.vpcId] }] : [];
  let found;
  if (intent.subnetAnnotation) {
    const ids = intent.subnetAnnotation.filter((s) => s.startsWith('subnet-'));
    const names = intent.subnetAnnotation.filter((s) => !s.startsWith('subnet-'));
    found = [
      ...(ids.length ? (await sdk.describeSubnets({ SubnetIds: ids }, signal)).Subnets ?? [] : []),
      ...(names.length ? (await sdk.describeSubnets({ Filters: [...vpcFilter, { Name: 'tag:Name', Values: names }] }, signal)).Subnets ?? [] : []),
    ];
  } else {
    const role = intent.scheme === 'internal' ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb';
    const filters = [...vpcFilter, { Name: 'tag-key', Values: [role] }, { Name: 'tag-key', Values: [clusterTagKey(cluster)] }];
    found = ((await sdk.describeSubnets({ Filters: filters, ...(cfg.subnetIds ? { SubnetIds: cfg.subnetIds } : {}) }, signal)).Subnets ?? [])
      .filter((s) => !['0', 'false'].includes(fromTagList(s.Tags)[role] ?? ''));
  }
  const perZone = new Map<string, string>();
  for (const s of [...found].sort((a, b) => (a.SubnetId ?? '').localeCompare(b.SubnetId ?? ''))) {
    if (s.AvailabilityZone && s.SubnetId && !perZone.has(s.AvailabilityZone)) perZone.set(s.AvailabilityZone, s.SubnetId);
  }
  if (perZone.size === 0) {
    throw new CloudError('InvalidArgument', `no subnets for a ${intent.scheme} load balancer: tag subnets with kubernetes.io/role/${intent.scheme === 'internal' ? 'internal-elb' : 'elb'}=1 and ${clusterTagKey(cluster)}, or set the subnets annotation`, { retryable: false });
  }
  return { subnets: [...perZone.values()].sort(), vpcId: cfg.vpcId ?? found[0]?.VpcId ?? '' };
}

export async function vpcCidr(sdk: AwsSdk, vpcId: string, signal: AbortSignal): Promise<string> {
  const r = await sdk.describeVpcs({ VpcIds: [vpcId] }, signal);
  return r.Vpcs?.[0]?.CidrBlock ?? '10.0.0.0/8';
}
