/**
 * Pure decisions of the CronJob controller (Kubernetes' cronjob_controllerv2.go, 1.32): the most
 * recent unmet schedule time and how many were missed, startingDeadlineSeconds, the concurrency
 * policy, Job names `<cronjob>-<minutes since the epoch>`, the active list and history limits.
 */
import { parseCronSchedule } from '../../api/index.js';
import type { CronJob, CronJobStatus, Job, ObjectReference } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import { controllerRef, timeOf } from './common.js';

export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Kubernetes' limit beyond which a CronJob reports "too many missed start times". */
export const maxMissedSchedules = 100;

export interface CronEvent { type: 'Normal' | 'Warning'; reason: string; message: string }

/** The name of the Job for the run scheduled at `scheduledMs`: `<cronjob>-<minutes since the epoch>`. */
export function jobNameFor(cj: CronJob, scheduledMs: number): string {
  return `${cj.metadata.name ?? ''}-${Math.floor(scheduledMs / 60_000)}`;
}

/** RFC 3339 time of `ms` in IANA zone `tz`, with its offset (Go's `t.In(loc).Format(time.RFC3339)`). */
export function rfc3339In(ms: number, tz: string | undefined): string {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') return rfc3339(ms);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const offset = /GMT([+-]\d\d:\d\d)/.exec(parts.timeZoneName ?? '')?.[1] ?? 'Z';
  return `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}T${parts.hour ?? ''}:${parts.minute ?? ''}:${parts.second ?? ''}${offset}`;
}

export interface ScheduleView {
  /** The most recent schedule time at or before now that has not run, if any. */
  mostRecent?: number;
  /** How many schedule times were missed (capped just above the limit). */
  missed: number;
  /** The next schedule time after now. */
  next: number;
}

/**
 * Kubernetes' mostRecentScheduleTime: schedule times after the last one (or the CronJob's
 * creation), not older than startingDeadlineSeconds when `withDeadline`, up to `now`.
 */
export function scheduleView(cj: CronJob, now: number, withDeadline = true): ScheduleView {
  const sched = parseCronSchedule(cj.spec.schedule, cj.spec.timeZone);
  let earliest = timeOf(cj.status?.lastScheduleTime) || timeOf(cj.metadata.creationTimestamp);
  const sds = cj.spec.startingDeadlineSeconds;
  if (withDeadline && sds !== undefined) earliest = Math.max(earliest, now - sds * 1000);
  let t = sched.next(earliest);
  if (t > now) return { missed: 0, next: t };
  let mostRecent = t;
  let missed = 1;
  for (t = sched.next(t); t <= now; t = sched.next(t)) {
    mostRecent = t;
    missed++;
    if (missed > 10_000) {
      // Far behind: jump near `now` by the schedule's period, as Kubernetes estimates it.
      const period = sched.next(t) - t;
      const skip = Math.floor((now - t) / Math.max(period, 1000));
      missed += skip;
      t += skip * period;
      mostRecent = t;
    }
  }
  return { mostRecent, missed, next: t };
}

const isFinished = (j: Job): 'Complete' | 'Failed' | undefined =>
  j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type as 'Complete' | 'Failed' | undefined;

function refOf(j: Job): ObjectReference {
  return { kind: 'Job', namespace: j.metadata.namespace ?? '', name: j.metadata.name ?? '', uid: j.metadata.uid ?? '', apiVersion: 'batch/v1', ...(j.metadata.resourceVersion ? { resourceVersion: j.metadata.resourceVersion } : {}) };
}

/** Kubernetes' syncCronJob bookkeeping: finished Jobs leave `active`, unknown running ones join it, lastSuccessfulTime advances. */
export function syncActive(cj: CronJob, jobs: readonly Job[]): { status: CronJobStatus; events: CronEvent[] } {
  const status: CronJobStatus = { ...(cj.status ?? {}) };
  const events: CronEvent[] = [];
  let active = [...(status.active ?? [])];
  const inActive = (j: Job): boolean => active.some((a) => a.uid === j.metadata.uid);
  for (const j of jobs) {
    const done = isFinished(j);
    if (!inActive(j) && !done) {
      events.push({ type: 'Normal', reason: 'UnexpectedJob', message: `Saw a job that the controller did not create or forgot: ${j.metadata.name ?? ''}` });
      active.push(refOf(j));
    } else if (inActive(j) && done) {
      events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${j.metadata.name ?? ''}, status: ${done}` });
      active = active.filter((a) => a.uid !== j.metadata.uid);
    }
    if (done === 'Complete' && j.status?.completionTime && timeOf(j.status.completionTime) > timeOf(status.lastSuccessfulTime)) status.lastSuccessfulTime = j.status.completionTime;
  }
  for (const a of [...active]) {
    if (!jobs.some((j) => j.metadata.uid === a.uid)) {
      events.push({ type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${a.name ?? ''}` });
      active = active.filter((x) => x.uid !== a.uid);
    }
  }
  if (active.length > 0) status.active = active;
  else delete status.active;
  return { status, events };
}

/** Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
export function historyToDelete(cj: CronJob, jobs: readonly Job[]): Job[] {
  const byAge = (a: Job, b: Job): number => (timeOf(a.status?.startTime) || timeOf(a.metadata.creationTimestamp)) - (timeOf(b.status?.startTime) || timeOf(b.metadata.creationTimestamp));
  const out: Job[] = [];
  for (const [kind, limit] of [['Complete', cj.spec.successfulJobsHistoryLimit], ['Failed', cj.spec.failedJobsHistoryLimit]] as const) {
    if (limit === undefined) continue;
    const done = jobs.filter((j) => isFinished(j) === kind && !j.metadata.deletionTimestamp).sort(byAge);
    out.push(...done.slice(0, Math.max(0, done.length - limit)));
  }
  return out;
}

/** The Job for the run scheduled at `scheduledMs`: the template's metadata and spec, the scheduled-timestamp annotation, the CronJob as controller. */
export function jobFromCronJob(cj: CronJob, scheduledMs: number): Job {
  const tmpl = cj.spec.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cj, scheduledMs),
      namespace: cj.metadata.namespace,
      labels: { ...(tmpl.metadata?.labels ?? {}) },
      annotations: { ...(tmpl.metadata?.annotations ?? {}), [scheduledTimestampAnnotation]: rfc3339In(scheduledMs, cj.spec.timeZone) },
      ownerReferences: [controllerRef({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' })],
    },
    spec: structuredClone(tmpl.spec),
  };
}

export interface CronDecision {
  status: CronJobStatus;
  events: CronEvent[];
  /** Active Jobs to delete first (concurrencyPolicy Replace). */
  replace: Job[];
  create?: Job;
  scheduledMs?: number;
  history: Job[];
  requeueAfterMs?: number;
}

const rfc1123z = (ms: number): string => {
  const d = new Date(ms);
  const day = d.toUTCString().slice(0, 3);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const mon = d.toUTCString().slice(8, 11);
  return `${day}, ${pad(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
};

/** One sync of a CronJob that is not being deleted, given the Jobs it controls. */
export function decideCronJob(cj: CronJob, jobs: readonly Job[], now: number): CronDecision {
  const { status, events } = syncActive(cj, jobs);
  const out: CronDecision = { status, events, replace: [], history: historyToDelete(cj, jobs) };
  if (cj.spec.suspend === true) return out;
  const view = scheduleView({ ...cj, status }, now);
  const requeue = (): number => scheduleView({ ...cj, status: out.status }, now, false).next - now + 100;
  if (view.mostRecent === undefined) {
    out.requeueAfterMs = view.next - now + 100;
    return out;
  }
  const scheduled = view.mostRecent;
  if (view.missed > maxMissedSchedules) {
    events.push({ type: 'Warning', reason: 'TooManyMissedTimes', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew' });
  }
  const sds = cj.spec.startingDeadlineSeconds;
  if (sds !== undefined && scheduled + sds * 1000 < now) {
    events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${rfc1123z(scheduled)}` });
    out.requeueAfterMs = requeue();
    return out;
  }
  const name = jobNameFor(cj, scheduled);
  if (jobs.some((j) => j.metadata.name === name)) {
    // The run exists already (its status write was lost): it counts as scheduled.
    status.lastScheduleTime = rfc3339(scheduled);
    out.requeueAfterMs = requeue();
    return out;
  }
  if ((status.active ?? []).some((a) => a.name === name) || timeOf(status.lastScheduleTime) === scheduled) {
    out.requeueAfterMs = requeue();
    return out;
  }
  const active = status.active ?? [];
  if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    out.requeueAfterMs = requeue();
    return out;
  }
  if (cj.spec.concurrencyPolicy === 'Replace') out.replace = jobs.filter((j) => active.some((a) => a.uid === j.metadata.uid));
  out.create = jobFromCronJob(cj, scheduled);
  out.scheduledMs = scheduled;
  out.requeueAfterMs = scheduleView({ ...cj, status: { ...status, lastScheduleTime: rfc3339(scheduled) } }, now, false).next - now + 100;
  return out;
}
