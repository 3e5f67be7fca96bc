/** Job and CronJob in core/api: cron schedules (robfig's syntax and messages, time zones), defaults, validation. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cronScheduleError, defaultCronJob, defaultJob, parseCronSchedule, prepareJobForCreate, validateCronJob, validateJob,
} from '../../../core/api/index.js';
import type { CronJob, FieldError, Job } from '../../../core/api/index.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('cron schedules', () => {
  const next: { description: string; schedule: string; tz?: string; after: string; want: string[] }[] = [
    { description: 'every minute', schedule: '*/1 * * * *', after: '2026-01-01T10:00:00Z', want: ['2026-01-01T10:01:00.000Z', '2026-01-01T10:02:00.000Z'] },
    { description: 'a time strictly after a matching one', schedule: '* * * * *', after: '2026-01-01T10:00:30Z', want: ['2026-01-01T10:01:00.000Z'] },
    { description: '@hourly', schedule: '@hourly', after: '2026-01-01T10:20:00Z', want: ['2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z'] },
    { description: '@daily and @midnight are the same', schedule: '@midnight', after: '2026-01-01T10:00:00Z', want: ['2026-01-02T00:00:00.000Z'] },
    { description: '@weekly runs on Sunday', schedule: '@weekly', after: '2026-01-01T00:00:00Z', want: ['2026-01-04T00:00:00.000Z'] },
    { description: '@monthly', schedule: '@monthly', after: '2026-01-15T00:00:00Z', want: ['2026-02-01T00:00:00.000Z'] },
    { description: '@yearly and @annually', schedule: '@annually', after: '2026-01-15T00:00:00Z', want: ['2027-01-01T00:00:00.000Z'] },
    { description: 'names of months and days, any case', schedule: '0 12 * JAN mon-Fri', after: '2026-01-02T13:00:00Z', want: ['2026-01-05T12:00:00.000Z'] },
    { description: 'a time zone (New York is UTC-5 in winter)', schedule: '0 9 * * *', tz: 'America/New_York', after: '2026-01-01T10:00:00Z', want: ['2026-01-01T14:00:00.000Z'] },
    { description: 'a time zone in summer time (UTC-4)', schedule: '0 9 * * *', tz: 'America/New_York', after: '2026-07-01T00:00:00Z', want: ['2026-07-01T13:00:00.000Z'] },
    { description: 'Asia/Kolkata is UTC+5:30', schedule: '30 0 * * *', tz: 'Asia/Kolkata', after: '2026-01-01T00:00:00Z', want: ['2026-01-01T19:00:00.000Z'] },
    { description: 'day of month OR day of week when both are set', schedule: '0 0 13 * 5', after: '2026-02-01T00:00:00Z', want: ['2026-02-06T00:00:00.000Z', '2026-02-13T00:00:00.000Z'] },
    { description: '@every 90m', schedule: '@every 1h30m', after: '2026-01-01T00:00:10Z', want: ['2026-01-01T01:30:10.000Z'] },
  ];
  for (const c of next) {
    test(`next: ${c.description}`, () => {
      const s = parseCronSchedule(c.schedule, c.tz);
      let t = at(c.after);
      for (const want of c.want) {
        t = s.next(t);
        assert.equal(iso(t), want);
      }
    });
  }

  const errors: { schedule: string; want: string | undefined }[] = [
    { schedule: '*/5 * * * *', want: undefined },
    { schedule: '0 0 ? * *', want: undefined },
    { schedule: '1,2,5-10/2 * * * *', want: undefined },
    { schedule: '* * * *', want: 'expected exactly 5 fields, found 4: [* * * *]' },
    { schedule: '0 * * * * *', want: 'expected exactly 5 fields, found 6: [0 * * * * *]' },
    { schedule: '60 * * * *', want: 'end of range (60) above maximum (59): 60' },
    { schedule: '0 0 0 * *', want: 'beginning of range (0) below minimum (1): 0' },
    { schedule: '0 0 * * 7', want: 'end of range (7) above maximum (6): 7' },
    { schedule: '5-1 * * * *', want: 'beginning of range (5) beyond end of range (1): 5-1' },
    { schedule: 'x * * * *', want: 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax' },
    { schedule: '*/0 * * * *', want: 'step of range should be a positive number: */0' },
    { schedule: '1-2-3 * * * *', want: 'too many hyphens: 1-2-3' },
    { schedule: '*/2/3 * * * *', want: 'too many slashes: */2/3' },
    { schedule: '0 0 L * *', want: 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax' },
    { schedule: '@minutely', want: 'unrecognized descriptor: @minutely' },
    { schedule: '@every x', want: 'failed to parse duration @every x: time: invalid duration "x"' },
  ];
  for (const c of errors) {
    test(`parse ${JSON.stringify(c.schedule)} → ${c.want ?? 'ok'}`, () => assert.equal(cronScheduleError(c.schedule), c.want));
  }
});

