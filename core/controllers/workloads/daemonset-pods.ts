/**
 * Pure pieces of the DaemonSet controller about single pods (Kubernetes 1.32's daemon/util): the pod
 * for a node and which node a pod is for. Which nodes should run the daemon, and the tolerations
 * daemon pods get, are scheduling rules the cluster autoscaler shares: they live in core/scheduler.
 */
import type { DaemonSet, NodeSelectorTerm, Pod } from '../../api/index.js';
import type { ResourceTarget } from '../../client/index.js';
import { withDaemonTolerations } from '../../scheduler/index.js';
import { controllerRef, timeOf } from './common.js';
import { controllerRevisionHashLabel } from './history.js';

/** The required node affinity term that pins a pod to `nodeName` (`matchFields` on `metadata.name`). */
function nodeNameTerm(nodeName: string): NodeSelectorTerm {
  return { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
}

/**
 * The daemon pod for `nodeName` (Kubernetes' NewPod and CreatePods): the template with the daemon
 * tolerations, its required node affinity replaced by one on the node's name (the scheduler then
 * binds it), the template's labels plus `controller-revision-hash`, owned by the DaemonSet.
 */
export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const tmpl = structuredClone(ds.spec.template);
  const spec = tmpl.spec ?? { containers: [] };
  spec.tolerations = withDaemonTolerations(spec.tolerations, spec.hostNetwork === true);
  const nodeAffinity = { ...(spec.affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [nodeNameTerm(nodeName)] } };
  spec.affinity = { ...(spec.affinity ?? {}), nodeAffinity };
  const meta = tmpl.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name ?? 'ds'}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(meta.labels ?? {}), [controllerRevisionHashLabel]: hash },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(ds)],
    },
    spec,
  };
}

/** Kubernetes' GetTargetNodeName: `spec.nodeName`, else the single node name a daemon pod's node affinity pins it to. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** The DaemonSet's pods by the node they are for; terminal pods already being deleted are left out. */
export function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    if (isTerminal(p) && p.metadata.deletionTimestamp) continue;
    const node = targetNodeName(p);
    if (node === undefined) continue;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  return out;
}

/** Kubernetes' podByCreationTimestampAndPhase: scheduled pods first, then oldest first, then by name. */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const sa = a.spec.nodeName ? 0 : 1;
  const sb = b.spec.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const t = timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp);
  if (t !== 0) return t;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Kubernetes' IsPodUpdated (by the revision hash label). */
export function isPodUpdated(pod: Pod, hash: string): boolean {
  return hash !== '' && pod.metadata.labels?.[controllerRevisionHashLabel] === hash;
}

export const daemonSetsTarget: ResourceTarget = { apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true };
