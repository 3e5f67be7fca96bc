/** Defaulting of `batch/v1` Job and CronJob (Kubernetes `SetDefaults_Job`/`SetDefaults_CronJob`) and the Job's generated selector. */
import type { CronJob, Job } from '../kinds/batch.js';
import type { KubeObject } from '../meta.js';
import { defaultPodSpec } from './pod.js';

/** Label keys Kubernetes 1.32 puts on a Job's pod template when it generates the selector (legacy and prefixed). */
export const jobLabels = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
} as const;

export function defaultJob(obj: KubeObject): void {
  const job = obj as Job;
  if (!job.spec) return;
  const spec = job.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const labels = spec.template?.metadata?.labels;
  if (labels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...labels };
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const p of rule.onPodConditions ?? []) p.status ??= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

export function defaultCronJob(obj: KubeObject): void {
  const cj = obj as CronJob;
  if (!cj.spec) return;
  cj.spec.concurrencyPolicy ??= 'Allow';
  cj.spec.suspend ??= false;
  cj.spec.successfulJobsHistoryLimit ??= 3;
  cj.spec.failedJobsHistoryLimit ??= 1;
  const podSpec = cj.spec.jobTemplate?.spec?.template?.spec;
  if (podSpec) defaultPodSpec(podSpec);
}

/**
 * Kubernetes' Job PrepareForCreate (`generateSelectorIfNeeded`), run once the name and uid are
 * known: unless `manualSelector` is true, the template gets the controller-uid and job-name labels
 * (legacy and `batch.kubernetes.io/` ones) and the selector matches the prefixed controller-uid. A
 * Job created without labels then carries its template's labels, as a read back from storage does
 * in Kubernetes. Status is cleared.
 */
export function prepareJobForCreate(obj: KubeObject): void {
  const job = obj as Job;
  delete job.status;
  if (!job.spec?.template || job.spec.manualSelector === true) return;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const meta = (job.spec.template.metadata ??= {});
  const labels = (meta.labels ??= {});
  labels[jobLabels.legacyJobName] ??= name;
  labels[jobLabels.jobName] ??= name;
  labels[jobLabels.legacyControllerUid] ??= uid;
  labels[jobLabels.controllerUid] ??= uid;
  const selector = (job.spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels[jobLabels.controllerUid] ??= uid;
  if (Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...labels };
}
