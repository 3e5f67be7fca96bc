/** The Job controller against a real in-process API server, with a stand-in node agent and a fake clock that runs ~10× real time. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, Pod } from '../../../../core/api/index.js';
import { GarbageCollector } from '../../../../core/controllers/index.js';
import { JobController, TtlAfterFinishedController } from '../../../../core/controllers/workloads/index.js';
import type { FakeClock } from '../../../../core/util/index.js';
import { silentLogger } from '../../../../core/util/index.js';
import { eventually, listEvents, pods, startEnv } from './harness.js';
import type { Env } from './harness.js';
import { batchKubelet, conditionOf, jobs, makeJob, tickingClock } from './job-support.js';

const jobName = (p: Pod): string => p.metadata.labels?.['batch.kubernetes.io/job-name'] ?? '';

describe('the Job controller', () => {
  const stop = new AbortController();
  let env: Env;
  let clock: FakeClock;
  /** Exit code per pod: by job name, optionally by how many pods of that job came before. */
  const seen = new Map<string, string[]>();
  const exitCodes: Record<string, (nth: number) => number | undefined> = {
    par: () => 0, idx: () => 0, fail: () => 1, deadline: () => undefined, ttl: () => 0, suspended: () => 0,
    fatal: () => 42, ignored: (n) => (n === 0 ? 3 : 0), onfailure: () => 0,
  };

  before(async () => {
    clock = tickingClock(stop.signal);
    env = await startEnv(clock);
    const signal = AbortSignal.any([env.signal, stop.signal]);
    const opts = { client: env.client, informers: env.informers, clock, log: silentLogger };
    void new JobController({ ...opts, recorder: env.recorder }).start(signal);
    void new TtlAfterFinishedController(opts).start(signal);
    void new GarbageCollector({ ...opts, recheckMs: 50 }).start(signal);
    void batchKubelet(env.client, clock, signal, (p) => {
      const list = seen.get(jobName(p)) ?? [];
      if (!list.includes(p.metadata.uid ?? '')) list.push(p.metadata.uid ?? '');
      seen.set(jobName(p), list);
      return exitCodes[jobName(p)]?.(list.indexOf(p.metadata.uid ?? ''));
    });
  });
  after(async () => {
    stop.abort();
    await env.close();
  });

  const get = (name: string): Promise<Job> => env.client.get<Job>(jobs, 'default', name);
  const podsOf = async (name: string): Promise<Pod[]> => (await env.client.list<Pod>(pods, { namespace: 'default', labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
  const finished = (name: string, type: 'Complete' | 'Failed'): Promise<Job> => eventually(async () => {
    const j = await get(name);
    return conditionOf(j, type)?.status === 'True' ? j : undefined;
  }, `${name} ${type}`, 30_000);

  test('completions 5, parallelism 2: exactly 5 pods succeed, never more than 2 running at once (seen through a watch)', async () => {
    const watchStop = new AbortController();
    const running = new Set<string>();
    const succeeded = new Set<string>();
    let maxRunning = 0;
    const watch = await env.client.watch<Pod>(pods, { namespace: 'default', labelSelector: 'batch.kubernetes.io/job-name=par', signal: watchStop.signal });
    const watching = (async () => {
      for await (const ev of watch) {
        const p = ev.object;
        const uid = p.metadata.uid ?? '';
        const live = ev.type !== 'DELETED' && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
        if (live) running.add(uid);
        else running.delete(uid);
        if (p.status?.phase === 'Succeeded') succeeded.add(uid);
        maxRunning = Math.max(maxRunning, running.size);
      }
    })().catch(() => undefined);
    await env.client.create(jobs, makeJob('par', { completions: 5, parallelism: 2 }));
    const job = await finished('par', 'Complete');
    await new Promise((r) => setTimeout(r, 300));
    watchStop.abort();
    await watching;
    assert.equal(succeeded.size, 5, 'five pods succeeded');
    assert.equal(maxRunning, 2, 'two at a time, never more');
    assert.equal((await podsOf('par')).length, 5, 'no sixth pod');
    assert.equal(job.status?.succeeded, 5);
    assert.equal(job.status?.active, 0);
    assert.equal(job.status?.failed ?? 0, 0);
    assert.ok(job.status?.startTime && job.status.completionTime);
    assert.deepEqual(job.status?.uncountedTerminatedPods, {});
    assert.deepEqual(conditionOf(job, 'SuccessCriteriaMet'), { ...conditionOf(job, 'SuccessCriteriaMet'), status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    assert.equal(conditionOf(job, 'Complete')?.reason, 'CompletionsReached');
    assert.ok((job.status?.conditions ?? []).findIndex((c) => c.type === 'SuccessCriteriaMet') < (job.status?.conditions ?? []).findIndex((c) => c.type === 'Complete'));
    for (const p of await podsOf('par')) {
      assert.deepEqual(p.metadata.finalizers ?? [], [], 'tracking finalizer removed once counted');
      assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'Job');
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/controller-uid'], job.metadata.uid);
    }
    const events = await eventually(async () => {
      const evs = (await listEvents(env.client)).filter((e) => e.involvedObject.name === 'par');
      return evs.some((e) => e.reason === 'Completed') ? evs : undefined;
    }, 'Completed event');
    assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 5);
    assert.equal(events.find((e) => e.reason === 'Completed')?.message, 'Job completed');
  });

  test('an Indexed Job runs each index 0–4 once, with the index as annotation, label, env and hostname', async () => {
    await env.client.create(jobs, makeJob('idx', { completions: 5, parallelism: 3, completionMode: 'Indexed' }));
    const job = await finished('idx', 'Complete');
    const ps = await podsOf('idx');
    assert.deepEqual(ps.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2', '3', '4']);
    for (const p of ps) {
      const ix = p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] ?? '';
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(p.spec.hostname, `idx-${ix}`);
      assert.match(p.metadata.name ?? '', new RegExp(`^idx-${ix}-`));
      assert.deepEqual(p.spec.containers[0]?.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
    }
    assert.equal(job.status?.completedIndexes, '0-4');
    assert.equal(job.status?.succeeded, 5);
  });

  test('a failing Job stops at backoffLimit with Failed/BackoffLimitExceeded, waiting 10 s then 20 s between retries', async () => {
    const created: number[] = [];
    const watchStop = new AbortController();
    const watch = await env.client.watch<Pod>(pods, { namespace: 'default', labelSelector: 'batch.kubernetes.io/job-name=fail', signal: watchStop.signal });
    const watching = (async () => { for await (const ev of watch) if (ev.type === 'ADDED') created.push(clock.now()); })().catch(() => undefined);
    await env.client.create(jobs, makeJob('fail', { backoffLimit: 2 }));
    const job = await finished('fail', 'Failed');
    watchStop.abort();
    await watching;
    assert.equal(created.length, 3, 'backoffLimit 2: the first try and two retries');
    const [a = 0, b = 0, c = 0] = created;
    assert.ok(b - a >= 10_000, `first retry after ≥10 s (was ${b - a} ms)`);
    assert.ok(c - b >= 20_000, `second retry after ≥20 s (was ${c - b} ms)`);
    assert.equal(job.status?.failed, 3);
    assert.equal(job.status?.succeeded ?? 0, 0);
    for (const type of ['FailureTarget', 'Failed']) {
      assert.deepEqual([conditionOf(job, type)?.status, conditionOf(job, type)?.reason, conditionOf(job, type)?.message], ['True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
    }
    assert.equal(job.status?.completionTime, undefined);
    await eventually(async () => (await listEvents(env.client)).some((e) => e.involvedObject.name === 'fail' && e.reason === 'BackoffLimitExceeded' && e.type === 'Warning'), 'BackoffLimitExceeded event');
  });

  test('activeDeadlineSeconds fails the Job with DeadlineExceeded and stops its pods', async () => {
    await env.client.create(jobs, makeJob('deadline', { activeDeadlineSeconds: 5, parallelism: 2, completions: 4 }));
    const job = await finished('deadline', 'Failed');
    assert.deepEqual([conditionOf(job, 'Failed')?.reason, conditionOf(job, 'Failed')?.message], ['DeadlineExceeded', 'Job was active longer than specified deadline']);
    const start = Date.parse(job.status?.startTime ?? '');
    const failedAt = Date.parse(conditionOf(job, 'FailureTarget') ? (job.status?.conditions?.find((c) => c.type === 'FailureTarget')?.lastTransitionTime ?? '') : '');
    assert.ok(failedAt - start >= 5_000, 'not before the deadline');
    assert.equal(job.status?.active, 0);
    await eventually(async () => (await podsOf('deadline')).length === 0, 'running pods deleted once the finalizer is released');
  });

  test('podFailurePolicy FailJob on exit code 42 fails the Job at once, before backoffLimit', async () => {
    await env.client.create(jobs, makeJob('fatal', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] } }));
    const job = await finished('fatal', 'Failed');
    const [pod] = await podsOf('fatal');
    assert.equal(conditionOf(job, 'Failed')?.reason, 'PodFailurePolicy');
    assert.equal(conditionOf(job, 'Failed')?.message, `Container main for pod default/${pod?.metadata.name ?? ''} failed with exit code 42 matching FailJob rule at index 0`);
    assert.equal(job.status?.failed, 1);
    assert.equal((await podsOf('fatal')).length, 1, 'no retry');
  });

  test('podFailurePolicy Ignore does not count the failure; the retry succeeds and the Job completes with failed 0', async () => {
    await env.client.create(jobs, makeJob('ignored', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }] } }));
    const job = await finished('ignored', 'Complete');
    assert.equal(job.status?.failed ?? 0, 0);
    assert.equal(job.status?.succeeded, 1);
    assert.equal((await podsOf('ignored')).length, 2);
  });

  test('a suspended Job creates no pods until resumed', async () => {
    await env.client.create(jobs, makeJob('suspended', { suspend: true }));
    const suspended = await eventually(async () => {
      const j = await get('suspended');
      return conditionOf(j, 'Suspended')?.status === 'True' ? j : undefined;
    }, 'Suspended condition');
    assert.deepEqual([conditionOf(suspended, 'Suspended')?.reason, conditionOf(suspended, 'Suspended')?.message], ['JobSuspended', 'Job suspended']);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await podsOf('suspended')).length, 0);
    assert.equal(suspended.status?.startTime, undefined);
    await env.client.patch(jobs, 'default', 'suspended', { spec: { suspend: false } }, 'merge');
    const job = await finished('suspended', 'Complete');
    assert.deepEqual([conditionOf(job, 'Suspended')?.status, conditionOf(job, 'Suspended')?.reason], ['False', 'JobResumed']);
  });

  test('ttlSecondsAfterFinished deletes the Job and its pods', async () => {
    await env.client.create(jobs, makeJob('ttl', { ttlSecondsAfterFinished: 3 }));
    const job = await finished('ttl', 'Complete');
    assert.equal((await podsOf('ttl')).length, 1);
    await eventually(async () => {
      const gone = await get('ttl').then(() => false, () => true);
      return gone && (await podsOf('ttl')).length === 0;
    }, 'job and pods deleted', 20_000);
    assert.ok(clock.now() - Date.parse(job.status?.completionTime ?? '') >= 3_000, 'not before the TTL');
  });
});
