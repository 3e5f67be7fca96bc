/**
 * Pure decisions of the Job controller (Kubernetes' job_controller.go syncJob, 1.32): counting
 * finished pods through `uncountedTerminatedPods` before their tracking finalizer goes, the
 * interim FailureTarget / SuccessCriteriaMet conditions and the terminal Failed / Complete ones
 * once no pod is left running, suspension, the active deadline, backoffLimit with the exponential
 * back-off between retries, and which pods (or indexes) to create or delete.
 */
import type { Condition, Job, JobStatus, Pod } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import { isPodActive, isPodReady, timeOf } from './common.js';
import {
  completionIndexOf, finishedAt, formatIndexes, hasTrackingFinalizer, isIndexed, isPodFailed, matchPodFailurePolicy, parseIndexes, pastBackoffLimitOnFailure,
} from './job-pods.js';
import { podsToDelete } from './replicaset-decide.js';

/** Kubernetes' DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (1.32: 10 s doubling, at most 10 minutes). */
export const podFailureBackoffMs = 10_000;
export const maxPodFailureBackoffMs = 600_000;

export const jobReasons = {
  backoffLimitExceeded: { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
  deadlineExceeded: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
  completionsReached: { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
} as const;

export interface JobEvent { type: 'Normal' | 'Warning'; reason: string; message: string }

export interface JobDecision {
  /** The status to write (equal to the old one when nothing changed). */
  status: JobStatus;
  /** Pods whose tracking finalizer may go once `status` is written. */
  removeFinalizers: Pod[];
  /** Pods to create: `count` of them, or these completion indexes for an Indexed Job. */
  create: { count: number; indexes?: number[] };
  delete: Pod[];
  events: JobEvent[];
  requeueAfterMs?: number;
}

const hasTrue = (status: JobStatus | undefined, type: string): boolean => status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
export const isJobFinished = (job: Job): boolean => hasTrue(job.status, 'Complete') || hasTrue(job.status, 'Failed');

function condition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): Condition {
  return { type, status, reason, message, lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(now) };
}

/** Adds or replaces `c` (keeping the old transition time when the status did not change). */
function withCondition(list: readonly Condition[] | undefined, c: Condition): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  if (i < 0) return [...out, c];
  const old = out[i];
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return out;
  out[i] = old && old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime ?? c.lastTransitionTime } : c;
  return out;
}

interface Accounting {
  status: JobStatus;
  removeFinalizers: Pod[];
  failJobMessage?: string;
}

/**
 * Folds `uncountedTerminatedPods` whose pods have lost their finalizer (or are gone) into the
 * counters, then records newly finished pods that still carry it: succeeded indexes straight into
 * completedIndexes, other pods by uid into uncountedTerminatedPods. Failed pods the pod failure
 * policy ignores are not counted; pods deleted while the Job is suspended neither.
 */
export function accountFinishedPods(job: Job, pods: readonly Pod[]): Accounting {
  const prev = job.status ?? {};
  const byUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
  const stillHeld = (uid: string): boolean => { const p = byUid.get(uid); return p !== undefined && hasTrackingFinalizer(p); };
  const uncSucceeded = (prev.uncountedTerminatedPods?.succeeded ?? []).filter(stillHeld);
  const uncFailed = (prev.uncountedTerminatedPods?.failed ?? []).filter(stillHeld);
  let succeeded = (prev.succeeded ?? 0) + (prev.uncountedTerminatedPods?.succeeded?.length ?? 0) - uncSucceeded.length;
  const failed = (prev.failed ?? 0) + (prev.uncountedTerminatedPods?.failed?.length ?? 0) - uncFailed.length;
  const indexed = isIndexed(job);
  const completed = parseIndexes(prev.completedIndexes);
  const removeFinalizers: Pod[] = [];
  let failJobMessage: string | undefined;
  const known = new Set([...uncSucceeded, ...uncFailed]);
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod)) continue;
    const uid = pod.metadata.uid ?? '';
    if (known.has(uid)) {
      removeFinalizers.push(pod);
      continue;
    }
    if (pod.status?.phase === 'Succeeded') {
      if (indexed) {
        const ix = completionIndexOf(pod, job.spec.completions);
        if (ix !== undefined) completed.add(ix);
      } else uncSucceeded.push(uid);
      removeFinalizers.push(pod);
    } else if (isPodFailed(pod, job)) {
      const verdict = job.spec.podFailurePolicy && pod.status?.phase === 'Failed' ? matchPodFailurePolicy(job, pod) : { action: 'Count' as const };
      if (verdict.action === 'FailJob') failJobMessage ??= verdict.message;
      if (verdict.action !== 'Ignore' && !(job.spec.suspend === true && pod.status?.phase !== 'Failed')) uncFailed.push(uid);
      removeFinalizers.push(pod);
    } else if (pod.metadata.deletionTimestamp && job.spec.suspend === true) {
      removeFinalizers.push(pod);
    }
  }
  if (indexed) succeeded = completed.size;
  const status: JobStatus = { ...prev, succeeded, failed, uncountedTerminatedPods: { ...(uncSucceeded.length ? { succeeded: uncSucceeded } : {}), ...(uncFailed.length ? { failed: uncFailed } : {}) } };
  if (indexed) status.completedIndexes = formatIndexes(completed);
  return { status, removeFinalizers, ...(failJobMessage !== undefined ? { failJobMessage } : {}) };
}

