/** Job and CronJob validation (Kubernetes `batch/validation`), with Kubernetes' messages. */
import { cronScheduleError, isTimeZone } from '../cron.js';
import type { FieldError } from '../errors.js';
import type { CronJob, Job, JobSpec, PodFailurePolicyRule } from '../kinds/batch.js';
import type { KubeObject } from '../meta.js';
import { labelSelectorFromObject, matchesLabels } from '../selectors.js';
import { duplicate, fromMessages, invalid, nonNegative, notSupported, oneOf, required, tooMany } from './field.js';
import { immutable, validateAnnotations, validateLabels, validateLabelSelector, validateObjectMeta } from './meta.js';
import { isDNS1123Label, isQualifiedName } from './names.js';
import { validatePodSpec } from './pod.js';

const maxParallelismForIndexedJob = 100000;
const actions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const quoted = (xs: readonly string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

function validateExitCodes(r: NonNullable<PodFailurePolicyRule['onExitCodes']>, path: string, containers: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!r.operator) errs.push(required(`${path}.operator`, `valid values: ${quoted(['In', 'NotIn'])}`));
  else errs.push(...oneOf(`${path}.operator`, r.operator, ['In', 'NotIn']));
  if (r.containerName !== undefined && !containers.has(r.containerName)) {
    errs.push(invalid(`${path}.containerName`, r.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values = r.values ?? [];
  if (values.length === 0) errs.push(invalid(`${path}.values`, values, 'at least one value is required'));
  else if (values.length > 255) errs.push(tooMany(`${path}.values`, values.length, 255));
  const seen = new Set<number>();
  values.forEach((v, j) => {
    if (r.operator === 'In' && v === 0) errs.push(invalid(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(duplicate(`${path}.values[${j}]`, v));
    seen.add(v);
  });
  if (values.some((v, j) => j > 0 && (values[j - 1] ?? 0) > v)) errs.push(invalid(`${path}.values`, values, 'must be ordered'));
  return errs;
}

function validatePodFailurePolicy(spec: JobSpec, path: string): FieldError[] {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const errs: FieldError[] = rules.length > 20 ? [tooMany(`${path}.rules`, rules.length, 20)] : [];
  const containers = new Set([...(spec.template?.spec?.containers ?? []), ...(spec.template?.spec?.initContainers ?? [])].map((c) => c.name));
  rules.forEach((rule, i) => {
    const p = `${path}.rules[${i}]`;
    if (!rule.action) errs.push(required(`${p}.action`, `valid values: ${quoted(actions)}`));
    else if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined) errs.push(invalid(`${p}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else errs.push(...oneOf(`${p}.action`, rule.action, actions));
    if (rule.onExitCodes) errs.push(...validateExitCodes(rule.onExitCodes, `${p}.onExitCodes`, containers));
    const conds = rule.onPodConditions ?? [];
    if (conds.length > 20) errs.push(tooMany(`${p}.onPodConditions`, conds.length, 20));
    conds.forEach((c, j) => {
      const cp = `${p}.onPodConditions[${j}]`;
      errs.push(...fromMessages(`${cp}.type`, c.type ?? '', isQualifiedName(c.type ?? '')));
      if (!c.status) errs.push(required(`${cp}.status`, `valid values: ${quoted(['False', 'True', 'Unknown'])}`));
      else errs.push(...oneOf(`${cp}.status`, c.status, ['False', 'True', 'Unknown']));
    });
    if (rule.onExitCodes && conds.length > 0) errs.push({ field: p, type: 'FieldValueInvalid', message: 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported' });
    if (!rule.onExitCodes && conds.length === 0) errs.push({ field: p, type: 'FieldValueInvalid', message: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required' });
  });
  return errs;
}

/** Kubernetes' validateJobSpec: counts, completion mode, failure policy, the pod template and its restart policy. */
function validateJobSpecFields(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    errs.push(...nonNegative(`${path}.${f}`, spec[f]));
  }
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) errs.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  if (spec.completionMode !== undefined) {
    errs.push(...oneOf(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
    if (spec.completionMode === 'Indexed') {
      if (spec.completions === undefined) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
      if (spec.parallelism !== undefined && spec.parallelism > maxParallelismForIndexedJob) {
        errs.push(invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
      }
    }
  }
  if (spec.completionMode !== 'Indexed') {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) errs.push(invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (spec.successPolicy && spec.completionMode !== 'Indexed') errs.push(invalid(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
  if (spec.podReplacementPolicy !== undefined) {
    errs.push(...(spec.podFailurePolicy ? oneOf(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']) : oneOf(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed'])));
  }
  const t = spec.template;
  if (!t) return [...errs, required(`${path}.template`)];
  errs.push(...validateLabels(t.metadata?.labels, `${path}.template.metadata.labels`));
  errs.push(...validateAnnotations(t.metadata?.annotations, `${path}.template.metadata.annotations`));
  errs.push(...validatePodSpec(t.spec, `${path}.template.spec`, { restartPolicies: ['Always', 'OnFailure', 'Never'] }));
  const rp = t.spec?.restartPolicy;
  const rpPath = `${path}.template.spec.restartPolicy`;
  if (rp === 'Always' || !rp) errs.push(required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && rp !== 'Never') errs.push(invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

function selectorMatchesTemplate(spec: JobSpec, path: string): FieldError[] {
  if (!spec.selector) return [];
  try {
    const labels = spec.template?.metadata?.labels ?? {};
    if (matchesLabels(labelSelectorFromObject(spec.selector), labels)) return [];
    return [invalid(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`')];
  } catch {
    return [];
  }
}

export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const job = obj as Job;
  const errs = validateObjectMeta(job.metadata, { namespaced: true });
  if (!job.spec) return [...errs, required('spec')];
  const spec = job.spec;
  const manual = spec.manualSelector === true;
  const name = job.metadata.name ?? '';
  if (!old && !manual && spec.selector) errs.push(invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  if (!old && !manual && name.length > 63) errs.push(invalid('spec.template.metadata.labels', name, 'must be no more than 63 characters'));
  errs.push(...validateJobSpecFields(spec, 'spec'));
  if (manual || old) {
    if (!spec.selector) errs.push(required('spec.selector'));
    else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  }
  errs.push(...selectorMatchesTemplate(spec, 'spec'));
  if (spec.completionMode === 'Indexed' && spec.completions !== undefined && spec.completions > 0 && name) {
    const host = `${name}-${spec.completions - 1}`;
    if (isDNS1123Label(host).length > 0) errs.push(invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${host}`));
  }
  if (old) errs.push(...validateJobUpdate(spec, (old as Job).spec));
  return errs;
}

function validateJobUpdate(spec: JobSpec, prev: JobSpec | undefined): FieldError[] {
  if (!prev) return [];
  const errs: FieldError[] = [];
  if (spec.completionMode === 'Indexed' && spec.completions !== prev.completions && spec.completions !== undefined) {
    if (spec.completions !== spec.parallelism) errs.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  } else errs.push(...immutable('spec.completions', spec.completions, prev.completions));
  errs.push(...immutable('spec.selector', spec.selector, prev.selector));
  errs.push(...immutable('spec.template', spec.template, prev.template));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) errs.push(...immutable(`spec.${f}`, spec[f], prev[f]));
  return errs;
}

function validateTimeZone(tz: string | undefined): FieldError[] {
  if (tz === undefined) return [];
  const f = 'spec.timeZone';
  if (tz === '') return [invalid(f, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part)) return [invalid(f, tz, `unknown time zone ${tz}`)];
  }
  if (tz.toLowerCase() === 'local') return [invalid(f, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isTimeZone(tz) ? [] : [invalid(f, tz, `unknown time zone ${tz}`)];
}

export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const cj = obj as CronJob;
  const errs = validateObjectMeta(cj.metadata, { namespaced: true });
  if (!cj.spec) return [...errs, required('spec')];
  const spec = cj.spec;
  const prev = (old as CronJob | undefined)?.spec;
  if (!spec.schedule) errs.push(required('spec.schedule'));
  else {
    const parseErr = cronScheduleError(spec.schedule);
    if (parseErr) errs.push(invalid('spec.schedule', spec.schedule, parseErr));
    const allowTZ = prev?.schedule?.includes('TZ') ?? false;
    if (allowTZ && spec.schedule.includes('TZ') && spec.timeZone !== undefined) errs.push(invalid('spec.schedule', spec.schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    else if (!allowTZ && spec.schedule.includes('TZ')) errs.push(invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  errs.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  if (!prev || prev.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone));
  if (!spec.concurrencyPolicy) errs.push(required('spec.concurrencyPolicy'));
  else errs.push(...oneOf('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
  const jt = spec.jobTemplate?.spec;
  if (!jt) errs.push(required('spec.jobTemplate.spec.template'));
  else {
    errs.push(...validateJobSpecFields(jt, 'spec.jobTemplate.spec'));
    if (jt.selector) errs.push(invalid('spec.jobTemplate.spec.selector', jt.selector, '`selector` will be auto-generated'));
    if (jt.manualSelector === true) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  }
  errs.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  errs.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  if (!old && (cj.metadata.name ?? '').length > 52) errs.push(invalid('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
  return errs;
}
