/**
 * TTLAfterFinishedController: deletes a finished Job `ttlSecondsAfterFinished` after it finished,
 * in the foreground so its pods go first (Kubernetes' ttlafterfinished controller).
 */
import { isConflict, isNotFound, objectKeyOf } from '../../api/index.js';
import type { Job } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, Informer, KubeClient, ReconcileResult, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { jobsTarget, timeOf } from './common.js';

/** When a finished Job with a TTL expires (ms since the epoch); undefined when it has no TTL or has not finished. */
export function ttlExpiry(job: Job): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return undefined;
  const finished = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!finished) return undefined;
  const at = finished.type === 'Complete' && job.status?.completionTime ? timeOf(job.status.completionTime) : timeOf(finished.lastTransitionTime);
  return at ? at + ttl * 1000 : undefined;
}

export interface TtlAfterFinishedControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
}

export class TtlAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished';
  private readonly runner: ControllerRunner;
  private readonly jobInf: Informer<Job>;

  constructor(private readonly o: TtlAfterFinishedControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: 2, reconcile: (k, s) => this.reconcile(k, s) });
    this.jobInf = o.informers.informerFor<Job>(jobsTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (j: Job): void => { if (ttlExpiry(j) !== undefined) this.runner.enqueue(objectKeyOf(j)); };
    this.jobInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n) });
    this.o.informers.start(signal);
    await this.jobInf.waitForSync(signal).catch(() => undefined);
    await this.runner.run(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cached = this.jobInf.get(key);
    if (!cached || ttlExpiry(cached) === undefined) return;
    // Re-read: the TTL may have been changed since the cache was filled.
    let job: Job;
    try {
      job = await this.o.client.get<Job>(jobsTarget, cached.metadata.namespace, cached.metadata.name ?? '', { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const expiry = ttlExpiry(job);
    if (expiry === undefined) return;
    const wait = expiry - this.o.clock.now();
    if (wait > 0) return { requeueAfterMs: wait };
    try {
      await this.o.client.delete(jobsTarget, job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid }, signal });
      this.o.log.info('deleted finished job', { job: key });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
    return undefined;
  }
}
