/**
 * Pure decisions of the DaemonSet controller (Kubernetes 1.32's daemon_controller.go and update.go):
 * which nodes need a daemon pod and which pods go (manage), what a rolling update replaces next
 * (with maxUnavailable, or with maxSurge), and the status.
 */
import type { DaemonSet, DaemonSetStatus, Node, Pod } from '../../api/index.js';
import { isPodAvailable, isPodReady } from './common.js';
import { nodeShouldRunDaemonPod } from '../../scheduler/index.js';
import { compareDaemonPods, isPodUpdated } from './daemonset-pods.js';
import { scaledValue } from './deployment-util.js';

export interface DaemonPlan {
  /** Nodes to create a daemon pod on. */
  createOn: string[];
  /** Pods to delete. */
  delete: Pod[];
  /** Failed pods among `delete` (reported with a FailedDaemonPod event). */
  failed: Pod[];
}

const live = (pods: readonly Pod[] | undefined): Pod[] => (pods ?? []).filter((p) => !p.metadata.deletionTimestamp);

/** Kubernetes' podsShouldBeOnNode for one node's pods: create, prune extras (keeping one old and one new while surging), or delete all. */
function planNode(ds: DaemonSet, node: Node, pods: readonly Pod[], hash: string, surge: boolean, now: number, plan: DaemonPlan): void {
  const fit = nodeShouldRunDaemonPod(node, ds);
  if (fit.shouldRun && pods.length === 0) {
    plan.createOn.push(node.metadata.name ?? '');
    return;
  }
  if (!fit.shouldRun) {
    if (!fit.shouldContinueRunning) plan.delete.push(...live(pods));
    return;
  }
  const running: Pod[] = [];
  for (const p of live(pods)) {
    if (p.status?.phase === 'Failed') {
      plan.delete.push(p);
      plan.failed.push(p);
    } else if (p.status?.phase === 'Succeeded') plan.delete.push(p);
    else running.push(p);
  }
  if (running.length <= 1) return;
  running.sort(compareDaemonPods);
  if (!surge) {
    plan.delete.push(...running.slice(1));
    return;
  }
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const p of running) {
    if (isPodUpdated(p, hash)) {
      if (!oldestNew) oldestNew = p;
      else plan.delete.push(p);
    } else if (!oldestOld) oldestOld = p;
    else plan.delete.push(p);
  }
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec.minReadySeconds ?? 0, now))) plan.delete.push(oldestOld);
}

/** True when the update strategy is RollingUpdate with a non-zero maxSurge (Kubernetes' AllowsSurge). */
export function allowsSurge(ds: DaemonSet, desired: number): boolean {
  return updateCounts(ds, desired).maxSurge > 0;
}

/**
 * Kubernetes' manage: a pod for every node that should run one and has none; failed and succeeded
 * pods, extra pods, pods on nodes that should not keep them and pods for nodes that no longer exist
 * are deleted.
 */
export function planDaemonPods(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number): DaemonPlan {
  const plan: DaemonPlan = { createOn: [], delete: [], failed: [] };
  const surge = allowsSurge(ds, desiredNumberScheduled(ds, nodes));
  const names = new Set<string>();
  for (const node of nodes) {
    names.add(node.metadata.name ?? '');
    planNode(ds, node, byNode.get(node.metadata.name ?? '') ?? [], hash, surge, now, plan);
  }
  for (const [name, pods] of byNode) {
    if (!names.has(name)) plan.delete.push(...live(pods));
  }
  return plan;
}

export function desiredNumberScheduled(ds: DaemonSet, nodes: readonly Node[]): number {
  return nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
}

/** Kubernetes' SurgeCount/UnavailableCount (percentages of the desired count, rounded up); both 0 → maxUnavailable 1. */
export function updateCounts(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const s = ds.spec.updateStrategy;
  if ((s?.type ?? 'RollingUpdate') !== 'RollingUpdate' || !s?.rollingUpdate) return { maxSurge: 0, maxUnavailable: desired > 0 ? 1 : 0 };
  const maxSurge = scaledValue(s.rollingUpdate.maxSurge, desired, true, '0');
  let maxUnavailable = scaledValue(s.rollingUpdate.maxUnavailable, desired, true, '1');
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Kubernetes' findUpdatedPodsOnNode: at most one new and one old live pod, or undefined when there are more. */
function updatedPodsOnNode(pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of live(pods)) {
    if (isPodUpdated(p, hash)) {
      if (newPod) return undefined;
      newPod = p;
    } else {
      if (oldPod) return undefined;
      oldPod = p;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}) };
}