/**
 * Kubernetes' pod failure back-off: 10 s after the first failure since the last success, doubling
 * per further failure, at most 10 minutes; returns the milliseconds still to wait at `now`.
 */
export function backoffRemainingMs(job: Job, pods: readonly Pod[], now: number, baseMs = podFailureBackoffMs, maxMs = maxPodFailureBackoffMs): number {
  const lastSuccess = Math.max(0, ...pods.filter((p) => p.status?.phase === 'Succeeded').map(finishedAt));
  const failures = pods.filter((p) => isPodFailed(p, job) && !(job.spec.podFailurePolicy && p.status?.phase === 'Failed' && matchPodFailurePolicy(job, p).action === 'Ignore'))
    .map(finishedAt).filter((t) => t > lastSuccess);
  if (failures.length === 0) return 0;
  let delay = baseMs;
  for (let i = 1; i < failures.length && delay < maxMs; i++) delay = Math.min(delay * 2, maxMs);
  return Math.max(0, delay - (now - Math.max(...failures)));
}

/** Whether the Job has been active longer than activeDeadlineSeconds at `now`, and if not, how long until it will have. */
function deadline(job: Job, status: JobStatus, now: number): { past: boolean; inMs?: number } {
  const ads = job.spec.activeDeadlineSeconds;
  const start = timeOf(status.startTime);
  if (ads === undefined || !start) return { past: false };
  const at = start + ads * 1000;
  return now >= at ? { past: true } : { past: false, inMs: at - now };
}

interface Counts { active: Pod[]; terminating: Pod[]; succeeded: number; failed: number; uncounted: number }

function counts(job: Job, pods: readonly Pod[], status: JobStatus): Counts {
  const unc = status.uncountedTerminatedPods ?? {};
  return {
    active: pods.filter(isPodActive),
    terminating: pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'),
    succeeded: isIndexed(job) ? status.succeeded ?? 0 : (status.succeeded ?? 0) + (unc.succeeded?.length ?? 0),
    failed: (status.failed ?? 0) + (unc.failed?.length ?? 0),
    uncounted: (unc.succeeded?.length ?? 0) + (unc.failed?.length ?? 0),
  };
}

/** The interim condition a running Job reaches now (FailureTarget or SuccessCriteriaMet), if any. */
function finishing(job: Job, c: Counts, status: JobStatus, failJobMessage: string | undefined, now: number): Condition | undefined {
  const existing = status.conditions?.find((x) => (x.type === 'FailureTarget' || x.type === 'SuccessCriteriaMet') && x.status === 'True');
  if (existing) return existing;
  if (failJobMessage !== undefined) return condition('FailureTarget', 'True', 'PodFailurePolicy', failJobMessage, now);
  if (c.failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, c.active)) {
    return condition('FailureTarget', 'True', jobReasons.backoffLimitExceeded.reason, jobReasons.backoffLimitExceeded.message, now);
  }
  if (deadline(job, status, now).past) return condition('FailureTarget', 'True', jobReasons.deadlineExceeded.reason, jobReasons.deadlineExceeded.message, now);
  const completions = job.spec.completions;
  const done = completions === undefined ? c.succeeded > 0 && c.active.length === 0 : c.succeeded >= completions;
  if (done) return condition('SuccessCriteriaMet', 'True', jobReasons.completionsReached.reason, jobReasons.completionsReached.message, now);
  return undefined;
}

