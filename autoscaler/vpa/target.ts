/** Resolving a VPA's (or any autoscaler's) target to the label selector of its pods, via the scale subresource. */
import type { CrossVersionObjectReference } from '../../core/api/index.js';
import type { KubeClient } from '../../core/client/index.js';

/** The `status.selector` of the target's scale subresource (`''` when the target reports none). */
export async function targetSelector(client: Pick<KubeClient, 'resourceFor' | 'getScale'>, namespace: string, ref: CrossVersionObjectReference, signal?: AbortSignal): Promise<string> {
  const apiVersion = ref.apiVersion ?? (ref.kind === 'ReplicationController' ? 'v1' : 'apps/v1');
  const info = await client.resourceFor(apiVersion, ref.kind, signal ? { signal } : {});
  const scale = await client.getScale(info, namespace, ref.name, signal ? { signal } : {});
  return scale.status?.selector ?? '';
}
