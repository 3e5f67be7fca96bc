/** Pod status from its containers' states (pure): phase, conditions and containerStatuses as the kubelet reports them. */
import { deepEqual, podQOSClass } from '../api/index.js';
import type { Condition, ContainerStatus, Pod, PodStatus } from '../api/index.js';
import type { ContainerSnapshot } from './container.js';

export interface ContainerView {
  name: string;
  image: string;
  snap: ContainerSnapshot;
  ready: boolean;
  started: boolean;
}

function cond(type: string, ok: boolean, now: string, prev: readonly Condition[] | undefined, reason?: string): Condition {
  const old = prev?.find((c) => c.type === type);
  const status = ok ? 'True' : 'False';
  const c: Condition = { type, status, lastProbeTime: null, lastTransitionTime: old && old.status === status ? old.lastTransitionTime ?? now : now };
  if (!ok && reason) c.reason = reason;
  return c;
}

export function phaseOf(views: readonly ContainerView[], restartPolicy: string): NonNullable<PodStatus['phase']> {
  if (views.length === 0) return 'Pending';
  const terminated = views.filter((v) => v.snap.state.terminated);
  if (terminated.length === views.length) {
    return terminated.every((v) => v.snap.state.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  if (views.some((v) => v.snap.state.running)) return 'Running';
  // Waiting in back-off after having run: still Running, as the kubelet reports it.
  if (restartPolicy !== 'Never' && views.some((v) => v.snap.restartCount > 0 || v.snap.lastState.terminated)) return 'Running';
  return 'Pending';
}

/** The status the kubelet would write for `pod` now. */
export function podStatus(pod: Pod, views: readonly ContainerView[], ips: { podIP: string; hostIP: string }, startTime: string, now: string): PodStatus {
  const prev = pod.status?.conditions;
  const allReady = views.length > 0 && views.every((v) => v.ready);
  const notReady = views.filter((v) => !v.ready).map((v) => v.name);
  const containerStatuses: ContainerStatus[] = views.map((v) => ({
    name: v.name,
    state: v.snap.state,
    lastState: v.snap.lastState,
    ready: v.ready,
    started: v.started,
    restartCount: v.snap.restartCount,
    image: v.image,
    imageID: '',
    ...(v.snap.pid ? { containerID: `skiff://${pod.metadata.uid ?? ''}/${v.name}/${v.snap.pid}` } : {}),
  }));
  const readyCond = cond('Ready', allReady, now, prev, 'ContainersNotReady');
  const cReadyCond = cond('ContainersReady', allReady, now, prev, 'ContainersNotReady');
  if (!allReady) {
    readyCond.message = `containers with unready status: [${notReady.join(' ')}]`;
    cReadyCond.message = readyCond.message;
  }
  return {
    phase: phaseOf(views, pod.spec.restartPolicy ?? 'Always'),
    conditions: [
      cond('PodReadyToStartContainers', true, now, prev),
      cond('Initialized', true, now, prev),
      readyCond,
      cReadyCond,
      cond('PodScheduled', true, now, prev),
    ],
    hostIP: ips.hostIP,
    podIP: ips.podIP,
    podIPs: [{ ip: ips.podIP }],
    startTime,
    containerStatuses,
    // As the kubelet's GetPodQOS: the class the API server set at creation, else computed.
    qosClass: pod.status?.qosClass ?? podQOSClass(pod),
  };
}


/**
 * The status to write so the stored one matches the agent's view, or undefined when it already
 * does (pure). Compared with what is stored — not with what the agent last wrote — so a status
 * someone else changed (the node-lifecycle controller marking pods NotReady while the node's lease
 * lapsed) is put right at once, as the kubelet's status manager does. Conditions of types the
 * agent does not own (e.g. DisruptionTarget) are kept.
 */
export function statusToWrite(stored: PodStatus | undefined, mine: PodStatus): PodStatus | undefined {
  const owned = new Set((mine.conditions ?? []).map((c) => c.type));
  const foreign = (stored?.conditions ?? []).filter((c) => !owned.has(c.type));
  const want: PodStatus = { ...mine, conditions: [...(mine.conditions ?? []), ...foreign] };
  // The API server drops null fields (`lastProbeTime: null`), so compare without them.
  const current = withoutNulls(stored ?? {}) as Record<string, unknown>;
  const same = Object.entries(withoutNulls(want) as Record<string, unknown>).every(([k, v]) => deepEqual(current[k], v));
  return same ? undefined : want;
}

function withoutNulls(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === null ? undefined : x))) as unknown;
}
