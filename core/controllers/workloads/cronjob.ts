/**
 * CronJobController: creates a Job for each time a CronJob's schedule comes due (Kubernetes'
 * cronjob_controllerv2.go). Time comes from the injected clock, so tests step it; decisions are in
 * cronjob-decide.ts.
 */
import { controllerOf, cronScheduleError, deepEqual, isAlreadyExists, isNotFound, isTimeZone, objectKeyOf } from '../../api/index.js';
import type { CronJob, Job } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { rfc3339 } from '../../util/index.js';
import { cronJobsTarget, inNamespace, jobsTarget, messageOf } from './common.js';
import { decideCronJob } from './cronjob-decide.js';

export interface CronJobControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
}

export class CronJobController implements Controller {
  readonly name = 'cronjob';
  private readonly runner: ControllerRunner;
  private readonly cjInf: Informer<CronJob>;
  private readonly jobInf: Informer<Job>;

  constructor(private readonly o: CronJobControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: 5, reconcile: (k, s) => this.reconcile(k, s) });
    this.cjInf = o.informers.informerFor<CronJob>(cronJobsTarget);
    this.jobInf = o.informers.informerFor<Job>(jobsTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (cj: CronJob): void => this.runner.enqueue(objectKeyOf(cj));
    this.cjInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const forJob = (j: Job): void => {
      const ref = controllerOf(j);
      if (ref?.kind === 'CronJob') this.runner.enqueue(`${j.metadata.namespace ?? ''}/${ref.name}`);
    };
    this.jobInf.addHandlers({ onAdd: forJob, onUpdate: (_o, n) => forJob(n), onDelete: forJob });
    this.o.informers.start(signal);
    await Promise.all([this.cjInf.waitForSync(signal), this.jobInf.waitForSync(signal)]).catch(() => undefined);
    await this.runner.run(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cj = this.cjInf.get(key);
    if (!cj || cj.metadata.deletionTimestamp) return;
    if (cj.spec.timeZone !== undefined && !isTimeZone(cj.spec.timeZone)) {
      this.o.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${cj.spec.timeZone}": unknown time zone ${cj.spec.timeZone}`);
      return;
    }
    const parseErr = cronScheduleError(cj.spec.schedule);
    if (parseErr) {
      this.o.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec.schedule}" : ${parseErr}`);
      return;
    }
    const jobs = inNamespace(this.jobInf.list(), cj.metadata.namespace).filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
    const d = decideCronJob(cj, jobs, this.o.clock.now());
    for (const ev of d.events) this.o.recorder.event(cj, ev.type, ev.reason, ev.message);
    for (const j of d.replace) {
      await this.deleteJob(cj, j, signal);
      d.status.active = (d.status.active ?? []).filter((a) => a.uid !== j.metadata.uid);
    }
    if (d.create && d.scheduledMs !== undefined) {
      try {
        const job = await this.o.client.create<Job>(jobsTarget, d.create, { signal });
        this.o.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name ?? ''}`);
        d.status.active = [...(d.status.active ?? []), { kind: 'Job', namespace: job.metadata.namespace ?? '', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion ?? '' }];
        d.status.lastScheduleTime = rfc3339(d.scheduledMs);
      } catch (e) {
        // Already there: created by an earlier sync whose status write was lost; the next sync adopts it into `active`.
        if (!isAlreadyExists(e)) {
          if (!signal.aborted) this.o.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${messageOf(e)}`);
          throw e;
        }
      }
    }
    if (d.status.active?.length === 0) delete d.status.active;
    if (!deepEqual(d.status, cj.status ?? {})) {
      try {
        // A merge patch: the status is ours alone, and a stale cache must not turn the write into a conflict.
        const status = { active: d.status.active ?? null, lastScheduleTime: d.status.lastScheduleTime ?? null, lastSuccessfulTime: d.status.lastSuccessfulTime ?? null };
        await this.o.client.patch<CronJob>(cronJobsTarget, cj.metadata.namespace, cj.metadata.name ?? '', { status }, 'merge', { subresource: 'status', signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    for (const j of d.history) await this.deleteJob(cj, j, signal);
    return d.requeueAfterMs !== undefined ? { requeueAfterMs: Math.max(1, d.requeueAfterMs) } : undefined;
  }

  private async deleteJob(cj: CronJob, job: Job, signal: AbortSignal): Promise<void> {
    try {
      await this.o.client.delete(jobsTarget, job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid }, signal });
      this.o.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`);
    } catch (e) {
      if (isNotFound(e)) return;
      if (!signal.aborted) this.o.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${messageOf(e)}`);
      throw e;
    }
  }
}
