/**
 * ReplicaSetController: keeps `spec.replicas` active pods matching the selector (Kubernetes' replica_set.go).
 * With `kind` it manages another kind seen as a ReplicaSet (ReplicationControllers, as Kubernetes' ReplicationManager does).
 */
import { deepEqual, isNotFound, objectKeyOf } from '../../api/index.js';
import type { KubeObject, Pod, ReplicaSet } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, ResourceTarget, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { claimAction, inNamespace, isPodActive, messageOf, podsTarget, replicaSetsTarget } from './common.js';
import { claimPods } from './claim.js';
import { deleteOwnedPod } from './pod-control.js';
import { InFlight, trackedPodHandlers } from './in-flight.js';
import { burstReplicas, computeReplicaSetStatus, nextAvailableInMs, podFromTemplate, podsToDelete, slowStartBatches, withReplicaFailure } from './replicaset-decide.js';

export interface ReplicaSetControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  workers?: number;
  /** What to manage; ReplicaSets by default. */
  kind?: ReplicaKind;
}

/** A kind the controller manages: its resource and how one of its objects reads as a ReplicaSet (same apiVersion/kind and metadata). */
export interface ReplicaKind {
  controllerName: string;
  target: ResourceTarget;
  asReplicaSet(obj: KubeObject): ReplicaSet;
}

const replicaSetKind: ReplicaKind = { controllerName: 'replicaset', target: replicaSetsTarget, asReplicaSet: (o) => o as ReplicaSet };

export class ReplicaSetController implements Controller {
  readonly name: string;
  private readonly kind: ReplicaKind;
  private readonly runner: ControllerRunner;
  private readonly rsInf: Informer<KubeObject>;
  private readonly podInf: Informer<Pod>;
  private readonly inFlight: InFlight;

  constructor(private readonly o: ReplicaSetControllerOptions) {
    this.kind = o.kind ?? replicaSetKind;
    this.name = this.kind.controllerName;
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 5, reconcile: (k, s) => this.reconcile(k, s) });
    this.rsInf = o.informers.informerFor<KubeObject>(this.kind.target);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.inFlight = new InFlight(o.clock);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (rs: KubeObject): void => this.runner.enqueue(objectKeyOf(rs));
    this.rsInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.podInf.addHandlers(trackedPodHandlers(this.inFlight, (p) => this.enqueueForPod(p)));
    this.o.informers.start(signal);
    await Promise.all([this.rsInf.waitForSync(signal), this.podInf.waitForSync(signal)]).catch(() => undefined);
    await this.runner.run(signal);
  }

  /** Enqueues the pod's controller, or every ReplicaSet that could adopt or release it. */
  private enqueueForPod(pod: Pod): void {
    for (const rs of inNamespace(this.rsInf.list(), pod.metadata.namespace).map(this.kind.asReplicaSet)) {
      if (claimAction(rs, rs.spec.selector, pod) !== 'ignore') this.runner.enqueue(objectKeyOf(rs));
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cached = this.rsInf.get(key);
    if (!cached) {
      this.inFlight.forget(key);
      return;
    }
    const rs = this.kind.asReplicaSet(cached);
    const owned = await claimPods(this.o.client, rs, rs.spec.selector, inNamespace(this.podInf.list(), rs.metadata.namespace), signal);
    const active = this.inFlight.reconcileView(key, owned, (ns, name) => this.podInf.get(`${ns}/${name}`) !== undefined).filter(isPodActive);
    let manageErr: unknown;
    if (!rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, active, signal);
      } catch (e) {
        manageErr = e;
      }
    }
    const now = this.o.clock.now();
    const cachedActive = owned.filter(isPodActive);
    const failure = manageErr === undefined ? undefined : { reason: manageErr instanceof DeleteFailure ? 'FailedDelete' as const : 'FailedCreate' as const, message: messageOf(manageErr) };
    const status = withReplicaFailure(computeReplicaSetStatus(rs, cachedActive, now), failure, now);
    if (!deepEqual(status, rs.status)) {
      try {
        // A merge patch of the status subresource: status is ours alone, and a spec change made by the
        // Deployment controller since our cache was filled must not turn this write into a conflict.
        await this.o.client.patch<KubeObject>(this.kind.target, rs.metadata.namespace, rs.metadata.name ?? '', { status }, 'merge', { subresource: 'status', signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    if (manageErr) throw manageErr;
    const wait = nextAvailableInMs(cachedActive, rs.spec.minReadySeconds ?? 0, now);
    return wait !== undefined ? { requeueAfterMs: wait } : undefined;
  }

  private async manageReplicas(key: string, rs: ReplicaSet, active: Pod[], signal: AbortSignal): Promise<void> {
    const diff = active.length - (rs.spec.replicas ?? 1);
    if (diff < 0) await this.createPods(key, rs, Math.min(-diff, burstReplicas), signal);
    else if (diff > 0) await this.deletePods(key, rs, podsToDelete(active, Math.min(diff, burstReplicas)), signal);
  }

  /** Creates `count` pods in slow-start batches; stops at the first batch with a failure. */
  private async createPods(key: string, rs: ReplicaSet, count: number, signal: AbortSignal): Promise<void> {
    for (const size of slowStartBatches(count)) {
      const results = await Promise.allSettled(Array.from({ length: size }, () => this.createPod(key, rs, signal)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async createPod(key: string, rs: ReplicaSet, signal: AbortSignal): Promise<void> {
    try {
      const pod = await this.o.client.create<Pod>(podsTarget, podFromTemplate(rs), { signal });
      this.inFlight.created(key, pod);
      this.o.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (e) {
      if (!signal.aborted) this.o.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${messageOf(e)}`);
      throw e;
    }
  }

  private async deletePods(key: string, rs: ReplicaSet, pods: readonly Pod[], signal: AbortSignal): Promise<void> {
    const results = await Promise.allSettled(pods.map(async (pod) => {
      if (await deleteOwnedPod(this.o.client, this.o.recorder, rs, pod, signal)) this.inFlight.deleted(key, pod);
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw new DeleteFailure(messageOf(failed.reason), { cause: failed.reason });
  }
}

/** A failed pod deletion (reported as ReplicaFailure/FailedDelete). */
class DeleteFailure extends Error {}
