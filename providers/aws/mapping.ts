/** Pure mapping between skiff's objects and AWS shapes: names, tags, provider IDs, instance metadata. */
import { createHash } from 'node:crypto';
import { ownerTags } from '../../core/cloud/index.js';
import type { InstanceMetadata } from '../../core/cloud/index.js';
import type { KubeObject, Node, NodeAddress, Service } from '../../core/api/index.js';
import type { Instance } from './sdk.js';

export const LB_NAME_MAX = 32;
export const TAG_SERVICE_NAME = 'kubernetes.io/service-name';
export const clusterTagKey = (cluster: string): string => `kubernetes.io/cluster/${cluster}`;

export type TagMap = Record<string, string>;

export const toTagList = (t: Readonly<TagMap>): { Key: string; Value: string }[] =>
  Object.keys(t).sort().map((Key) => ({ Key, Value: t[Key] ?? '' }));

export const fromTagList = (l: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): TagMap =>
  Object.fromEntries((l ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? '', t.Value ?? '']));

/** Tags on every resource skiff creates for `owner`: the cluster tag, the Service name (Services) and skiff's owner tags. */
export function resourceTags(cluster: string, owner: KubeObject, extra: Readonly<TagMap> = {}): TagMap {
  const t: TagMap = { ...extra, [clusterTagKey(cluster)]: 'owned', ...ownerTags(cluster, owner) };
  if (owner.kind === 'Service') t[TAG_SERVICE_NAME] = `${owner.metadata.namespace ?? ''}/${owner.metadata.name ?? ''}`;
  return t;
}

const shortHash = (s: string, n: number): string => createHash('sha256').update(s).digest('hex').slice(0, n);

/** `k8s-<ns ≤8>-<name ≤8>-<hash 10>` (≤ 32), as aws-load-balancer-controller names target groups. */
export function targetGroupName(svc: Service, key: string): string {
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  return `k8s-${clean(svc.metadata.namespace ?? '')}-${clean(svc.metadata.name ?? '')}-${shortHash(`${svc.metadata.uid ?? ''}/${key}`, 10)}`;
}

/** `aws:///<az>/<instance-id>`. */
export const providerIdOf = (az: string, id: string): string => `aws:///${az}/${id}`;

/** The instance ID in a providerID (`aws:///zone/i-…` or `aws://i-…`), or undefined. */
export function instanceIdOf(providerID: string | undefined): string | undefined {
  if (!providerID?.startsWith('aws://')) return undefined;
  const last = providerID.split('/').pop() ?? '';
  return /^i-[0-9a-zA-Z]+$/.test(last) ? last : undefined;
}

/** The node's instance ID: from its providerID, else undefined (lookup by private DNS name). */
export const nodeInstanceId = (n: Node): string | undefined => instanceIdOf(n.spec?.providerID);

export const isGone = (i: Instance): boolean => ['terminated', 'shutting-down'].includes(i.State?.Name ?? '');

export function instanceMetadata(i: Instance, region: string): InstanceMetadata {
  const az = i.Placement?.AvailabilityZone ?? '';
  const addresses: NodeAddress[] = [];
  if (i.PrivateIpAddress) addresses.push({ type: 'InternalIP', address: i.PrivateIpAddress });
  if (i.PublicIpAddress) addresses.push({ type: 'ExternalIP', address: i.PublicIpAddress });
  if (i.PrivateDnsName) addresses.push({ type: 'InternalDNS', address: i.PrivateDnsName }, { type: 'Hostname', address: i.PrivateDnsName });
  if (i.PublicDnsName) addresses.push({ type: 'ExternalDNS', address: i.PublicDnsName });
  return {
    providerID: providerIdOf(az, i.InstanceId ?? ''),
    instanceType: i.InstanceType ?? '',
    addresses,
    zone: az,
    region,
    labels: { 'topology.kubernetes.io/zone': az, 'topology.kubernetes.io/region': region, 'node.kubernetes.io/instance-type': i.InstanceType ?? '' },
  };
}

/** Parses `k1=v1,k2=v2` (the additional-resource-tags annotation). */
export function parseKeyValues(s: string | undefined): TagMap {
  const out: TagMap = {};
  for (const part of (s ?? '').split(',')) {
    const [k, ...v] = part.split('=');
    const key = (k ?? '').trim();
    if (key) out[key] = v.join('=').trim();
  }
  return out;
}

/** Capacity of common instance types (cluster-autoscaler's static table, abridged). */
export const INSTANCE_TYPES: Readonly<Record<string, { cpu: number; memoryMi: number; gpu?: number }>> = {
  't3.nano': { cpu: 2, memoryMi: 512 }, 't3.micro': { cpu: 2, memoryMi: 1024 }, 't3.small': { cpu: 2, memoryMi: 2048 },
  't3.medium': { cpu: 2, memoryMi: 4096 }, 't3.large': { cpu: 2, memoryMi: 8192 }, 't3.xlarge': { cpu: 4, memoryMi: 16384 },
  't3.2xlarge': { cpu: 8, memoryMi: 32768 }, 't2.micro': { cpu: 1, memoryMi: 1024 }, 't2.medium': { cpu: 2, memoryMi: 4096 },
  'm5.large': { cpu: 2, memoryMi: 8192 }, 'm5.xlarge': { cpu: 4, memoryMi: 16384 }, 'm5.2xlarge': { cpu: 8, memoryMi: 32768 },
  'm5.4xlarge': { cpu: 16, memoryMi: 65536 }, 'm6i.large': { cpu: 2, memoryMi: 8192 }, 'm6i.xlarge': { cpu: 4, memoryMi: 16384 },
  'c5.large': { cpu: 2, memoryMi: 4096 }, 'c5.xlarge': { cpu: 4, memoryMi: 8192 }, 'c5.2xlarge': { cpu: 8, memoryMi: 16384 },
  'r5.large': { cpu: 2, memoryMi: 16384 }, 'r5.xlarge': { cpu: 4, memoryMi: 32768 }, 'g4dn.xlarge': { cpu: 4, memoryMi: 16384, gpu: 1 },
};
