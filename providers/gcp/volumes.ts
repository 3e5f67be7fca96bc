/** Persistent disks: created in a zone, idempotent by name (`pvc-<uid>`) and `requestId`, attached by device name. */
import { CloudError } from '../../core/cloud/index.js';
import type { VolumeInfo, VolumeSpec, Volumes } from '../../core/cloud/index.js';
import type { Gce } from './cloud.js';
import type { GcpConfig } from './config.js';
import { CLUSTER_LABEL, LINK_BASE, labelValue, lastSegment, ownerOf } from './mapping.js';
import { findInstance } from './nodes.js';
import type { Ref, Resource } from './sdk.js';

export const PROVISIONER = 'skiff.dev/gce-pd';
export const DISK_TYPES = ['pd-standard', 'pd-balanced', 'pd-ssd'] as const;
const GiB = 1024 ** 3;

/** Volume ids are `<zone>/<disk name>`. */
function refOf(id: string): Ref {
  const [zone = '', name = ''] = id.split('/');
  return { scope: { zone }, collection: 'disks', name };
}

export class GcpVolumes implements Volumes {
  constructor(private readonly gce: Gce, private readonly cfg: GcpConfig) {}

  private info(d: Resource): VolumeInfo {
    const zone = lastSegment(d.zone);
    return {
      id: `${zone}/${String(d.name)}`, key: String(d.name), sizeBytes: Number(d.sizeGb ?? 0) * GiB, type: lastSegment(d.type), zone,
      tags: ownerOf(d), attachedTo: ((d.users ?? []) as string[]).map(lastSegment),
    };
  }

  async create(spec: VolumeSpec, signal: AbortSignal): Promise<VolumeInfo> {
    const zone = spec.zone ?? this.cfg.zones[0] ?? '';
    const type = spec.parameters?.type ?? spec.type ?? 'pd-balanced';
    if (!(DISK_TYPES as readonly string[]).includes(type)) throw new CloudError('InvalidArgument', `gcp: disk type ${type} is not one of ${DISK_TYPES.join(', ')}`, { retryable: false });
    const ref: Ref = { scope: { zone }, collection: 'disks', name: spec.key };
    const owned = (d: Resource): boolean => (d.labels as Record<string, string> | undefined)?.[CLUSTER_LABEL] === labelValue(this.cfg.clusterName);
    const existing = await this.gce.get(ref, signal);
    if (existing) {
      if (!owned(existing)) throw new CloudError('Conflict', `gcp: disk ${spec.key} exists and is not this cluster's`, { retryable: false });
      return this.info(existing);
    }
    await this.gce.insert(ref, {
      name: spec.key, sizeGb: String(Math.max(1, Math.ceil(spec.sizeBytes / GiB))),
      type: `${LINK_BASE}projects/${this.cfg.project}/zones/${zone}/diskTypes/${type}`,
      description: JSON.stringify(spec.tags), labels: { [CLUSTER_LABEL]: labelValue(this.cfg.clusterName) },
    }, owned, signal);
    return this.describe(`${zone}/${spec.key}`, signal);
  }

  async describe(id: string, signal: AbortSignal): Promise<VolumeInfo> {
    const d = await this.gce.get(refOf(id), signal);
    if (!d) throw new CloudError('NotFound', `gcp: disk ${id} not found`);
    return this.info(d);
  }

  async delete(id: string, signal: AbortSignal): Promise<void> {
    const d = await this.gce.get(refOf(id), signal);
    if (!d) return;
    if (((d.users ?? []) as unknown[]).length > 0) throw new CloudError('Conflict', `gcp: disk ${id} is attached`, { retryable: false });
    await this.gce.remove(refOf(id), signal);
  }

  private async instance(id: string, nodeName: string, signal: AbortSignal): Promise<Resource> {
    const zone = refOf(id).scope;
    const r = await findInstance(this.gce, 'zone' in zone ? [zone.zone] : this.cfg.zones, nodeName, signal);
    if (!r) throw new CloudError('NotFound', `gcp: no instance ${nodeName} in the disk's zone`);
    return r;
  }

  async attach(id: string, nodeName: string, signal: AbortSignal): Promise<VolumeInfo> {
    const d = await this.describe(id, signal);
    if (d.attachedTo.includes(nodeName)) return d;
    const inst = await this.instance(id, nodeName, signal);
    const ref: Ref = { scope: { zone: lastSegment(inst.zone) }, collection: 'instances', name: String(inst.name) };
    const source = `${LINK_BASE}projects/${this.cfg.project}/zones/${d.zone ?? ''}/disks/${d.key}`;
    await this.gce.invoke(ref, 'attachDisk', { attachedDiskResource: { source, deviceName: d.key, mode: 'READ_WRITE', autoDelete: false } }, signal);
    return this.describe(id, signal);
  }

  async detach(id: string, nodeName: string, signal: AbortSignal): Promise<void> {
    const d = await this.gce.get(refOf(id), signal);
    if (!d || !this.info(d).attachedTo.includes(nodeName)) return;
    const inst = await this.instance(id, nodeName, signal);
    const attached = ((inst.disks ?? []) as Resource[]).find((x) => lastSegment(x.source) === String(d.name));
    if (!attached) return;
    const ref: Ref = { scope: { zone: lastSegment(inst.zone) }, collection: 'instances', name: String(inst.name) };
    await this.gce.invoke(ref, 'detachDisk', { deviceName: String(attached.deviceName) }, signal);
  }

  async list(signal: AbortSignal): Promise<VolumeInfo[]> {
    const out: VolumeInfo[] = [];
    for (const zone of this.cfg.zones) {
      const disks = await this.gce.list({ zone }, 'disks', `labels.${CLUSTER_LABEL} = "${labelValue(this.cfg.clusterName)}"`, signal);
      out.push(...disks.map((d) => this.info(d)));
    }
    return out;
  }
}
