/**
 * JobController: runs a Job's pods to completion (Kubernetes' job_controller.go). Decisions are in
 * job-decide.ts; this file reads the caches, writes status before it lets go of finished pods
 * (their `batch.kubernetes.io/job-tracking` finalizer), creates and deletes pods, and records events.
 */
import { controllerOf, deepEqual, isConflict, isNotFound, objectKeyOf } from '../../api/index.js';
import type { Job, Pod } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { claimAction, controllerRef, inNamespace, isPodActive, jobsTarget, messageOf, patchOwnerRefs, podsTarget } from './common.js';
import { deleteOwnedPod } from './pod-control.js';
import { InFlight } from './in-flight.js';
import { decideJob, isJobFinished } from './job-decide.js';
import { hasTrackingFinalizer, jobTrackingFinalizer, podForJob } from './job-pods.js';
import { slowStartBatches } from './replicaset-decide.js';

export interface JobControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  workers?: number;
}

const orphanPrefix = 'pod:';

export class JobController implements Controller {
  readonly name = 'job';
  private readonly runner: ControllerRunner;
  private readonly jobInf: Informer<Job>;
  private readonly podInf: Informer<Pod>;
  private readonly inFlight: InFlight;

  constructor(private readonly o: JobControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 5, reconcile: (k, s) => this.reconcile(k, s) });
    this.jobInf = o.informers.informerFor<Job>(jobsTarget);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.inFlight = new InFlight(o.clock);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (j: Job): void => this.runner.enqueue(objectKeyOf(j));
    this.jobInf.addHandlers({
      onAdd: enqueue,
      onUpdate: (_o, n) => enqueue(n),
      onDelete: (j) => {
        enqueue(j);
        for (const p of this.podInf.list()) if (controllerOf(p)?.uid === j.metadata.uid && hasTrackingFinalizer(p)) this.runner.enqueue(orphanPrefix + objectKeyOf(p));
      },
    });
    this.podInf.addHandlers({
      onAdd: (p) => {
        this.inFlight.observedAdd(p);
        this.enqueueForPod(p);
      },
      onUpdate: (old, p) => {
        // A deleted Job pod lingers while it has the tracking finalizer: its deletion is observed now.
        if (p.metadata.deletionTimestamp) this.inFlight.observedDelete(p);
        this.enqueueForPod(p);
        if (!deepEqual(old.metadata.labels, p.metadata.labels)) this.enqueueForPod(old);
      },
      onDelete: (p) => {
        this.inFlight.observedDelete(p);
        this.enqueueForPod(p);
      },
    });
    this.o.informers.start(signal);
    await Promise.all([this.jobInf.waitForSync(signal), this.podInf.waitForSync(signal)]).catch(() => undefined);
    await this.runner.run(signal);
  }

  private enqueueForPod(pod: Pod): void {
    let owned = false;
    for (const job of inNamespace(this.jobInf.list(), pod.metadata.namespace)) {
      if (!job.spec.selector) continue;
      if (claimAction(job, job.spec.selector, pod) !== 'ignore') {
        owned = true;
        this.runner.enqueue(objectKeyOf(job));
      }
    }
    if (!owned && hasTrackingFinalizer(pod)) this.runner.enqueue(orphanPrefix + objectKeyOf(pod));
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    if (key.startsWith(orphanPrefix)) return this.releaseOrphan(key.slice(orphanPrefix.length), signal);
    const job = this.jobInf.get(key);
    if (!job) {
      this.inFlight.forget(key);
      return;
    }
    const owned = await this.claimPods(job, signal);
    if (job.metadata.deletionTimestamp || isJobFinished(job)) {
      // Nothing more to count: let every pod go, and stop any still running.
      await Promise.all(owned.filter(hasTrackingFinalizer).map((p) => this.removeFinalizer(p, signal)));
      if (isJobFinished(job)) await this.deletePods(job, owned.filter(isPodActive), signal);
      return;
    }
    const pods = this.inFlight.reconcileView(key, owned, (ns, name) => this.podInf.get(`${ns}/${name}`) !== undefined);
    const now = this.o.clock.now();
    const d = decideJob(job, pods, now);
    if (!deepEqual(d.status, job.status ?? {})) {
      try {
        await this.o.client.updateStatus<Job>(jobsTarget, { ...job, status: d.status }, { signal });
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
    }
    for (const ev of d.events) this.o.recorder.event(job, ev.type, ev.reason, ev.message);
    await Promise.all(d.removeFinalizers.map((p) => this.removeFinalizer(p, signal)));
    await this.deletePods(job, d.delete, signal);
    await this.createPods(key, job, d.create, signal);
    return d.requeueAfterMs !== undefined ? { requeueAfterMs: Math.max(1, d.requeueAfterMs) } : undefined;
  }

  /** A pod with the tracking finalizer whose Job is gone: nothing will count it, so let it go. */
  private async releaseOrphan(podKey: string, signal: AbortSignal): Promise<ReconcileResult> {
    const pod = this.podInf.get(podKey);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerOf(pod);
    const job = ref ? this.jobInf.get(`${pod.metadata.namespace ?? ''}/${ref.name}`) : undefined;
    if (job && job.metadata.uid === ref?.uid) {
      this.runner.enqueue(objectKeyOf(job));
      return;
    }
    await this.removeFinalizer(pod, signal);
  }

  private async claimPods(job: Job, signal: AbortSignal): Promise<Pod[]> {
    const owned: Pod[] = [];
    const selector = job.spec.selector;
    if (!selector) return owned;
    for (const pod of inNamespace(this.podInf.list(), job.metadata.namespace)) {
      const action = claimAction(job, selector, pod);
      if (action === 'own') owned.push(pod);
      else if (action === 'adopt' && !isJobFinished(job)) {
        const ref = controllerRef({ ...job, apiVersion: 'batch/v1', kind: 'Job' });
        const adopted = await patchOwnerRefs(this.o.client, podsTarget, pod, [...(pod.metadata.ownerReferences ?? []), ref], signal);
        if (adopted) owned.push(adopted);
      } else if (action === 'release') {
        await patchOwnerRefs(this.o.client, podsTarget, pod, (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== job.metadata.uid), signal);
      }
    }
    return owned;
  }

  private async patchPod(pod: Pod, meta: Record<string, unknown>, signal: AbortSignal): Promise<Pod | undefined> {
    try {
      const patch = { metadata: { uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion, ...meta } };
      return await this.o.client.patch<Pod>(podsTarget, pod.metadata.namespace, pod.metadata.name ?? '', patch, 'merge', { signal });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Removes the tracking finalizer (re-reading the pod on a conflict). */
  private async removeFinalizer(pod: Pod, signal: AbortSignal): Promise<void> {
    let cur: Pod | undefined = pod;
    for (let attempt = 0; cur && hasTrackingFinalizer(cur) && attempt < 3; attempt++) {
      try {
        await this.patchPod(cur, { finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer) }, signal);
        return;
      } catch (e) {
        if (!isConflict(e)) throw e;
        cur = await this.o.client.get<Pod>(podsTarget, pod.metadata.namespace, pod.metadata.name ?? '', { signal }).catch((x: unknown) => {
          if (isNotFound(x)) return undefined;
          throw x;
        });
      }
    }
  }

  private async createPods(key: string, job: Job, plan: { count: number; indexes?: number[] }, signal: AbortSignal): Promise<void> {
    const queue = plan.indexes ? [...plan.indexes] : Array.from({ length: plan.count }, () => undefined);
    for (const size of slowStartBatches(queue.length)) {
      const batch = queue.splice(0, size);
      const results = await Promise.allSettled(batch.map((ix) => this.createPod(key, job, ix, signal)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async createPod(key: string, job: Job, index: number | undefined, signal: AbortSignal): Promise<void> {
    try {
      const pod = await this.o.client.create<Pod>(podsTarget, podForJob(job, index), { signal });
      this.inFlight.created(key, pod);
      this.o.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (e) {
      if (!signal.aborted) this.o.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${messageOf(e)}`);
      throw e;
    }
  }

  /** Deletes pods (not recorded as in flight: a Job pod lingers, terminating, while it has the finalizer, and must stay in view). */
  private async deletePods(job: Job, pods: readonly Pod[], signal: AbortSignal): Promise<void> {
    await Promise.all(pods.map((pod) => deleteOwnedPod(this.o.client, this.o.recorder, job, pod, signal)));
  }
}