/** How many pods should run now (Kubernetes' wantActive). */
function wantActive(job: Job, c: Counts): number {
  const parallelism = job.spec.parallelism ?? 1;
  const completions = job.spec.completions;
  if (completions === undefined) return c.succeeded > 0 ? c.active.length : parallelism;
  return Math.max(0, Math.min(parallelism, completions - c.succeeded));
}

/** The lowest indexes neither completed nor held by a live pod. */
function pendingIndexes(job: Job, status: JobStatus, live: readonly Pod[], n: number): number[] {
  const taken = parseIndexes(status.completedIndexes);
  for (const p of live) {
    const ix = completionIndexOf(p, job.spec.completions);
    if (ix !== undefined) taken.add(ix);
  }
  const out: number[] = [];
  for (let i = 0; i < (job.spec.completions ?? 0) && out.length < n; i++) if (!taken.has(i)) out.push(i);
  return out;
}

/** One sync of a Job that is not yet finished (and not being deleted). */
export function decideJob(job: Job, pods: readonly Pod[], now: number): JobDecision {
  const acc = accountFinishedPods(job, pods);
  const status = acc.status;
  const c = counts(job, pods, status);
  const events: JobEvent[] = [];
  const out: JobDecision = { status, removeFinalizers: acc.removeFinalizers, create: { count: 0 }, delete: [], events };
  const interim = finishing(job, c, status, acc.failJobMessage, now);
  if (interim) {
    status.conditions = withCondition(status.conditions, interim);
    out.delete = c.active;
    if (c.active.length === 0 && c.terminating.length === 0 && c.uncounted === 0 && acc.removeFinalizers.length === 0) {
      if (interim.type === 'FailureTarget') {
        status.conditions = withCondition(status.conditions, condition('Failed', 'True', interim.reason ?? '', interim.message ?? '', now));
        events.push({ type: 'Warning', reason: interim.reason ?? '', message: interim.message ?? '' });
      } else {
        status.conditions = withCondition(status.conditions, condition('Complete', 'True', interim.reason ?? '', interim.message ?? '', now));
        status.completionTime = rfc3339(now);
        events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
      }
    }
  } else if (job.spec.suspend === true) {
    out.delete = c.active;
    if (!hasTrue(status, 'Suspended')) {
      status.conditions = withCondition(status.conditions, condition('Suspended', 'True', 'JobSuspended', 'Job suspended', now));
      events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
    }
    delete status.startTime;
  } else {
    if (hasTrue(status, 'Suspended')) {
      status.conditions = withCondition(status.conditions, condition('Suspended', 'False', 'JobResumed', 'Job resumed', now));
      events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
      status.startTime = rfc3339(now);
    }
    status.startTime ??= rfc3339(now);
    planPods(job, c, status, pods, now, out);
    const dl = deadline(job, status, now);
    if (dl.inMs !== undefined) out.requeueAfterMs = Math.min(out.requeueAfterMs ?? Infinity, dl.inMs);
  }
  const deleting = new Set(out.delete.map((p) => p.metadata.uid));
  const stillActive = c.active.filter((p) => !deleting.has(p.metadata.uid));
  status.active = stillActive.length + out.create.count;
  status.ready = stillActive.filter(isPodReady).length;
  status.terminating = c.terminating.length + out.delete.length;
  return out;
}

function planPods(job: Job, c: Counts, status: JobStatus, pods: readonly Pod[], now: number, out: JobDecision): void {
  const want = wantActive(job, c);
  // Pods still terminating hold their place when only Failed pods may be replaced.
  const occupied = c.active.length + (job.spec.podReplacementPolicy === 'Failed' ? c.terminating.length : 0);
  if (c.active.length > want) {
    out.delete = podsToDelete(c.active, c.active.length - want);
    return;
  }
  if (occupied >= want) return;
  const wait = backoffRemainingMs(job, pods, now);
  if (wait > 0) {
    out.requeueAfterMs = wait;
    return;
  }
  const n = want - occupied;
  if (isIndexed(job)) {
    const indexes = pendingIndexes(job, status, [...c.active, ...c.terminating], n);
    out.create = { count: indexes.length, indexes };
  } else out.create = { count: n };
}
