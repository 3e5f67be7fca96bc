/**
 * DaemonSetController: one pod on every node that should run the daemon (Kubernetes 1.32's
 * daemon_controller.go). Pods are created with node affinity on the node's name and bound by the
 * scheduler; RollingUpdate replaces them within maxUnavailable / maxSurge, OnDelete waits for the
 * user; ControllerRevisions keep the template history for `kubectl rollout`.
 */
import { controllerOf, deepEqual, isNotFound, labelSelectorFromObject, matchesLabels, objectKeyOf } from '../../api/index.js';
import type { ControllerRevision, DaemonSet, Node, Pod } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { claimPods } from './claim.js';
import { controllerRevisionsTarget, inNamespace, messageOf, nodesTarget, podsTarget } from './common.js';
import { computeDaemonSetStatus, planDaemonPods, planRollingUpdate } from './daemonset-decide.js';
import { cleanupHistory, constructHistory } from './daemonset-history.js';
import { daemonSetsTarget, newDaemonPod, podsByNode } from './daemonset-pods.js';
import { deleteOwnedPod } from './pod-control.js';
import { InFlight, trackedPodHandlers } from './in-flight.js';
import { slowStartBatches } from './replicaset-decide.js';

export interface DaemonSetControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  workers?: number;
}

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private readonly runner: ControllerRunner;
  private readonly dsInf: Informer<DaemonSet>;
  private readonly podInf: Informer<Pod>;
  private readonly nodeInf: Informer<Node>;
  private readonly revInf: Informer<ControllerRevision>;
  private readonly inFlight: InFlight;

  constructor(private readonly o: DaemonSetControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 2, reconcile: (k, s) => this.reconcile(k, s) });
    this.dsInf = o.informers.informerFor<DaemonSet>(daemonSetsTarget);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.nodeInf = o.informers.informerFor<Node>(nodesTarget);
    this.revInf = o.informers.informerFor<ControllerRevision>(controllerRevisionsTarget);
    this.inFlight = new InFlight(o.clock);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (ds: DaemonSet): void => this.runner.enqueue(objectKeyOf(ds));
    const enqueueAll = (): void => this.dsInf.list().forEach(enqueue);
    this.dsInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.podInf.addHandlers(trackedPodHandlers(this.inFlight, (p) => this.enqueueForPod(p)));
    this.nodeInf.addHandlers({
      onAdd: enqueueAll,
      onUpdate: (old, n) => {
        if (!deepEqual(old.metadata.labels, n.metadata.labels) || !deepEqual(old.spec?.taints, n.spec?.taints) || !deepEqual(old.status?.conditions?.map((c) => [c.type, c.status]), n.status?.conditions?.map((c) => [c.type, c.status]))) enqueueAll();
      },
      onDelete: enqueueAll,
    });
    this.revInf.addHandlers({});
    this.o.informers.start(signal);
    await Promise.all([this.dsInf, this.podInf, this.nodeInf, this.revInf].map((i) => i.waitForSync(signal))).catch(() => undefined);
    await this.runner.run(signal);
  }

  /** Enqueues the pod's DaemonSet, or (for an orphan) every DaemonSet whose selector matches it. */
  private enqueueForPod(pod: Pod): void {
    const ref = controllerOf(pod);
    for (const ds of inNamespace(this.dsInf.list(), pod.metadata.namespace)) {
      const match = ref ? ref.uid === ds.metadata.uid : matchesLabels(labelSelectorFromObject(ds.spec.selector), pod.metadata.labels);
      if (match) this.runner.enqueue(objectKeyOf(ds));
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const ds = this.dsInf.get(key);
    if (!ds) {
      this.inFlight.forget(key);
      return;
    }
    const now = this.o.clock.now();
    const nodes = this.nodeInf.list();
    const owned = await claimPods(this.o.client, ds, ds.spec.selector, inNamespace(this.podInf.list(), ds.metadata.namespace), signal);
    const revisions = inNamespace(this.revInf.list(), ds.metadata.namespace).filter((r) => controllerOf(r)?.uid === ds.metadata.uid);
    const history = await constructHistory(this.o.client, ds, revisions, signal);
    const pods = this.viewOf(key, owned, now);
    const byNode = podsByNode(pods);
    if (!ds.metadata.deletionTimestamp) {
      const plan = planDaemonPods(ds, nodes, byNode, history.hash, now);
      for (const p of plan.failed) {
        this.o.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''} on node ${p.spec.nodeName ?? ''}, will try to kill it`);
      }
      let { createOn, delete: toDelete } = plan;
      // As Kubernetes: the rolling update moves only once the basic sync has nothing left to do.
      if (createOn.length === 0 && toDelete.length === 0 && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        ({ createOn, delete: toDelete } = planRollingUpdate(ds, nodes, byNode, history.hash, now));
      }
      await this.syncNodes(key, ds, [...new Set(toDelete)], createOn, history.hash, signal);
    }
    await cleanupHistory(this.o.client, ds, history.old, pods, signal);
    const status = computeDaemonSetStatus(ds, nodes, byNode, history.hash, now);
    if (!deepEqual(status, ds.status)) {
      try {
        await this.o.client.patch<DaemonSet>(daemonSetsTarget, ds.metadata.namespace, ds.metadata.name ?? '', { status }, 'merge', { subresource: 'status', signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    // Pods becoming available after minReadySeconds change the status and the update's next step.
    return (ds.spec.minReadySeconds ?? 0) > 0 && status.numberAvailable !== status.numberReady ? { requeueAfterMs: 1000 } : undefined;
  }

  /** The owned pods as the controller should see them: creations not yet in the cache added, deletions not yet seen kept as terminating. */
  private viewOf(key: string, owned: readonly Pod[], now: number): Pod[] {
    const view = this.inFlight.reconcileView(key, owned, (ns, name) => this.podInf.get(`${ns}/${name}`) !== undefined);
    const kept = new Set(view);
    const deleting = owned.filter((p) => !kept.has(p)).map((p) => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: p.metadata.deletionTimestamp ?? new Date(now).toISOString() } }));
    return [...view, ...deleting];
  }

  private async syncNodes(key: string, ds: DaemonSet, toDelete: readonly Pod[], createOn: readonly string[], hash: string, signal: AbortSignal): Promise<void> {
    const deletes = await Promise.allSettled(toDelete.map((p) => this.deletePod(key, ds, p, signal)));
    let failure = deletes.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason as unknown;
    let i = 0;
    for (const size of slowStartBatches(createOn.length)) {
      const batch = createOn.slice(i, i + size);
      i += size;
      const results = await Promise.allSettled(batch.map((node) => this.createPod(key, ds, node, hash, signal)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        failure ??= failed.reason;
        break;
      }
    }
    if (failure !== undefined) throw failure;
  }

  private async createPod(key: string, ds: DaemonSet, nodeName: string, hash: string, signal: AbortSignal): Promise<void> {
    try {
      const pod = await this.o.client.create<Pod>(podsTarget, newDaemonPod(ds, nodeName, hash), { signal });
      this.inFlight.created(key, pod);
      this.o.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (e) {
      if (!signal.aborted) this.o.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${messageOf(e)}`);
      throw e;
    }
  }

  private async deletePod(key: string, ds: DaemonSet, pod: Pod, signal: AbortSignal): Promise<void> {
    if (await deleteOwnedPod(this.o.client, this.o.recorder, ds, pod, signal)) this.inFlight.deleted(key, pod);
  }
}
