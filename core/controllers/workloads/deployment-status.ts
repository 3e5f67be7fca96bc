/** Pure Deployment status (Kubernetes' deployment/sync.go#calculateStatus and progress.go). */
import { getCondition } from '../../api/index.js';
import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import { timeOf } from './common.js';
import { maxUnavailable, replicasOf } from './deployment-util.js';

export const reasons = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

const noDeadline = 2147483647;

export function hasProgressDeadline(d: Deployment): boolean {
  return (d.spec.progressDeadlineSeconds ?? 600) !== noDeadline;
}

/** Kubernetes' NewDeploymentCondition: both timestamps now. */
export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/**
 * Kubernetes' SetDeploymentCondition: no change when status and reason are the same; the
 * transition time is kept when only the reason changes.
 */
export function setDeploymentCondition(conds: readonly Condition[] | undefined, c: Condition): Condition[] {
  const list = [...(conds ?? [])];
  const cur = getCondition(list, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return list;
  const next = cur && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  return [...list.filter((x) => x.type !== c.type), next];
}

const sum = (rss: readonly ReplicaSet[], f: (rs: ReplicaSet) => number): number => rss.reduce((n, rs) => n + f(rs), 0);

/** Kubernetes' calculateStatus, including the Available condition. */
export function calculateStatus(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
  const total = sum(all, (rs) => rs.spec.replicas ?? 0);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: [...(d.status?.conditions ?? [])],
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const ok = available >= replicasOf(d) - maxUnavailable(d);
  const cond = ok
    ? newCondition('Available', 'True', reasons.minAvailable, 'Deployment has minimum availability.', now)
    : newCondition('Available', 'False', reasons.minUnavailable, 'Deployment does not have minimum availability.', now);
  status.conditions = setDeploymentCondition(status.conditions, cond);
  return status;
}

/** Kubernetes' DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Kubernetes' DeploymentProgressing: more updated/ready/available or fewer old replicas than last time. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** Kubernetes' DeploymentTimedOut. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s.conditions, 'Progressing');
  if (!c || c.reason === reasons.newRSAvailable) return false;
  if (c.reason === reasons.timedOut) return true;
  return timeOf(c.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 600) * 1000 < now;
}

/**
 * Kubernetes' syncRolloutStatus condition logic: the status with Progressing updated, and when
 * to look again for a progress deadline that may pass.
 */
export function rolloutStatus(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: number): { status: DeploymentStatus; recheckMs?: number } {
  const s = calculateStatus(d, all, newRS, now);
  if (!hasProgressDeadline(d)) s.conditions = (s.conditions ?? []).filter((c) => c.type !== 'Progressing');
  const cur = getCondition(s.conditions, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name ?? ''}" has successfully progressed.`;
      s.conditions = setDeploymentCondition(s.conditions, newCondition('Progressing', 'True', reasons.newRSAvailable, msg, now));
    } else if (deploymentProgressing(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name ?? ''}" is progressing.`;
      const c = newCondition('Progressing', 'True', reasons.rsUpdated, msg, now);
      if (cur?.status === 'True' && cur.lastTransitionTime) c.lastTransitionTime = cur.lastTransitionTime;
      s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== 'Progressing'), c];
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name ?? ''}" has timed out progressing.`;
      s.conditions = setDeploymentCondition(s.conditions, newCondition('Progressing', 'False', reasons.timedOut, msg, now));
    }
  }
  return { status: s, ...recheck(d, s, now) };
}

/** Kubernetes' requeueStuckDeployment: when a rollout still in progress would pass its deadline. */
function recheck(d: Deployment, s: DeploymentStatus, now: number): { recheckMs?: number } {
  const c = getCondition(s.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !c || c.reason === reasons.newRSAvailable || c.reason === reasons.timedOut || deploymentComplete(d, s)) return {};
  const at = timeOf(c.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 600) * 1000;
  return { recheckMs: Math.max(1000, at - now + 1000) };
}

/**
 * Kubernetes' checkPausedConditions: Progressing Unknown/DeploymentPaused while paused,
 * DeploymentResumed once resumed (a timed-out rollout keeps its condition). Returns the new
 * conditions, or undefined when nothing changes.
 */
export function pausedConditions(d: Deployment, now: number): Condition[] | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const cur = getCondition(d.status?.conditions, 'Progressing');
  if (cur?.reason === reasons.timedOut) return undefined;
  const pausedNow = cur?.reason === reasons.paused;
  if (d.spec.paused && !pausedNow) return setDeploymentCondition(d.status?.conditions, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', now));
  if (!d.spec.paused && pausedNow) return setDeploymentCondition(d.status?.conditions, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', now));
  return undefined;
}
