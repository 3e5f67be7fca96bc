/** Schemas for batch/v1 Job and CronJob. */
import { atomicList, bool, choice, int, mergeKeyOnly, obj, str, time } from './dsl.js';
import { condition, kindSchema, labelSelector, objectMeta, objectReference } from './meta.js';
import { podTemplateSpec } from './pod.js';

const podFailurePolicyRule = obj({
  action: choice(['Count', 'FailIndex', 'FailJob', 'Ignore']),
  onExitCodes: obj({ containerName: str(), operator: choice(['In', 'NotIn']), values: { type: 'array', items: int(), 'x-kubernetes-list-type': 'set' } }, ['operator', 'values']),
  onPodConditions: atomicList(obj({ type: str(), status: str() }, ['type'])),
}, ['action']);

export const jobSpec = obj({
  parallelism: int(),
  completions: int(),
  activeDeadlineSeconds: { type: 'integer', format: 'int64' },
  podFailurePolicy: obj({ rules: atomicList(podFailurePolicyRule) }, ['rules']),
  successPolicy: obj({ rules: atomicList(obj({ succeededIndexes: str(), succeededCount: int() })) }, ['rules']),
  backoffLimit: int(),
  backoffLimitPerIndex: int(),
  maxFailedIndexes: int(),
  selector: labelSelector,
  manualSelector: bool(),
  template: podTemplateSpec,
  ttlSecondsAfterFinished: int(),
  completionMode: choice(['Indexed', 'NonIndexed']),
  suspend: bool(),
  podReplacementPolicy: choice(['Failed', 'TerminatingOrFailed']),
  managedBy: str(),
}, ['template']);

export const jobSchema = kindSchema({
  spec: jobSpec,
  status: obj({
    conditions: mergeKeyOnly(condition, 'type'),
    startTime: time(), completionTime: time(),
    active: int(), succeeded: int(), failed: int(), terminating: int(), ready: int(),
    completedIndexes: str(), failedIndexes: str(),
    uncountedTerminatedPods: obj({ succeeded: { type: 'array', items: str(), 'x-kubernetes-list-type': 'set' }, failed: { type: 'array', items: str(), 'x-kubernetes-list-type': 'set' } }),
  }),
});

export const cronJobSchema = kindSchema({
  spec: obj({
    schedule: str(),
    timeZone: str(),
    startingDeadlineSeconds: { type: 'integer', format: 'int64' },
    concurrencyPolicy: choice(['Allow', 'Forbid', 'Replace']),
    suspend: bool(),
    jobTemplate: obj({ metadata: objectMeta, spec: jobSpec }),
    successfulJobsHistoryLimit: int(),
    failedJobsHistoryLimit: int(),
  }, ['schedule', 'jobTemplate']),
  status: obj({
    active: atomicList(objectReference),
    lastScheduleTime: time(),
    lastSuccessfulTime: time(),
  }),
});
