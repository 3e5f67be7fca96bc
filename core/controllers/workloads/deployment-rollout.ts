/**
 * Pure rollout planning (Kubernetes' deployment/rolling.go, recreate.go, sync.go#scale): given a
 * Deployment and its ReplicaSets, the new sizes to apply. Each function returns a map
 * name → replicas of the ReplicaSets to scale; an empty map means nothing to do at this step.
 */
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { byCreation, desiredReplicasAnnotation, isRollingUpdate, maxReplicasAnnotation, maxSurge, maxUnavailable, replicasOf } from './deployment-util.js';

export type ScalePlan = Map<string, number>;

const specOf = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;
const availableOf = (rs: ReplicaSet): number => rs.status?.availableReplicas ?? 0;
const sum = (rss: readonly ReplicaSet[], f: (rs: ReplicaSet) => number): number => rss.reduce((n, rs) => n + f(rs), 0);
const nameOf = (rs: ReplicaSet): string => rs.metadata.name ?? '';

export function activeReplicaSets(rss: readonly ReplicaSet[]): ReplicaSet[] {
  return rss.filter((rs) => specOf(rs) > 0);
}

/** Kubernetes' NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = sum(all, specOf);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return specOf(newRS);
  const up = Math.min(maxTotal - current, replicas - specOf(newRS));
  return specOf(newRS) + up;
}

/** Kubernetes' reconcileNewReplicaSet: the new ReplicaSet's next size, or undefined when it stays. */
export function planNewReplicaSet(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number | undefined {
  const replicas = replicasOf(d);
  if (specOf(newRS) === replicas) return undefined;
  if (specOf(newRS) > replicas) return replicas;
  const next = newRSNewReplicas(d, all, newRS);
  return next === specOf(newRS) ? undefined : next;
}

/**
 * Kubernetes' reconcileOldReplicaSets: first scale down unhealthy old replicas (never more than the
 * budget allows), then old replicas while keeping `replicas - maxUnavailable` available.
 */
export function planOldReplicaSets(d: Deployment, oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ScalePlan {
  const plan: ScalePlan = new Map();
  const all = newRS ? [...oldRSs, newRS] : [...oldRSs];
  if (sum(oldRSs, specOf) === 0) return plan;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specOf(newRS) - availableOf(newRS) : 0;
  const maxScaledDown = sum(all, specOf) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;
  const sorted = activeReplicaSets(oldRSs).sort(byCreation);
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = specOf(rs) - availableOf(rs);
    if (unhealthy <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    plan.set(nameOf(rs), specOf(rs) - n);
    cleaned += n;
  }
  const sizeNow = (rs: ReplicaSet): number => plan.get(nameOf(rs)) ?? specOf(rs);
  const available = sum(all, availableOf);
  if (available <= minAvailable) return plan;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of sorted) {
    if (scaled >= total) break;
    if (sizeNow(rs) === 0) continue;
    const n = Math.min(sizeNow(rs), total - scaled);
    plan.set(nameOf(rs), sizeNow(rs) - n);
    scaled += n;
  }
  return plan;
}

function annotationNumber(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Kubernetes' FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const all = newRS ? [...oldRSs, newRS] : [...oldRSs];
  const active = activeReplicaSets(all);
  if (active.length === 1) return active[0];
  if (active.length === 0) return newRS ?? [...oldRSs].sort(byCreation).at(-1);
  return undefined;
}

/** Kubernetes' IsSaturated: the new ReplicaSet alone runs all desired replicas, all available. */
export function isSaturated(d: Deployment, newRS: ReplicaSet | undefined): boolean {
  if (!newRS) return false;
  const replicas = replicasOf(d);
  return annotationNumber(newRS, desiredReplicasAnnotation) === replicas && specOf(newRS) === replicas && availableOf(newRS) === replicas;
}

/** Kubernetes' isScalingEvent: an active ReplicaSet was sized for a different `spec.replicas`. */
export function isScalingEvent(d: Deployment, all: readonly ReplicaSet[]): boolean {
  return activeReplicaSets(all).some((rs) => {
    const desired = annotationNumber(rs, desiredReplicasAnnotation);
    return desired !== undefined && desired !== replicasOf(d);
  });
}

function proportion(d: Deployment, rs: ReplicaSet, toAdd: number, added: number): number {
  if (specOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -specOf(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const annotated = annotationNumber(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
    fraction = annotated === 0 ? 0 : Math.round((specOf(rs) * deploymentReplicas) / annotated) - specOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * Kubernetes' DeploymentController.scale: a scaling event while a rollout is in progress spreads
 * the change over the active ReplicaSets in proportion to their size (leftovers to the largest).
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScalePlan {
  const plan: ScalePlan = new Map();
  const replicas = replicasOf(d);
  const single = findActiveOrLatest(newRS, oldRSs);
  if (single) {
    // Also when the size is right: the desired/max annotations may still name an older size.
    plan.set(nameOf(single), replicas);
    return plan;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of activeReplicaSets(oldRSs)) plan.set(nameOf(rs), 0);
    return plan;
  }
  if (!isRollingUpdate(d)) return plan;
  const all = activeReplicaSets(newRS ? [...oldRSs, newRS] : [...oldRSs]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - sum(all, specOf);
  all.sort((a, b) => specOf(b) - specOf(a) || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)));
  let added = 0;
  const sizes = all.map((rs) => {
    const p = proportion(d, rs, toAdd, added);
    added += p;
    return specOf(rs) + p;
  });
  if (added !== toAdd && sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] ?? 0) + toAdd - added);
  // Every active set is in the plan, so their desired/max annotations follow the new size too.
  all.forEach((rs, i) => plan.set(nameOf(rs), sizes[i] ?? specOf(rs)));
  return plan;
}

/** Kubernetes' cleanupDeployment: old, idle ReplicaSets beyond `revisionHistoryLimit`, oldest revision first. */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[], revisionOf: (rs: ReplicaSet) => number): ReplicaSet[] {
  const limit = d.spec.revisionHistoryLimit ?? 10;
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  return sorted.slice(0, diff).filter((rs) =>
    (rs.status?.replicas ?? 0) === 0 && specOf(rs) === 0 && (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0));
}
