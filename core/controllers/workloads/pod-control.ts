/**
 * Deleting a controller's pod with the events Kubernetes' PodControl records, shared by the
 * ReplicaSet, DaemonSet and Job controllers (each keeps its own in-flight bookkeeping).
 */
import { isNotFound } from '../../api/index.js';
import type { KubeObject, Pod } from '../../api/index.js';
import type { EventRecorder, KubeClient } from '../../client/index.js';
import { messageOf, podsTarget } from './common.js';

/**
 * Deletes `pod` (only that incarnation: a uid precondition) and records SuccessfulDelete or
 * FailedDelete on `owner`. Resolves true when this call deleted it, false when it was already gone;
 * rethrows any other error.
 */
export async function deleteOwnedPod(client: KubeClient, recorder: EventRecorder, owner: KubeObject, pod: Pod, signal: AbortSignal): Promise<boolean> {
  const name = pod.metadata.name ?? '';
  try {
    await client.delete(podsTarget, pod.metadata.namespace, name, { preconditions: { uid: pod.metadata.uid }, signal });
  } catch (e) {
    if (isNotFound(e)) return false;
    if (!signal.aborted) recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(e)}`);
    throw e;
  }
  recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  return true;
}
