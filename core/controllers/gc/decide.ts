/** Pure garbage-collection decisions (Kubernetes' attemptToDeleteItem rules), apart from any I/O. */
import type { OwnerReference } from '../../api/index.js';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

/** `solid`: exists and is not being deleted in the foreground; `waiting`: exists, deleting dependents first; `dangling`: gone. */
export type OwnerState = 'solid' | 'waiting' | 'dangling';

export type DependentAction =
  | { type: 'keep' }
  | { type: 'delete'; policy: 'Background' | 'Foreground' }
  /** Some owners remain: drop the references to the others. */
  | { type: 'dropOwners'; keep: OwnerReference[] };

/**
 * What to do with an object given the state of each of its owners:
 * no owners gone or waiting → keep; some owners solid → drop the references to the rest;
 * none solid but one waiting for its dependents → delete in the foreground; all gone → delete in the background.
 */
export function decideDependent(owners: readonly OwnerReference[], state: (uid: string) => OwnerState): DependentAction {
  if (owners.length === 0) return { type: 'keep' };
  const states = owners.map((o) => ({ ref: o, s: state(o.uid) }));
  const solid = states.filter((x) => x.s === 'solid').map((x) => x.ref);
  if (solid.length === owners.length) return { type: 'keep' };
  if (solid.length > 0) return { type: 'dropOwners', keep: solid };
  return states.some((x) => x.s === 'waiting') ? { type: 'delete', policy: 'Foreground' } : { type: 'delete', policy: 'Background' };
}

/** The deletion policy a foreground-deleting owner uses for one dependent: blocking ones in the foreground too. */
export function policyForDependentOf(ownerUid: string, owners: readonly OwnerReference[]): 'Foreground' | 'Background' {
  return owners.some((o) => o.uid === ownerUid && o.blockOwnerDeletion) ? 'Foreground' : 'Background';
}

/** True while some dependent still blocks `ownerUid`'s deletion. */
export function blocksOwner(ownerUid: string, owners: readonly OwnerReference[]): boolean {
  return owners.some((o) => o.uid === ownerUid && o.blockOwnerDeletion === true);
}

/** The GC finalizer an object being deleted carries, if any (foreground first, as Kubernetes). */
export function gcFinalizer(finalizers: readonly string[] | undefined): 'foreground' | 'orphan' | undefined {
  if (finalizers?.includes(foregroundFinalizer)) return 'foreground';
  if (finalizers?.includes(orphanFinalizer)) return 'orphan';
  return undefined;
}
