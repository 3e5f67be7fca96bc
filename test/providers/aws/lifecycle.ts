/** Shared test helpers: what moto holds for the cluster (read directly, not through the provider), and a full lifecycle. */
import { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, DescribeListenersCommand, DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeSecurityGroupRulesCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { TAG_CLUSTER } from '../../../core/cloud/index.js';
import { CLUSTER } from './fixture.js';

export interface CloudCensus {
  lbs: { arn: string; name: string; scheme: string; uid: string }[];
  tgs: { arn: string; name: string; port: number; uid: string }[];
  listeners: { port: number; tgArn: string }[];
  rules: number;
  volumes: { id: string; key: string; state: string }[];
}

export async function census(endpoint: string, ec2: EC2Client): Promise<CloudCensus> {
  const elb = new ElasticLoadBalancingV2Client({ endpoint, region: 'us-east-1' });
  try {
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const tgs = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const arns = [...lbs.map((l) => l.LoadBalancerArn ?? ''), ...tgs.map((t) => t.TargetGroupArn ?? '')];
    const tags = new Map<string, Record<string, string>>();
    for (let i = 0; i < arns.length; i += 20) {
      const r = await elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
      for (const d of r.TagDescriptions ?? []) tags.set(d.ResourceArn ?? '', Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])));
    }
    const mine = (arn: string): boolean => tags.get(arn)?.[TAG_CLUSTER] === CLUSTER;
    const uid = (arn: string): string => tags.get(arn)?.['skiff.dev/owner-uid'] ?? '';
    const listeners = [];
    for (const l of lbs.filter((x) => mine(x.LoadBalancerArn ?? ''))) {
      for (const x of (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: l.LoadBalancerArn }))).Listeners ?? []) {
        listeners.push({ port: x.Port ?? 0, tgArn: x.DefaultActions?.[0]?.TargetGroupArn ?? '' });
      }
    }
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: `tag:${TAG_CLUSTER}`, Values: [CLUSTER] }] }))).SecurityGroupRules ?? [];
    const vols = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: `tag:${TAG_CLUSTER}`, Values: [CLUSTER] }] }))).Volumes ?? [];
    return {
      lbs: lbs.filter((l) => mine(l.LoadBalancerArn ?? '')).map((l) => ({ arn: l.LoadBalancerArn ?? '', name: l.LoadBalancerName ?? '', scheme: l.Scheme ?? '', uid: uid(l.LoadBalancerArn ?? '') })),
      tgs: tgs.filter((t) => mine(t.TargetGroupArn ?? '')).map((t) => ({ arn: t.TargetGroupArn ?? '', name: t.TargetGroupName ?? '', port: t.Port ?? 0, uid: uid(t.TargetGroupArn ?? '') })),
      listeners,
      rules: rules.length,
      volumes: vols.map((v) => ({ id: v.VolumeId ?? '', key: v.Tags?.find((t) => t.Key === 'skiff.dev/volume-key')?.Value ?? '', state: v.State ?? '' })),
    };
  } finally {
    elb.destroy();
  }
}
