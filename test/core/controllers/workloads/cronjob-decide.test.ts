/** Table tests of the CronJob controller's pure decisions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from '../../../../core/api/index.js';
import { decideCronJob, historyToDelete, jobNameFor, rfc3339In, scheduleView, syncActive } from '../../../../core/controllers/workloads/index.js';
import { iso } from './fixtures.js';

const t = (s: string): number => Date.parse(s);

function cj(spec: Partial<CronJob['spec']> = {}, status?: CronJob['status'], created = '2026-01-01T00:00:30Z'): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello', namespace: 'default', uid: 'cj-uid', creationTimestamp: created },
    spec: { schedule: '*/1 * * * *', concurrencyPolicy: 'Allow', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c' }], restartPolicy: 'OnFailure' } } } }, ...spec },
    ...(status ? { status } : {}),
  };
}

function job(name: string, done?: 'Complete' | 'Failed', started = '2026-01-01T00:00:00Z'): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: started },
    spec: { template: { spec: { containers: [{ name: 'c' }] } } },
    status: { startTime: started, ...(done ? { conditions: [{ type: done, status: 'True' }], ...(done === 'Complete' ? { completionTime: started } : {}) } : {}) },
  };
}

describe('schedule view', () => {
  const cases = [
    { description: 'before the first due time: nothing to run, next at the minute', c: cj(), now: '2026-01-01T00:00:50Z', want: { missed: 0, next: '2026-01-01T00:01:00.000Z' } },
    { description: 'one due time passed', c: cj(), now: '2026-01-01T00:01:10Z', want: { mostRecent: '2026-01-01T00:01:00.000Z', missed: 1, next: '2026-01-01T00:02:00.000Z' } },
    { description: 'three missed: the latest is the one to run', c: cj({}, { lastScheduleTime: '2026-01-01T00:01:00Z' }), now: '2026-01-01T00:04:30Z', want: { mostRecent: '2026-01-01T00:04:00.000Z', missed: 3, next: '2026-01-01T00:05:00.000Z' } },
    { description: 'startingDeadlineSeconds hides due times older than the deadline', c: cj({ startingDeadlineSeconds: 20 }), now: '2026-01-01T00:04:30Z', want: { missed: 0, next: '2026-01-01T00:05:00.000Z' } },
    { description: 'a time zone: 09:00 in Tokyo is 00:00 UTC', c: cj({ schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }), now: '2026-01-01T00:00:40Z', want: { missed: 0, next: '2026-01-02T00:00:00.000Z' } },
  ];
  for (const c of cases) {
    test(c.description, () => {
      const v = scheduleView(c.c, t(c.now));
      assert.deepEqual({ ...(v.mostRecent !== undefined ? { mostRecent: iso(v.mostRecent).replace('Z', '.000Z') } : {}), missed: v.missed, next: new Date(v.next).toISOString() }, c.want);
    });
  }
});

describe('names, timestamps, bookkeeping', () => {
  test('job names carry the scheduled minutes since the epoch', () => assert.equal(jobNameFor(cj(), t('2026-01-01T00:05:00Z')), `hello-${t('2026-01-01T00:05:00Z') / 60_000}`));
  test('the scheduled timestamp is written in the CronJob\'s zone', () => {
    assert.equal(rfc3339In(t('2026-01-01T00:00:00Z'), 'Asia/Tokyo'), '2026-01-01T09:00:00+09:00');
    assert.equal(rfc3339In(t('2026-07-01T12:00:00Z'), 'America/New_York'), '2026-07-01T08:00:00-04:00');
    assert.equal(rfc3339In(t('2026-01-01T00:00:00Z'), undefined), '2026-01-01T00:00:00Z');
  });
  test('finished Jobs leave active (SawCompletedJob), unknown running ones join (UnexpectedJob), lost ones go (MissingJob)', () => {
    const c = cj({}, { active: [{ kind: 'Job', name: 'a', uid: 'uid-a' }, { kind: 'Job', name: 'gone', uid: 'uid-gone' }] });
    const r = syncActive(c, [job('a', 'Complete'), job('b')]);
    assert.deepEqual(r.status.active?.map((a) => a.name), ['b']);
    assert.deepEqual(r.events.map((e) => e.reason), ['SawCompletedJob', 'UnexpectedJob', 'MissingJob']);
    assert.equal(r.events[0]?.message, 'Saw completed job: a, status: Complete');
    assert.equal(r.status.lastSuccessfulTime, '2026-01-01T00:00:00Z');
  });
  test('history limits keep the newest finished Jobs of each kind', () => {
    const jobs = [job('s1', 'Complete', '2026-01-01T00:01:00Z'), job('s2', 'Complete', '2026-01-01T00:02:00Z'), job('s3', 'Complete', '2026-01-01T00:03:00Z'), job('f1', 'Failed', '2026-01-01T00:01:30Z'), job('f2', 'Failed', '2026-01-01T00:02:30Z'), job('run')];
    assert.deepEqual(historyToDelete(cj({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }), jobs).map((j) => j.metadata.name), ['s1', 'f1']);
  });
});

describe('decideCronJob', () => {
  const now = t('2026-01-01T00:02:05Z');
  const running = job('hello-old');
  const active = { active: [{ kind: 'Job', name: 'hello-old', uid: 'uid-hello-old' }], lastScheduleTime: '2026-01-01T00:01:00Z' };
  test('Allow: a new Job beside the running one', () => {
    const d = decideCronJob(cj({}, active), [running], now);
    assert.equal(d.create?.metadata.name, `hello-${t('2026-01-01T00:02:00Z') / 60_000}`);
    assert.equal(d.create?.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T00:02:00Z');
    assert.deepEqual(d.replace, []);
  });
  test('Forbid: nothing while one runs', () => {
    const d = decideCronJob(cj({ concurrencyPolicy: 'Forbid' }, active), [running], now);
    assert.equal(d.create, undefined);
    assert.deepEqual(d.events.map((e) => e.reason), ['JobAlreadyActive']);
  });
  test('Replace: the running Job goes, a new one comes', () => {
    const d = decideCronJob(cj({ concurrencyPolicy: 'Replace' }, active), [running], now);
    assert.deepEqual(d.replace.map((j) => j.metadata.name), ['hello-old']);
    assert.ok(d.create);
  });
  test('suspended: nothing', () => assert.equal(decideCronJob(cj({ suspend: true }, active), [running], now).create, undefined));
  test('requeue: just after the next due time', () => assert.equal(decideCronJob(cj({}, { lastScheduleTime: '2026-01-01T00:02:00Z' }), [], now).requeueAfterMs, 55_000 + 100));
});
