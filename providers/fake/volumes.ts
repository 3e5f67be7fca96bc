/** The fake cloud's volumes: directories under `<dataDir>/volumes/<id>`, created once per idempotency key. */
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudError, ownedBy } from '../../core/cloud/index.js';
import type { VolumeInfo, VolumeSpec, Volumes } from '../../core/cloud/index.js';
import type { FakeCloud, VolumeRecord } from './cloud.js';

export const FAKE_VOLUME_TYPE = 'local-dir';
export const FAKE_VOLUME_MAX_BYTES = 16 * 1024 ** 4;

export interface FakeVolumeOptions {
  cloud: FakeCloud;
  clusterName: string;
  dataDir: string;
}

function info(v: VolumeRecord): VolumeInfo {
  return { id: v.id, key: v.key, sizeBytes: v.sizeBytes, type: v.type, zone: v.zone, tags: { ...v.tags }, attachedTo: [...v.attachedTo], path: v.path };
}

export class FakeVolumes implements Volumes {
  private readonly cloud: FakeCloud;

  constructor(private readonly o: FakeVolumeOptions) {
    this.cloud = o.cloud;
  }

  create(spec: VolumeSpec, signal: AbortSignal): Promise<VolumeInfo> {
    return this.cloud.call('createVolume', true, { key: spec.key, sizeBytes: spec.sizeBytes }, signal, async () => {
      const existing = [...this.cloud.volumes.values()].find((v) => v.key === spec.key);
      if (existing) return info(existing);
      const type = spec.type ?? FAKE_VOLUME_TYPE;
      if (type !== FAKE_VOLUME_TYPE) throw new CloudError('InvalidArgument', `unknown volume type ${type}`);
      if (spec.sizeBytes <= 0 || spec.sizeBytes > FAKE_VOLUME_MAX_BYTES) throw new CloudError('InvalidArgument', `volume size ${spec.sizeBytes} out of range`);
      const id = `vol-${createHash('sha256').update(spec.key).digest('hex').slice(0, 16)}`;
      const path = join(this.o.dataDir, 'volumes', id);
      await mkdir(path, { recursive: true });
      const v: VolumeRecord = { id, key: spec.key, sizeBytes: spec.sizeBytes, type, zone: spec.zone ?? 'fake-zone-a', tags: { ...spec.tags }, attachedTo: [], path };
      this.cloud.volumes.set(id, v);
      return info(v);
    });
  }

  delete(id: string, signal: AbortSignal): Promise<void> {
    return this.cloud.call('deleteVolume', true, { id }, signal, async () => {
      const v = this.cloud.volumes.get(id);
      if (!v) return;
      if (v.attachedTo.length) throw new CloudError('Conflict', `volume ${id} is attached to ${v.attachedTo.join(', ')}`, { retryable: false });
      this.cloud.volumes.delete(id);
      await rm(v.path, { recursive: true, force: true });
    });
  }

  attach(id: string, nodeName: string, signal: AbortSignal): Promise<VolumeInfo> {
    return this.cloud.call('attachVolume', true, { id, nodeName }, signal, () => {
      const v = this.must(id);
      if (!v.attachedTo.includes(nodeName)) v.attachedTo.push(nodeName);
      return info(v);
    });
  }

  detach(id: string, nodeName: string, signal: AbortSignal): Promise<void> {
    return this.cloud.call('detachVolume', true, { id, nodeName }, signal, () => {
      const v = this.cloud.volumes.get(id);
      if (v) v.attachedTo = v.attachedTo.filter((n) => n !== nodeName);
    });
  }

  describe(id: string, signal: AbortSignal): Promise<VolumeInfo> {
    return this.cloud.call('describeVolume', false, { id }, signal, () => info(this.must(id)));
  }

  list(signal: AbortSignal): Promise<VolumeInfo[]> {
    return this.cloud.call('describeVolumes', false, {}, signal, () =>
      [...this.cloud.volumes.values()].filter((v) => ownedBy(v.tags, this.o.clusterName)).map(info));
  }

  private must(id: string): VolumeRecord {
    const v = this.cloud.volumes.get(id);
    if (!v) throw new CloudError('NotFound', `volume ${id} not found`);
    return v;
  }
}
