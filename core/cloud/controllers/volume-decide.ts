/** Pure decisions of the volume controller: which class a claim uses, its size, and where its volume must be attached. */
import { quantityToInt } from '../../api/index.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../api/index.js';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Comma-separated node names the volume is attached to; the node agent reads it before starting a pod. */
export const ATTACHED_NODES_ANNOTATION = 'skiff.dev/attached-node';
/** Marks a PersistentVolume this controller provisioned. */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';

/** The claim's StorageClass: the one it names, else the default class (when it names none). */
export function classForClaim(pvc: PersistentVolumeClaim, classes: readonly StorageClass[]): StorageClass | undefined {
  const name = pvc.spec?.storageClassName;
  if (name !== undefined) return name === '' ? undefined : classes.find((c) => c.metadata.name === name);
  return classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
}

/** Requested bytes (`spec.resources.requests.storage`), 1 GiB when absent. */
export function requestedBytes(pvc: PersistentVolumeClaim): number {
  const q = pvc.spec?.resources?.requests?.storage;
  return q === undefined ? 1024 ** 3 : quantityToInt(q);
}

export function pvNameForClaim(pvc: PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata.uid ?? ''}`;
}

/** Nodes with a scheduled, not finished pod that uses `claimName` in `namespace`. Sorted. */
export function nodesUsingClaim(pods: readonly Pod[], namespace: string, claimName: string): string[] {
  const out = new Set<string>();
  for (const p of pods) {
    if (p.metadata.namespace !== namespace || !p.spec.nodeName) continue;
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    if ((p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claimName)) out.add(p.spec.nodeName);
  }
  return [...out].sort();
}

export function attachedNodes(pv: PersistentVolume): string[] {
  const a = pv.metadata.annotations?.[ATTACHED_NODES_ANNOTATION];
  return a ? a.split(',').filter((s) => s !== '').sort() : [];
}

/** The claim bound to `pv` is gone (deleted, or replaced by a new claim with the same name). */
export function claimGone(pv: PersistentVolume, pvc: PersistentVolumeClaim | undefined): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  return !pvc || (ref.uid !== undefined && pvc.metadata.uid !== ref.uid);
}
