/** Which informer events make a pending or unschedulable pod worth another attempt. Pure. */
import type { Node, Pod } from '../api/index.js';
import { isTerminated } from './nodeinfo.js';

/** A pod this scheduler should place: ours by `spec.schedulerName`, unassigned, alive. */
export function isPendingFor(pod: Pod, schedulerName: string): boolean {
  return !pod.spec.nodeName
    && (pod.spec.schedulerName || 'default-scheduler') === schedulerName
    && !pod.metadata.deletionTimestamp
    && !isTerminated(pod);
}

function nodeFacts(n: Node): string {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return JSON.stringify([n.metadata.labels, n.spec?.unschedulable, n.spec?.taints, n.status?.allocatable, ready]);
}

/** Node changes that can make an unschedulable pod fit (heartbeats alone do not). */
export function nodeChangeMatters(oldNode: Node, newNode: Node): boolean {
  return nodeFacts(oldNode) !== nodeFacts(newNode);
}

/** An assigned pod that stops holding resources (finished or being deleted) frees room. */
export function assignedPodFreedRoom(oldPod: Pod, newPod: Pod): boolean {
  if (!newPod.spec.nodeName) return false;
  return (!isTerminated(oldPod) && isTerminated(newPod)) || (!oldPod.metadata.deletionTimestamp && !!newPod.metadata.deletionTimestamp);
}

/** A pending pod's own change worth retrying for: spec or labels (not the status the scheduler writes). */
export function pendingPodChanged(oldPod: Pod, newPod: Pod): boolean {
  return JSON.stringify([oldPod.spec, oldPod.metadata.labels]) !== JSON.stringify([newPod.spec, newPod.metadata.labels]);
}
