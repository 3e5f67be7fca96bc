/**
 * Pure pieces of the DaemonSet controller about single pods and nodes (Kubernetes 1.32's
 * daemon/util and NodeShouldRunDaemonPod): the pod for a node, the tolerations every daemon pod
 * gets, whether a node should run (or keep running) the daemon, and which node a pod is for.
 */
import type { DaemonSet, Node, NodeSelectorTerm, Pod, Taint, Toleration } from '../../api/index.js';
import type { ResourceTarget } from '../../client/index.js';
import { matchesRequiredNodeAffinity, toleratesTaint } from '../../scheduler/index.js';
import { controllerRef, timeOf } from './common.js';
import { controllerRevisionHashLabel } from './history.js';

/** The tolerations Kubernetes' AddOrUpdateDaemonPodTolerations puts on every daemon pod (network-unavailable only with hostNetwork). */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: 'NoSchedule' | 'NoExecute'): Toleration => ({ key, operator: 'Exists', effect });
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

const sameToleration = (a: Toleration, b: Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** Kubernetes' AddOrUpdateTolerationInPodSpec for each daemon toleration: an equal one is replaced, else it is appended. */
export function withDaemonTolerations(tolerations: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(tolerations ?? [])];
  for (const t of daemonPodTolerations(hostNetwork)) {
    const i = out.findIndex((o) => sameToleration(o, t));
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

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

export interface NodeFit {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** A daemon pod already here may stay (it tolerates every NoExecute taint). */
  shouldContinueRunning: boolean;
}

function untolerated(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): boolean {
  return taints.some((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/**
 * Kubernetes' NodeShouldRunDaemonPod: the template's nodeName (if any) and required node affinity and
 * node selector must match; a NoSchedule or NoExecute taint the daemon pod does not tolerate stops new
 * pods, and only an untolerated NoExecute taint evicts one already there. Node readiness, cordoning
 * and resources are not considered (daemon pods tolerate the first two; the scheduler checks the last).
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeFit {
  const name = node.metadata.name ?? '';
  const spec = ds.spec.template.spec;
  const no: NodeFit = { shouldRun: false, shouldContinueRunning: false };
  if (spec?.nodeName && spec.nodeName !== name) return no;
  const probe: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [], ...(spec?.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}), ...(spec?.affinity ? { affinity: spec.affinity } : {}) } };
  if (!matchesRequiredNodeAffinity(probe, node)) return no;
  const tolerations = withDaemonTolerations(spec?.tolerations, spec?.hostNetwork === true);
  const taints = node.spec?.taints ?? [];
  if (!untolerated(taints, tolerations, ['NoSchedule', 'NoExecute'])) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated(taints, tolerations, ['NoExecute']) };
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
