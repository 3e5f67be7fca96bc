/** What every cloud controller is given (STYLE.md §5), the resource targets they use, and the runner wiring. */
import type { KubeObject } from '../../api/index.js';
import { ControllerRunner, WorkQueue } from '../../client/index.js';
import type { EventRecorder, KubeClient, Reconcile, ResourceTarget, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import type { CloudMetrics } from '../metrics.js';
import type { CloudProvider } from '../types.js';

export interface CloudControllerContext {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  /** Already instrumented when metrics are on. */
  provider: CloudProvider;
  clock: Clock;
  log: Logger;
  metrics?: CloudMetrics;
  /** Cluster name in ownership tags; default `skiff`. */
  clusterName?: string;
}

export const nodesTarget: ResourceTarget = { apiVersion: 'v1', plural: 'nodes', namespaced: false };
export const servicesTarget: ResourceTarget = { apiVersion: 'v1', plural: 'services', namespaced: true };
export const podsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'pods', namespaced: true };
export const pvsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'persistentvolumes', namespaced: false };
export const pvcsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
export const storageClassesTarget: ResourceTarget = { apiVersion: 'storage.k8s.io/v1', plural: 'storageclasses', namespaced: false };

/** A runner whose reconciles are timed in `skiff_cloud_reconcile_duration_seconds` when metrics are on. */
export function makeRunner(ctx: CloudControllerContext, name: string, reconcile: Reconcile, backoff?: { baseMs: number; maxMs: number }): ControllerRunner {
  const timed: Reconcile = async (key, signal) => {
    const end = ctx.metrics?.reconcileDuration.startTimer({ controller: name });
    try {
      return await reconcile(key, signal);
    } finally {
      end?.();
    }
  };
  const queue = backoff ? new WorkQueue({ clock: ctx.clock, backoff }) : undefined;
  return new ControllerRunner({ name, reconcile: timed, clock: ctx.clock, log: ctx.log, ...(queue ? { queue } : {}) });
}

/** Enqueues the object's key on add, update and delete. */
export function enqueueAll<T extends KubeObject>(runner: ControllerRunner, keyOf: (o: T) => string | undefined): { onAdd(o: T): void; onUpdate(a: T, b: T): void; onDelete(o: T): void } {
  const add = (o: T): void => {
    const k = keyOf(o);
    if (k !== undefined) runner.enqueue(k);
  };
  return { onAdd: add, onUpdate: (_a, b) => add(b), onDelete: add };
}
