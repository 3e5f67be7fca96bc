/**
 * Pod volumes as directories: emptyDir, configMap and secret (files written from the objects),
 * persistentVolumeClaim (a directory the volume provider gives). Local processes have no mount
 * namespace, so each container gets a private root `<pod>/rootfs` in which every volumeMount's
 * path is a symlink to its volume, and the variable `SKIFF_ROOT` pointing there.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Pod, Volume } from '../api/index.js';

export interface VolumeLookups {
  configMap(namespace: string, name: string): Record<string, string> | undefined;
  /** Decoded secret data. */
  secret(namespace: string, name: string): Record<string, string> | undefined;
  /** Host directory of the volume bound to a claim, if attached here. */
  claimPath?(namespace: string, claimName: string): string | undefined;
}

export class VolumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeError';
  }
}

function writeItems(dir: string, data: Record<string, string>, items: { key: string; path: string }[] | undefined, mode: number): void {
  mkdirSync(dir, { recursive: true });
  const pairs = items ? items.map((i) => [i.path, data[i.key]] as const) : Object.entries(data);
  for (const [path, value] of pairs) {
    if (value === undefined || path.includes('..')) continue;
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, value, { mode });
  }
}

function prepare(v: Volume, dir: string, ns: string, look: VolumeLookups): string {
  if (v.configMap) {
    const data = look.configMap(ns, v.configMap.name ?? '');
    if (!data && !v.configMap.optional) throw new VolumeError(`configmap "${v.configMap.name ?? ''}" not found`);
    writeItems(dir, data ?? {}, v.configMap.items, v.configMap.defaultMode ?? 0o644);
    return dir;
  }
  if (v.secret) {
    const data = look.secret(ns, v.secret.secretName ?? '');
    if (!data && !v.secret.optional) throw new VolumeError(`secret "${v.secret.secretName ?? ''}" not found`);
    writeItems(dir, data ?? {}, v.secret.items, v.secret.defaultMode ?? 0o644);
    return dir;
  }
  if (v.persistentVolumeClaim) {
    const p = look.claimPath?.(ns, v.persistentVolumeClaim.claimName);
    if (!p) throw new VolumeError(`persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" is not bound or not attached to this node`);
    return p;
  }
  if (v.hostPath) return v.hostPath.path;
  // emptyDir and anything else skiff does not model: a fresh directory.
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Creates the pod's volumes and rootfs; returns the rootfs path. Throws `VolumeError` when a source is missing. */
export function setUpVolumes(pod: Pod, podDir: string, look: VolumeLookups): string {
  const ns = pod.metadata.namespace ?? 'default';
  const paths = new Map<string, string>();
  for (const v of pod.spec.volumes ?? []) paths.set(v.name, prepare(v, join(podDir, 'volumes', v.name), ns, look));
  const rootfs = join(podDir, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  for (const c of pod.spec.containers) {
    for (const m of c.volumeMounts ?? []) {
      const src = paths.get(m.name);
      if (!src) throw new VolumeError(`volume "${m.name}" mounted by container ${c.name} is not defined`);
      const link = join(rootfs, m.mountPath.replace(/^\/+/, ''));
      if (link === rootfs || !link.startsWith(rootfs)) continue;
      mkdirSync(dirname(link), { recursive: true });
      if (existsSync(link) || isLink(link)) unlinkSync(link);
      symlinkSync(m.subPath ? join(src, m.subPath) : src, link);
    }
  }
  return rootfs;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Removes a pod's directory (emptyDir data dies with the pod, as in Kubernetes). */
export function tearDownVolumes(podDir: string): void {
  rmSync(podDir, { recursive: true, force: true });
}
