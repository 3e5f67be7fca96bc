/**
 * Scale-down actuation through the API: mark a node ToBeDeletedByClusterAutoscaler (taint + cordon),
 * evict its pods through the `pods/eviction` subresource, and undo the mark after a failed drain.
 */
import { ApiError, isNotFound } from '../../core/api/index.js';
import type { Node, Pod, Taint } from '../../core/api/index.js';
import { resourcePath } from '../../core/client/index.js';
import type { KubeClient, ResourceTarget } from '../../core/client/index.js';
import { TO_BE_DELETED_TAINT } from './pods.js';

export const nodeTarget: ResourceTarget = { apiVersion: 'v1', plural: 'nodes', namespaced: false };
export const podTarget: ResourceTarget = { apiVersion: 'v1', plural: 'pods', namespaced: true };
export const daemonSetTarget: ResourceTarget = { apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true };

/** Adds the ToBeDeletedByClusterAutoscaler:NoSchedule taint (value: Unix seconds) and sets spec.unschedulable. */
export async function markToBeDeleted(client: KubeClient, node: Node, now: number, signal: AbortSignal): Promise<void> {
  const taints: Taint[] = (node.spec?.taints ?? []).filter((t) => t.key !== TO_BE_DELETED_TAINT);
  taints.push({ key: TO_BE_DELETED_TAINT, value: String(Math.floor(now / 1000)), effect: 'NoSchedule' });
  await client.patch(nodeTarget, undefined, node.metadata.name ?? '', { spec: { unschedulable: true, taints } }, 'merge', { signal });
}

/** Removes the taint and uncordons (after a failed drain). A node already gone is fine. */
export async function unmark(client: KubeClient, name: string, signal: AbortSignal): Promise<void> {
  try {
    const node = await client.get<Node>(nodeTarget, undefined, name, { signal });
    const taints = (node.spec?.taints ?? []).filter((t) => t.key !== TO_BE_DELETED_TAINT);
    await client.patch(nodeTarget, undefined, name, { spec: { unschedulable: false, taints } }, 'merge', { signal });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * Evicts `pod` (policy/v1 Eviction). Resolves true when the pod is evicted or already gone, false when
 * the server refuses for now (429: a disruption budget); other errors reject.
 */
export async function evict(client: KubeClient, pod: Pod, signal: AbortSignal): Promise<boolean> {
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name ?? '';
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } };
  try {
    await client.request('POST', resourcePath(podTarget, namespace, name, 'eviction'), body, { signal });
    return true;
  } catch (e) {
    if (isNotFound(e)) return true;
    if (e instanceof ApiError && e.code === 429) return false;
    throw e;
  }
}
