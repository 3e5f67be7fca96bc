/** Pure EBS mapping: StorageClass parameters → CreateVolume input, volume → VolumeInfo, device names. */
import { CloudError } from '../../core/cloud/index.js';
import type { VolumeInfo, VolumeSpec } from '../../core/cloud/index.js';
import type { Instance, Volume } from './sdk.js';
import { fromTagList } from './mapping.js';

export const EBS_PROVISIONER = 'skiff.dev/aws-ebs';
export const TAG_VOLUME_KEY = 'skiff.dev/volume-key';
/** Instance tag naming the Node an instance registers as (else its private DNS name). */
export const TAG_NODE_NAME = 'skiff.dev/node-name';
export const EBS_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
const GiB = 1024 ** 3;

export interface CreateVolumeShape {
  AvailabilityZone: string;
  Size: number;
  VolumeType: (typeof EBS_TYPES)[number];
  ClientToken: string;
  Iops?: number;
  Throughput?: number;
  Encrypted?: boolean;
  KmsKeyId?: string;
}

function intParam(p: Readonly<Record<string, string>>, k: string): number | undefined {
  const v = p[k];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CloudError('InvalidArgument', `StorageClass parameter ${k} must be a positive integer, got "${v}"`, { retryable: false });
  return n;
}

export function createVolumeInput(spec: VolumeSpec, zone: string): CreateVolumeShape {
  const p = spec.parameters ?? {};
  const type = spec.type ?? p.type ?? 'gp3';
  if (!(EBS_TYPES as readonly string[]).includes(type)) throw new CloudError('InvalidArgument', `unknown EBS volume type "${type}"`, { retryable: false });
  const iops = intParam(p, 'iops');
  const throughput = intParam(p, 'throughput');
  return {
    AvailabilityZone: zone,
    Size: Math.max(1, Math.ceil(spec.sizeBytes / GiB)),
    VolumeType: type as CreateVolumeShape['VolumeType'],
    ClientToken: spec.key.slice(0, 64),
    ...(iops ? { Iops: iops } : {}),
    ...(throughput ? { Throughput: throughput } : {}),
    ...(p.encrypted === 'true' ? { Encrypted: true } : {}),
    ...(p.kmsKeyId ? { KmsKeyId: p.kmsKeyId, Encrypted: true } : {}),
  };
}

export function volumeInfo(v: Volume, nodeNames: ReadonlyMap<string, string>): VolumeInfo {
  const tags = fromTagList(v.Tags);
  return {
    id: v.VolumeId ?? '',
    key: tags[TAG_VOLUME_KEY] ?? '',
    sizeBytes: (v.Size ?? 0) * GiB,
    type: v.VolumeType ?? '',
    ...(v.AvailabilityZone ? { zone: v.AvailabilityZone } : {}),
    tags,
    attachedTo: (v.Attachments ?? []).filter((a) => a.State === 'attached' || a.State === 'attaching').map((a) => nodeNames.get(a.InstanceId ?? '') ?? a.InstanceId ?? ''),
  };
}

/** The first of /dev/xvdb…/dev/xvdz the instance does not use. */
export function freeDevice(i: Instance): string | undefined {
  const used = new Set((i.BlockDeviceMappings ?? []).map((m) => (m.DeviceName ?? '').replace('/dev/sd', '/dev/xvd')));
  for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const d = `/dev/xvd${String.fromCharCode(c)}`;
    if (!used.has(d)) return d;
  }
  return undefined;
}
