/**
 * Pod predicates of the cluster autoscaler: which pods are pending and unschedulable, which are
 * DaemonSet or mirror pods, which block a drain (cluster-autoscaler's drain rules, with its wording),
 * and equivalence keys for pods the scheduler would treat alike. Pure.
 */
import type { Node, Pod, PodDisruptionBudget } from '../../core/api/index.js';
import { budgetCovers } from './pdb.js';

export const SAFE_TO_EVICT_ANNOTATION = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
export const SCALE_DOWN_DISABLED_ANNOTATION = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

/** PodScheduled=False with reason Unschedulable, unbound, not terminated and not being deleted. */
export function isUnschedulablePending(pod: Pod): boolean {
  if (pod.spec.nodeName || pod.metadata.deletionTimestamp) return false;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable';
}

export function controllerOf(pod: Pod): { kind: string; name: string; uid: string } | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isDaemonSetPod(pod: Pod): boolean {
  return controllerOf(pod)?.kind === 'DaemonSet';
}

export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
}

/** DaemonSet and mirror pods stay with their node: they neither count for utilization nor move. */
export function staysWithNode(pod: Pod): boolean {
  return isDaemonSetPod(pod) || isMirrorPod(pod);
}

function covered(pod: Pod, pdbs: readonly PodDisruptionBudget[]): boolean {
  return pdbs.some((p) => budgetCovers(p, pod));
}

function hasLocalStorage(pod: Pod): boolean {
  return (pod.spec.volumes ?? []).some((v) => v.emptyDir !== undefined || v.hostPath !== undefined);
}

/** Controller kinds whose pods are recreated elsewhere (cluster-autoscaler's `replicatedKind`). */
const REPLICATED_KINDS = new Set(['ReplicationController', 'Job', 'ReplicaSet', 'StatefulSet']);

/**
 * Why `pod` keeps its node from being removed, in cluster-autoscaler's drain wording, or undefined when
 * it may be evicted. `safe-to-evict: "true"` overrides every rule and terminated pods never block; the
 * order follows drain.go (replicated, kube-system PDB, local storage, safe-to-evict annotation).
 */
export function blockingReason(pod: Pod, pdbs: readonly PodDisruptionBudget[] = []): string | undefined {
  const name = pod.metadata.name ?? '';
  const safe = pod.metadata.annotations?.[SAFE_TO_EVICT_ANNOTATION];
  if (safe === 'true' || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const owner = controllerOf(pod);
  if (!owner || !REPLICATED_KINDS.has(owner.kind)) return `${pod.metadata.namespace ?? 'default'}/${name} is not replicated`;
  if (pod.metadata.namespace === 'kube-system' && !covered(pod, pdbs)) return `non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: ${name}`;
  if (hasLocalStorage(pod)) return `pod with local storage present: ${name}`;
  if (safe === 'false') return `pod annotated as not safe to evict present: ${name}`;
  return undefined;
}

/** Pods the scheduler treats alike (same owner and scheduling-relevant spec) share a key. */
export function equivalenceKey(pod: Pod): string {
  const s = pod.spec;
  const owner = controllerOf(pod)?.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  return JSON.stringify([owner, s.containers.map((c) => [c.resources?.requests, c.ports]), s.initContainers?.map((c) => c.resources?.requests),
    s.nodeSelector, s.affinity, s.tolerations]);
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}

export function hasTaint(node: Node, key: string): boolean {
  return (node.spec?.taints ?? []).some((t) => t.key === key);
}
