/** The CronJob controller against a real in-process API server, under a fake clock the test steps minute by minute. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from '../../../../core/api/index.js';
import { CronJobController } from '../../../../core/controllers/workloads/index.js';
import { FakeClock, rfc3339, silentLogger } from '../../../../core/util/index.js';
import { eventually, listEvents, startEnv } from './harness.js';
import type { Env } from './harness.js';
import { cronjobs, jobs } from './job-support.js';

const minute = 60_000;

function cronJob(name: string, spec: Partial<CronJob['spec']> = {}): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 0'] }], restartPolicy: 'OnFailure' } } } },
      ...spec,
    },
  };
}

describe('the CronJob controller under a stepped clock', () => {
  let env: Env;
  // The store stamps creation with real time; the controller's clock starts 30 s into the current minute.
  const start = Math.floor(Date.now() / minute) * minute + 30_000;
  const clock = new FakeClock(start);
  const stop = new AbortController();
  before(async () => {
    env = await startEnv(clock);
    void new CronJobController({ client: env.client, informers: env.informers, recorder: env.recorder, clock, log: silentLogger }).start(AbortSignal.any([env.signal, stop.signal]));
  });
  after(async () => {
    stop.abort();
    await env.close();
  });

  const jobsOf = async (name: string): Promise<Job[]> =>
    (await env.client.list<Job>(jobs, { namespace: 'default' })).items.filter((j) => j.metadata.ownerReferences?.[0]?.name === name && !j.metadata.deletionTimestamp);
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 250));
  /** Steps the clock to `ms` (absolute), letting the controller wake at each requeue. */
  const stepTo = async (ms: number): Promise<void> => {
    await clock.advance(ms - clock.now());
    await settle();
  };
  const complete = async (j: Job): Promise<void> => {
    const now = rfc3339(clock.now());
    await env.client.updateStatus<Job>(jobs, { ...j, status: { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } });
  };
  const eventsOf = async (name: string, reason: string): Promise<number> => (await listEvents(env.client)).filter((e) => e.involvedObject.name === name && e.reason === reason).length;

  test('*/1 * * * *: one Job per minute, named <cronjob>-<minutes since the epoch>, with the scheduled-timestamp annotation', async () => {
    await env.client.create(cronjobs, cronJob('every', { successfulJobsHistoryLimit: 10 }));
    await settle();
    assert.equal((await jobsOf('every')).length, 0, 'nothing before the first minute');
    for (let i = 1; i <= 3; i++) {
      const due = start - 30_000 + i * minute;
      await stepTo(due + 1_000);
      const js = await eventually(async () => { const l = await jobsOf('every'); return l.length === i ? l : undefined; }, `${i} jobs`);
      const newest = js.find((j) => j.metadata.name === `every-${due / minute}`);
      assert.ok(newest, `job every-${due / minute}`);
      assert.equal(newest.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], rfc3339(due));
      assert.equal(newest.metadata.labels?.app, 'every');
      assert.deepEqual([newest.metadata.ownerReferences?.[0]?.kind, newest.metadata.ownerReferences?.[0]?.controller], ['CronJob', true]);
      await complete(newest);
    }
    const last = rfc3339(start - 30_000 + 3 * minute);
    const cj = await eventually(async () => {
      const c = await env.client.get<CronJob>(cronjobs, 'default', 'every');
      return c.status?.lastScheduleTime === last && c.status.lastSuccessfulTime && !c.status.active ? c : undefined;
    }, 'status after the third run');
    assert.ok(cj.status?.lastSuccessfulTime);
    assert.equal(await eventsOf('every', 'SuccessfulCreate'), 3);
    await eventually(async () => (await eventsOf('every', 'SawCompletedJob')) === 3, 'SawCompletedJob events');
    await env.client.patch(cronjobs, 'default', 'every', { spec: { suspend: true } }, 'merge');
  });

  test('Forbid skips a run while the previous Job is active; Replace deletes it and starts anew', async () => {
    const base = Math.floor(clock.now() / minute) * minute;
    await env.client.create(cronjobs, cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await env.client.create(cronjobs, cronJob('replace', { concurrencyPolicy: 'Replace' }));
    await stepTo(base + minute + 1_000);
    const [f1] = await eventually(async () => { const l = await jobsOf('forbid'); return l.length === 1 ? l : undefined; }, 'first forbid job');
    const [r1] = await eventually(async () => { const l = await jobsOf('replace'); return l.length === 1 ? l : undefined; }, 'first replace job');
    await stepTo(base + 2 * minute + 1_000);
    await eventually(async () => (await eventsOf('forbid', 'JobAlreadyActive')) >= 1, 'JobAlreadyActive event');
    assert.deepEqual((await jobsOf('forbid')).map((j) => j.metadata.name), [f1?.metadata.name], 'Forbid: no second job while the first runs');
    const replaced = await eventually(async () => { const l = await jobsOf('replace'); return l.length === 1 && l[0]?.metadata.name !== r1?.metadata.name ? l : undefined; }, 'replacement job');
    assert.equal(replaced[0]?.metadata.name, `replace-${(base + 2 * minute) / minute}`);
    assert.equal(await eventsOf('replace', 'SuccessfulDelete'), 1);
    // As in Kubernetes, the run Forbid held back starts (late) as soon as the first Job finishes.
    if (f1) await complete(f1);
    await eventually(async () => (await jobsOf('forbid')).some((j) => j.metadata.name === `forbid-${(base + 2 * minute) / minute}`), 'the held-back run once the first finished');
    for (const n of ['forbid', 'replace']) await env.client.patch(cronjobs, 'default', n, { spec: { suspend: true } }, 'merge');
  });

  test('a missed schedule older than startingDeadlineSeconds is skipped; without a deadline the latest missed run starts late', async () => {
    const base = Math.floor(clock.now() / minute) * minute;
    await env.client.create(cronjobs, cronJob('strict', { suspend: true, startingDeadlineSeconds: 30 }));
    await env.client.create(cronjobs, cronJob('lenient', { suspend: true }));
    // Both miss several minutes (suspended, as if the controller were down), then resume 45 s after a due time.
    await stepTo(base + 5 * minute + 45_000);
    for (const n of ['strict', 'lenient']) await env.client.patch(cronjobs, 'default', n, { spec: { suspend: false } }, 'merge');
    const late = await eventually(async () => { const l = await jobsOf('lenient'); return l.length === 1 ? l : undefined; }, 'the lenient job, late');
    assert.equal(late[0]?.metadata.name, `lenient-${(base + 5 * minute) / minute}`, 'only the most recent missed time runs');
    await settle();
    assert.equal((await jobsOf('strict')).length, 0, 'the run due 45 s ago is past the 30 s deadline');
    await stepTo(base + 6 * minute + 1_000);
    await eventually(async () => (await jobsOf('strict')).length === 1, 'strict runs at the next due time');
    for (const n of ['strict', 'lenient']) await env.client.patch(cronjobs, 'default', n, { spec: { suspend: true } }, 'merge');
  });

  test('more than 100 missed start times: a TooManyMissedTimes warning, and still one run', async () => {
    const cj = await env.client.create<CronJob>(cronjobs, cronJob('behind', { suspend: true }));
    await env.client.updateStatus<CronJob>(cronjobs, { ...cj, status: { lastScheduleTime: rfc3339(Math.floor(clock.now() / minute) * minute - 200 * minute) } });
    await env.client.patch(cronjobs, 'default', 'behind', { spec: { suspend: false } }, 'merge');
    await eventually(async () => (await eventsOf('behind', 'TooManyMissedTimes')) === 1, 'TooManyMissedTimes');
    await eventually(async () => (await jobsOf('behind')).length === 1, 'one job');
  });
});
