/** Pure mapping between skiff and Compute shapes: names, ownership descriptions, instance metadata, capacity. */
import { TAG_CLUSTER, TAG_OWNER_UID } from '../../core/cloud/index.js';
import type { InstanceMetadata } from '../../core/cloud/index.js';
import type { NodeAddress, ResourceList } from '../../core/api/index.js';
import type { Ref, Resource, Scope } from './sdk.js';

export const LINK_BASE = 'https://www.googleapis.com/compute/v1/';
export const SERVICE_NAME_KEY = 'kubernetes.io/service-name';

export function scopePath(project: string, s: Scope): string {
  return 'zone' in s ? `projects/${project}/zones/${s.zone}` : 'region' in s ? `projects/${project}/regions/${s.region}` : `projects/${project}/global`;
}

export const linkOf = (project: string, r: Ref): string => `${LINK_BASE}${scopePath(project, r.scope)}/${r.collection}/${r.name}`;

/** The last path segment of a Compute URL (`…/zones/us-central1-a` → `us-central1-a`). */
export const lastSegment = (url: unknown): string => String(url ?? '').split('/').pop() ?? '';

/** Ownership as a description: `{"kubernetes.io/service-name":…,"skiff.dev/owner-uid":…,"skiff.dev/cluster":…}`. */
export function ownerDescription(cluster: string, uid: string, serviceName: string): string {
  return JSON.stringify({ [SERVICE_NAME_KEY]: serviceName, [TAG_OWNER_UID]: uid, [TAG_CLUSTER]: cluster });
}

/** The ownership tags in a resource's description, or `{}`. */
export function ownerOf(r: Resource | undefined): Record<string, string> {
  const d = r?.description;
  if (typeof d !== 'string' || !d.startsWith('{')) return {};
  try {
    const parsed = JSON.parse(d) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

export const ownedBy = (r: Resource | undefined, cluster: string, uid: string): boolean => {
  const o = ownerOf(r);
  return o[TAG_CLUSTER] === cluster && o[TAG_OWNER_UID] === uid;
};

/** A label value: lowercase letters, digits, `-` and `_`, at most 63 characters. */
export const labelValue = (v: string): string => v.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 63);

/** The label every skiff-made disk carries for its cluster. */
export const CLUSTER_LABEL = 'skiff-cluster';

export function providerID(project: string, zone: string, name: string): string {
  return `gce://${project}/${zone}/${name}`;
}

/** `gce://project/zone/name` → its parts, or undefined. */
export function parseProviderID(id: string | undefined): { project: string; zone: string; name: string } | undefined {
  const m = /^gce:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(id ?? '');
  return m ? { project: m[1] ?? '', zone: m[2] ?? '', name: m[3] ?? '' } : undefined;
}

/** The region of a zone (`us-central1-a` → `us-central1`). */
export const regionOf = (zone: string): string => zone.replace(/-[a-z]$/, '');

export function instanceMetadata(project: string, inst: Resource): InstanceMetadata {
  const zone = lastSegment(inst.zone);
  const name = String(inst.name);
  const nics = (inst.networkInterfaces ?? []) as Resource[];
  const addresses: NodeAddress[] = [];
  for (const nic of nics) {
    if (typeof nic.networkIP === 'string' && nic.networkIP) addresses.push({ type: 'InternalIP', address: nic.networkIP });
    for (const ac of (nic.accessConfigs ?? []) as Resource[]) {
      if (typeof ac.natIP === 'string' && ac.natIP) addresses.push({ type: 'ExternalIP', address: ac.natIP });
    }
  }
  addresses.push({ type: 'Hostname', address: name });
  return { providerID: providerID(project, zone, name), instanceType: lastSegment(inst.machineType), addresses, zone, region: regionOf(zone) };
}

/** Stopped states: the instance exists but does not run. */
export const isShutdown = (status: unknown): boolean => status === 'TERMINATED' || status === 'STOPPED' || status === 'SUSPENDED' || status === 'STOPPING';

/** vCPUs and memory (GiB) of common machine types; `<family>-<class>-<n>` is derived where it can be. */
const machineTable: Record<string, [number, number]> = {
  'e2-micro': [2, 1], 'e2-small': [2, 2], 'e2-medium': [2, 4], 'f1-micro': [1, 0.6], 'g1-small': [1, 1.7],
};
const perCpuGiB: Record<string, number> = { standard: 4, highmem: 8, highcpu: 1 };
const familyPerCpu: Record<string, number> = { n1: 3.75, n2: 4, n2d: 4, e2: 4, c2: 4, c3: 4, t2d: 4 };

export function machineCapacity(machineType: string): ResourceList | undefined {
  const fixed = machineTable[machineType];
  const m = /^([a-z0-9]+)-(standard|highmem|highcpu)-(\d+)$/.exec(machineType);
  let cpu: number;
  let gib: number;
  if (fixed) [cpu, gib] = fixed;
  else if (m) {
    cpu = Number(m[3]);
    const klass = m[2] ?? 'standard';
    gib = cpu * (klass === 'standard' ? familyPerCpu[m[1] ?? ''] ?? 4 : perCpuGiB[klass] ?? 4);
  } else return undefined;
  return { cpu: String(cpu), memory: `${Math.round(gib * 1024)}Mi`, pods: '110' };
}
