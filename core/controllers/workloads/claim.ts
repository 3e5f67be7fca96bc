/** Kubernetes' PodControllerRefManager.ClaimPods over the API: adopt matching orphans, release owned pods that stopped matching. */
import type { KubeObject, LabelSelector, Pod } from '../../api/index.js';
import type { KubeClient } from '../../client/index.js';
import { claimAction, controllerRef, patchOwnerRefs, podsTarget } from './common.js';

/** The pods `owner` owns among `candidates` (one namespace) once orphans it selects are adopted and owned pods it no longer selects are released. */
export async function claimPods(client: KubeClient, owner: KubeObject, selector: LabelSelector, candidates: readonly Pod[], signal: AbortSignal): Promise<Pod[]> {
  const owned: Pod[] = [];
  for (const pod of candidates) {
    const action = claimAction(owner, selector, pod);
    if (action === 'own') owned.push(pod);
    else if (action === 'adopt') {
      const adopted = await patchOwnerRefs(client, podsTarget, pod, [...(pod.metadata.ownerReferences ?? []), controllerRef(owner)], signal);
      if (adopted) owned.push(adopted);
    } else if (action === 'release') {
      await patchOwnerRefs(client, podsTarget, pod, (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid), signal);
    }
  }
  return owned;
}