function fields(errs: FieldError[]): string[] {
  return errs.map((e) => `${e.field}: ${e.message}`);
}

function job(change: (j: Job) => void = () => {}): Job {
  const j: Job = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl', command: ['perl'] }], restartPolicy: 'Never' } } },
  };
  change(j);
  defaultJob(j);
  return j;
}

function cronJob(change: (c: CronJob) => void = () => {}): CronJob {
  const c: CronJob = {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello', namespace: 'default' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } },
  };
  change(c);
  defaultCronJob(c);
  return c;
}

describe('Job defaults and generated selector', () => {
  test('completions and parallelism 1, backoffLimit 6, NonIndexed, not suspended, TerminatingOrFailed', () => {
    const j = job();
    assert.deepEqual([j.spec.completions, j.spec.parallelism, j.spec.backoffLimit, j.spec.completionMode, j.spec.suspend, j.spec.podReplacementPolicy], [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed']);
  });
  test('parallelism alone leaves completions unset; a pod failure policy makes replacement Failed and condition status True', () => {
    const j = job((x) => {
      x.spec.parallelism = 3;
      x.spec.podFailurePolicy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
    });
    assert.equal(j.spec.completions, undefined);
    assert.equal(j.spec.podReplacementPolicy, 'Failed');
    assert.equal(j.spec.podFailurePolicy?.rules[0]?.onPodConditions?.[0]?.status, 'True');
  });
  test('prepareForCreate labels the template and selects the controller uid', () => {
    const j = job();
    j.metadata.uid = 'u-1';
    prepareJobForCreate(j);
    assert.deepEqual(j.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    assert.deepEqual(j.spec.template.metadata?.labels, { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi' });
    assert.deepEqual(j.metadata.labels, j.spec.template.metadata?.labels);
    assert.deepEqual(validateJob(j, j), []);
  });
  test('manualSelector keeps the user selector', () => {
    const j = job((x) => {
      x.spec.manualSelector = true;
      x.spec.selector = { matchLabels: { app: 'x' } };
      x.spec.template.metadata = { labels: { app: 'x' } };
    });
    j.metadata.uid = 'u-2';
    prepareJobForCreate(j);
    assert.deepEqual(j.spec.selector, { matchLabels: { app: 'x' } });
    assert.deepEqual(validateJob(j), []);
  });
});

describe('Job validation', () => {
  const cases: { description: string; change: (j: Job) => void; want: string[] }[] = [
    { description: 'the pi example is valid', change: () => {}, want: [] },
    { description: 'restartPolicy defaults to Always, which a Job refuses', change: (j) => { delete j.spec.template.spec?.restartPolicy; }, want: ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'] },
    { description: 'negative counts', change: (j) => { j.spec.completions = -1; j.spec.backoffLimit = -2; }, want: ['spec.completions: Invalid value: -1: must be greater than or equal to 0', 'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0'] },
    { description: 'Indexed needs completions', change: (j) => { j.spec.completionMode = 'Indexed'; j.spec.parallelism = 2; }, want: ['spec.completions: Required value: when completion mode is Indexed'] },
    { description: 'unknown completion mode', change: (j) => { j.spec.completionMode = 'Sparse' as 'Indexed'; }, want: ['spec.completionMode: Unsupported value: "Sparse": supported values: "NonIndexed", "Indexed"'] },
    { description: 'a selector without manualSelector', change: (j) => { j.spec.selector = { matchLabels: { a: 'b' } }; j.spec.template.metadata = { labels: { a: 'b' } }; }, want: ['spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` not auto-generated'] },
    { description: 'podFailurePolicy needs restartPolicy Never', change: (j) => { if (j.spec.template.spec) j.spec.template.spec.restartPolicy = 'OnFailure'; j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] }; }, want: ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'] },
    {
      description: 'podFailurePolicy rules: 0 with In, unordered, unknown container, both requirements',
      change: (j) => {
        j.spec.podFailurePolicy = { rules: [
          { action: 'FailJob', onExitCodes: { containerName: 'nope', operator: 'In', values: [3, 0] } },
          { action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          { action: 'Restart' as 'Count' },
        ] };
      },
      want: [
        'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
        'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
        'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,0]: must be ordered',
        'spec.podFailurePolicy.rules[1]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
        'spec.podFailurePolicy.rules[2].action: Unsupported value: "Restart": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
        'spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
      ],
    },
    { description: 'an Indexed hostname that is no DNS label', change: (j) => { j.metadata.name = 'a'.repeat(62); j.spec.completionMode = 'Indexed'; j.spec.completions = 10; }, want: [`metadata.name: Invalid value: "${'a'.repeat(62)}": will not able to create pod with invalid DNS label: ${'a'.repeat(62)}-9`] },
  ];
  for (const c of cases) {
    test(c.description, () => {
      const j = job(c.change);
      assert.deepEqual(fields(validateJob(j)).sort(), [...c.want].sort());
    });
  }
  test('updates may not change completions, template or the failure policy; suspend may change', () => {
    const old = job();
    old.metadata.uid = 'u';
    prepareJobForCreate(old);
    const next = structuredClone(old);
    next.spec.suspend = true;
    assert.deepEqual(validateJob(next, old), []);
    next.spec.completions = 3;
    const image = next.spec.template.spec?.containers[0];
    if (image) image.image = 'perl:2';
    assert.deepEqual(fields(validateJob(next, old)).map((s) => s.split(':')[0]).sort(), ['spec.completions', 'spec.template']);
  });
});

describe('CronJob validation (422 naming the field)', () => {
  const cases: { description: string; change: (c: CronJob) => void; want: string[] }[] = [
    { description: 'the hello example is valid', change: () => {}, want: [] },
    { description: 'a time zone', change: (c) => { c.spec.timeZone = 'Europe/Berlin'; }, want: [] },
    { description: 'schedule required', change: (c) => { c.spec.schedule = ''; }, want: ['spec.schedule: Required value'] },
    { description: 'a bad schedule', change: (c) => { c.spec.schedule = '*/5 * * *'; }, want: ['spec.schedule: Invalid value: "*/5 * * *": expected exactly 5 fields, found 4: [*/5 * * *]'] },
    { description: 'CRON_TZ in the schedule', change: (c) => { c.spec.schedule = 'CRON_TZ=UTC 0 * * * *'; }, want: ['spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'] },
    { description: 'an unknown time zone', change: (c) => { c.spec.timeZone = 'Mars/Olympus'; }, want: ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'] },
    { description: 'a time zone spelled in the wrong case', change: (c) => { c.spec.timeZone = 'europe/berlin'; }, want: ['spec.timeZone: Invalid value: "europe/berlin": unknown time zone europe/berlin'] },
    { description: 'Local is refused', change: (c) => { c.spec.timeZone = 'Local'; }, want: ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'] },
    { description: 'an empty time zone', change: (c) => { c.spec.timeZone = ''; }, want: ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'] },
    { description: 'a bad concurrency policy', change: (c) => { c.spec.concurrencyPolicy = 'Sometimes' as 'Allow'; }, want: ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'] },
    { description: 'negative deadline and history', change: (c) => { c.spec.startingDeadlineSeconds = -1; c.spec.failedJobsHistoryLimit = -1; }, want: ['spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0', 'spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0'] },
    { description: 'the job template may not carry a selector', change: (c) => { c.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } }; }, want: ['spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated'] },
    { description: 'the job template restart policy', change: (c) => { const s = c.spec.jobTemplate.spec.template.spec; if (s) s.restartPolicy = 'Always'; }, want: ['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'] },
    { description: 'names longer than 52 characters', change: (c) => { c.metadata.name = 'c'.repeat(53); }, want: [`metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters`] },
  ];
  for (const c of cases) {
    test(c.description, () => assert.deepEqual(fields(validateCronJob(cronJob(c.change))).sort(), [...c.want].sort()));
  }
  test('defaults: Allow, not suspended, history 3 and 1', () => {
    const c = cronJob();
    assert.deepEqual([c.spec.concurrencyPolicy, c.spec.suspend, c.spec.successfulJobsHistoryLimit, c.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  });
  test('an update keeping an old TZ= schedule is allowed, unless timeZone is set too', () => {
    const old = cronJob((c) => { c.spec.schedule = 'TZ=UTC 0 * * * *'; });
    const next = structuredClone(old);
    next.spec.suspend = true;
    assert.deepEqual(validateCronJob(next, old), []);
    next.spec.timeZone = 'UTC';
    assert.deepEqual(fields(validateCronJob(next, old)), ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule']);
  });
});
