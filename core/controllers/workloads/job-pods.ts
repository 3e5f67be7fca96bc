/** Pure pod-level facts of the Job controller: the pods it creates, completion indexes, finish times, failure-policy matches. */
import type { EnvVar, Job, Pod, PodFailurePolicyRule } from '../../api/index.js';
import { controllerRef, timeOf } from './common.js';

/** The finalizer that keeps a finished pod until the Job controller has counted it (Kubernetes' JobTrackingFinalizer). */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
/** Annotation and label carrying an Indexed Job pod's completion index. */
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';
export const completionIndexEnv = 'JOB_COMPLETION_INDEX';

export const isIndexed = (job: Job): boolean => job.spec.completionMode === 'Indexed';
export const hasTrackingFinalizer = (pod: Pod): boolean => pod.metadata.finalizers?.includes(jobTrackingFinalizer) ?? false;

/** The completion index of an Indexed Job's pod, or undefined when absent or not a valid index below `completions`. */
export function completionIndexOf(pod: Pod, completions: number | undefined): number | undefined {
  const raw = pod.metadata.annotations?.[completionIndexKey];
  if (raw === undefined || !/^(0|[1-9][0-9]*)$/.test(raw)) return undefined;
  const ix = Number(raw);
  return completions !== undefined && ix >= completions ? undefined : ix;
}

function withIndexEnv(env: EnvVar[] | undefined): EnvVar[] {
  const list = [...(env ?? [])];
  if (!list.some((e) => e.name === completionIndexEnv)) {
    list.push({ name: completionIndexEnv, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${completionIndexKey}']` } } });
  }
  return list;
}

/**
 * The pod the Job creates (Kubernetes' job controller): template labels and annotations, the
 * tracking finalizer, the Job as controller. An Indexed Job's pod is named `<job>-<index>-…`,
 * carries the index as annotation and label, sees it as `JOB_COMPLETION_INDEX` in every container
 * and has the hostname `<job>-<index>`.
 */
export function podForJob(job: Job, index?: number): Pod {
  const tmpl = job.spec.template;
  const name = job.metadata.name ?? 'job';
  const labels = { ...(tmpl.metadata?.labels ?? {}) };
  const annotations = { ...(tmpl.metadata?.annotations ?? {}) };
  const spec = structuredClone(tmpl.spec ?? { containers: [] });
  if (index !== undefined) {
    annotations[completionIndexKey] = String(index);
    labels[completionIndexKey] = String(index);
    spec.containers = spec.containers.map((c) => ({ ...c, env: withIndexEnv(c.env) }));
    if (spec.initContainers) spec.initContainers = spec.initContainers.map((c) => ({ ...c, env: withIndexEnv(c.env) }));
    spec.hostname ??= `${name}-${index}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      finalizers: [...(tmpl.metadata?.finalizers ?? []), jobTrackingFinalizer],
      ownerReferences: [controllerRef({ ...job, apiVersion: 'batch/v1', kind: 'Job' })],
    },
    spec,
  };
}

/** Kubernetes' getFinishedTime: the latest container finish, else the deletion time, else creation. */
export function finishedAt(pod: Pod): number {
  let latest = 0;
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    latest = Math.max(latest, timeOf(c.state?.terminated?.finishedAt));
  }
  if (latest > 0) return latest;
  return timeOf(pod.metadata.deletionTimestamp) || timeOf(pod.metadata.creationTimestamp);
}

/** Kubernetes' isPodFailed: phase Failed, or (unless only Failed pods are replaced) deleted before it succeeded. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy) return false;
  return pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

export type FailureAction = 'FailJob' | 'Ignore' | 'Count';

function matchExitCodes(pod: Pod, req: NonNullable<PodFailurePolicyRule['onExitCodes']>): { name: string; code: number } | undefined {
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    if (req.containerName !== undefined && req.containerName !== c.name) continue;
    const code = c.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (req.values.includes(code) === (req.operator === 'In')) return { name: c.name, code };
  }
  return undefined;
}

/**
 * Kubernetes' matchPodFailurePolicy for a Failed pod: the first matching rule's action, with the
 * FailJob message Kubernetes writes; no rule matches → Count.
 */
export function matchPodFailurePolicy(job: Job, pod: Pod): { action: FailureAction; message?: string } {
  const ref = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  for (const [i, rule] of (job.spec.podFailurePolicy?.rules ?? []).entries()) {
    let message: string | undefined;
    if (rule.onExitCodes) {
      const c = matchExitCodes(pod, rule.onExitCodes);
      if (!c) continue;
      message = `Container ${c.name} for pod ${ref} failed with exit code ${c.code} matching ${rule.action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const cond = pod.status?.conditions?.find((pc) => rule.onPodConditions?.some((p) => p.type === pc.type && (p.status ?? 'True') === pc.status));
      if (!cond) continue;
      message = `Pod ${ref} has condition ${cond.type} matching ${rule.action} rule at index ${i}`;
    } else continue;
    if (rule.action === 'FailJob') return { action: 'FailJob', message };
    if (rule.action === 'Ignore') return { action: 'Ignore' };
    return { action: 'Count' };
  }
  return { action: 'Count' };
}

/** Kubernetes' pastBackoffLimitOnFailure: container restarts of running/pending pods reach backoffLimit (restartPolicy OnFailure). */
export function pastBackoffLimitOnFailure(job: Job, active: readonly Pod[]): boolean {
  if (job.spec.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of active) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending' && p.status?.phase !== undefined) continue;
    for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += c.restartCount;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Compressed index list as Kubernetes writes completedIndexes (`1,3-5,7`). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] ?? 0) === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? `${sorted[i] ?? 0}` : `${sorted[i] ?? 0}-${sorted[j] ?? 0}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Indexes of a completedIndexes string (`1,3-5` → 1,3,4,5); malformed parts are skipped. */
export function parseIndexes(s: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b && i - a < 1_000_000; i++) out.add(i);
  }
  return out;
}
