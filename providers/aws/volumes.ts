/** EBS volumes: idempotent create (ClientToken + key tag), attach/detach with per-instance device names, waiters. */
import { CloudError, TAG_CLUSTER } from '../../core/cloud/index.js';
import type { VolumeInfo, VolumeSpec, Volumes } from '../../core/cloud/index.js';
import type { Clock } from '../../core/util/index.js';
import type { AwsSdk, Instance, Volume } from './sdk.js';
import { clusterTagKey, fromTagList, isGone, toTagList } from './mapping.js';
import { createVolumeInput, freeDevice, volumeInfo, TAG_NODE_NAME, TAG_VOLUME_KEY } from './volume-mapping.js';
import { waitFor } from './waiter.js';

export interface AwsVolumesOptions {
  sdk: AwsSdk;
  clock: Clock;
  cluster: string;
  region: () => Promise<string>;
}

export class AwsVolumes implements Volumes {
  constructor(private readonly o: AwsVolumesOptions) {}

  private async find(filters: { Name: string; Values: string[] }[], signal: AbortSignal): Promise<Volume[]> {
    return (await this.o.sdk.describeVolumes({ Filters: filters }, signal)).Volumes ?? [];
  }

  private async names(vols: readonly Volume[], signal: AbortSignal): Promise<Map<string, string>> {
    const ids = [...new Set(vols.flatMap((v) => (v.Attachments ?? []).map((a) => a.InstanceId ?? '')).filter(Boolean))];
    if (!ids.length) return new Map();
    const r = await this.o.sdk.describeInstances({ Filters: [{ Name: 'instance-id', Values: ids }] }, signal);
    const insts = (r.Reservations ?? []).flatMap((x) => x.Instances ?? []);
    return new Map(insts.map((i) => [i.InstanceId ?? '', fromTagList(i.Tags)[TAG_NODE_NAME] ?? i.PrivateDnsName ?? i.InstanceId ?? '']));
  }

  private async info(v: Volume, signal: AbortSignal): Promise<VolumeInfo> {
    return volumeInfo(v, await this.names([v], signal));
  }

  private async wait(id: string, ok: (v: Volume) => boolean, what: string, signal: AbortSignal): Promise<Volume> {
    return waitFor(() => this.raw(id, signal), ok, { clock: this.o.clock, signal, what: `volume ${id} ${what}` });
  }

  private async raw(id: string, signal: AbortSignal): Promise<Volume> {
    const v = (await this.o.sdk.describeVolumes({ VolumeIds: [id] }, signal)).Volumes?.[0];
    if (!v) throw new CloudError('NotFound', `volume ${id} not found`);
    return v;
  }

  /** Volumes made under `key`, oldest first. */
  private async byKey(key: string, signal: AbortSignal): Promise<Volume[]> {
    const have = await this.find([{ Name: `tag:${TAG_VOLUME_KEY}`, Values: [key] }, { Name: `tag:${TAG_CLUSTER}`, Values: [this.o.cluster] }], signal);
    const t = (v: Volume): number => v.CreateTime?.getTime() ?? 0;
    return have.filter((x) => x.State !== 'deleting' && x.State !== 'deleted').sort((a, b) => t(a) - t(b) || (a.VolumeId ?? '').localeCompare(b.VolumeId ?? ''));
  }

  async create(spec: VolumeSpec, signal: AbortSignal): Promise<VolumeInfo> {
    let v = (await this.byKey(spec.key, signal))[0];
    if (!v) {
      const tags = { ...spec.tags, [clusterTagKey(this.o.cluster)]: 'owned', [TAG_CLUSTER]: this.o.cluster, [TAG_VOLUME_KEY]: spec.key };
      const input = createVolumeInput(spec, spec.zone ?? `${await this.o.region()}a`);
      const r = await this.o.sdk.createVolume({ ...input, TagSpecifications: [{ ResourceType: 'volume', Tags: toTagList(tags) }] }, signal);
      v = r.VolumeId ? await this.wait(r.VolumeId, (x) => x.State === 'available' || x.State === 'in-use', 'available', signal) : undefined;
      if (!v) throw new CloudError('Internal', 'CreateVolume returned no volume id');
      // AWS dedupes retries by ClientToken; where a cloud did not (an emulator), keep the oldest and drop unattached extras.
      const [keep, ...extra] = await this.byKey(spec.key, signal);
      for (const x of extra) if (!(x.Attachments ?? []).length && x.VolumeId) await this.delete(x.VolumeId, signal);
      if (keep) v = keep;
    }
    return this.info(v, signal);
  }

