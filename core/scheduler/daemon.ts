/**
 * Where a DaemonSet's pods belong (Kubernetes 1.32's NodeShouldRunDaemonPod and
 * AddOrUpdateDaemonPodTolerations): shared by the DaemonSet controller and the cluster autoscaler's
 * template nodes. Pure.
 */
import type { DaemonSet, Node, Pod, Taint, Toleration } from '../api/index.js';
import { matchesRequiredNodeAffinity } from './selectors.js';
import { toleratesTaint } from './taints.js';

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