/**
 * Kubernetes' rollingUpdate without surge: delete old pods so that at most maxUnavailable nodes are
 * without an available daemon pod (unavailable old pods are always replaceable); manage then
 * creates their replacements.
 */
function planUnavailableUpdate(ds: DaemonSet, byNode: ReadonlyMap<string, Pod[]>, hash: string, maxUnavailable: number, now: number): Pod[] {
  const minReady = ds.spec.minReadySeconds ?? 0;
  let unavailable = 0;
  const replace: Pod[] = [];
  const candidates: Pod[] = [];
  for (const pods of byNode.values()) {
    const found = updatedPodsOnNode(pods, hash);
    if (!found || (!found.newPod && !found.oldPod) || (found.newPod && found.oldPod)) {
      unavailable++;
      continue;
    }
    if (found.newPod) {
      if (!isPodAvailable(found.newPod, minReady, now)) unavailable++;
      continue;
    }
    const old = found.oldPod;
    if (!old) continue;
    if (!isPodAvailable(old, minReady, now)) replace.push(old);
    else if (unavailable < maxUnavailable) candidates.push(old);
  }
  const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
  return [...replace, ...candidates.slice(0, room)];
}

/**
 * Kubernetes' rollingUpdate with surge: a new pod beside every unavailable old one, and beside up to
 * maxSurge available old ones; an old pod goes once the new one beside it is available. Pods on nodes
 * that should no longer run the daemon go only while enough others are available.
 */
function planSurgeUpdate(ds: DaemonSet, nodes: ReadonlyMap<string, Node>, byNode: ReadonlyMap<string, Pod[]>, hash: string, counts: { maxSurge: number; desired: number }, now: number): { delete: Pod[]; createOn: string[] } {
  const minReady = ds.spec.minReadySeconds ?? 0;
  const del: Pod[] = [];
  const shouldNotRun: Pod[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  let surge = 0;
  let available = 0;
  for (const [nodeName, pods] of byNode) {
    const found = updatedPodsOnNode(pods, hash);
    if (!found) {
      surge++;
      continue;
    }
    const { newPod, oldPod } = found;
    const current = oldPod ?? newPod;
    if (current && isPodAvailable(current, minReady, now)) available++;
    if (!oldPod) continue;
    const node = nodes.get(nodeName);
    const shouldRun = node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
    if (!newPod) {
      if (!isPodAvailable(oldPod, minReady, now)) {
        if (!shouldRun) del.push(oldPod);
        else allowed.push(nodeName);
      } else if (!shouldRun) shouldNotRun.push(oldPod);
      else if (surge < counts.maxSurge) candidates.push(nodeName);
      continue;
    }
    if (!isPodAvailable(newPod, minReady, now)) surge++;
    else del.push(oldPod);
  }
  const deletable = Math.min(Math.max(0, available - counts.desired), shouldNotRun.length);
  del.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, counts.maxSurge - surge), candidates.length);
  return { delete: del, createOn: [...allowed, ...candidates.slice(0, room)] };
}

/** The rolling update step (RollingUpdate strategy only): pods to delete and nodes to surge onto. */
export function planRollingUpdate(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number): { delete: Pod[]; createOn: string[] } {
  const desired = desiredNumberScheduled(ds, nodes);
  const { maxSurge, maxUnavailable } = updateCounts(ds, desired);
  if (maxSurge === 0) return { delete: planUnavailableUpdate(ds, byNode, hash, maxUnavailable, now), createOn: [] };
  const nodeMap = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
  return planSurgeUpdate(ds, nodeMap, byNode, hash, { maxSurge, desired }, now);
}

/** Kubernetes' updateDaemonSetStatus counts (the oldest pod of each node speaks for it). */
export function computeDaemonSetStatus(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number): DaemonSetStatus {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    const pod = [...pods].sort(compareDaemonPods)[0];
    if (!pod) continue;
    current++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, ds.spec.minReadySeconds ?? 0, now)) available++;
    }
    if (isPodUpdated(pod, hash)) updated++;
  }
  const status: DaemonSetStatus = {
    ...(ds.status ?? {}),
    currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready,
    updatedNumberScheduled: updated, numberAvailable: available,
  };
  if (desired - available > 0) status.numberUnavailable = desired - available;
  else delete status.numberUnavailable;
  if (ds.metadata.generation !== undefined) status.observedGeneration = ds.metadata.generation;
  return status;
}