  async describe(id: string, signal: AbortSignal): Promise<VolumeInfo> {
    return this.info(await this.raw(id, signal), signal);
  }

  async list(signal: AbortSignal): Promise<VolumeInfo[]> {
    const vols = await this.find([{ Name: `tag:${TAG_CLUSTER}`, Values: [this.o.cluster] }], signal);
    const names = await this.names(vols, signal);
    return vols.map((v) => volumeInfo(v, names));
  }

  private async instanceFor(nodeName: string, signal: AbortSignal): Promise<Instance> {
    for (const Name of [`tag:${TAG_NODE_NAME}`, 'private-dns-name']) {
      const r = await this.o.sdk.describeInstances({ Filters: [{ Name, Values: [nodeName] }] }, signal);
      const i = (r.Reservations ?? []).flatMap((x) => x.Instances ?? []).find((x) => !isGone(x));
      if (i) return i;
    }
    throw new CloudError('NotFound', `no instance for node ${nodeName}`);
  }

  async attach(id: string, nodeName: string, signal: AbortSignal): Promise<VolumeInfo> {
    const v = await this.raw(id, signal);
    const inst = await this.instanceFor(nodeName, signal);
    const iid = inst.InstanceId ?? '';
    const mine = (v.Attachments ?? []).find((a) => a.InstanceId === iid);
    if (!mine) {
      if ((v.Attachments ?? []).some((a) => a.State !== 'detached')) throw new CloudError('Conflict', `volume ${id} is attached to another instance`);
      const device = freeDevice(inst);
      if (!device) throw new CloudError('Quota', `no free device name on ${iid}`);
      await this.o.sdk.attachVolume({ VolumeId: id, InstanceId: iid, Device: device }, signal);
    }
    const done = await this.wait(id, (x) => (x.Attachments ?? []).some((a) => a.InstanceId === iid && a.State === 'attached'), 'in-use', signal);
    return this.info(done, signal);
  }

  async detach(id: string, nodeName: string, signal: AbortSignal): Promise<void> {
    let v: Volume;
    try {
      v = await this.raw(id, signal);
    } catch (e) {
      if (e instanceof CloudError && e.code === 'NotFound') return;
      throw e;
    }
    const names = await this.names([v], signal);
    const att = (v.Attachments ?? []).find((a) => names.get(a.InstanceId ?? '') === nodeName);
    if (!att?.InstanceId) return;
    if (att.State !== 'detaching') {
      try {
        await this.o.sdk.detachVolume({ VolumeId: id, InstanceId: att.InstanceId }, signal);
      } catch (e) {
        // A retried detach whose first attempt took effect: not attached any more is what we want.
        if (!(e instanceof CloudError && e.code === 'NotFound')) throw e;
      }
    }
    await this.wait(id, (x) => !(x.Attachments ?? []).some((a) => a.InstanceId === att.InstanceId && a.State !== 'detached'), 'detached', signal);
  }

  async delete(id: string, signal: AbortSignal): Promise<void> {
    let v: Volume;
    try {
      v = await this.raw(id, signal);
    } catch (e) {
      if (e instanceof CloudError && e.code === 'NotFound') return;
      throw e;
    }
    if (v.State === 'deleting' || v.State === 'deleted') return;
    if ((v.Attachments ?? []).some((a) => a.State !== 'detached')) throw new CloudError('Conflict', `volume ${id} is attached; detach it first`, { retryable: false });
    try {
      await this.o.sdk.deleteVolume({ VolumeId: id }, signal);
    } catch (e) {
      if (!(e instanceof CloudError && e.code === 'NotFound')) throw e;
    }
  }
}
