/** Table tests of the Job controller's pure decisions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, Pod } from '../../../../core/api/index.js';
import {
  accountFinishedPods, backoffRemainingMs, decideJob, formatIndexes, jobTrackingFinalizer, matchPodFailurePolicy, parseIndexes, ttlExpiry,
} from '../../../../core/controllers/workloads/index.js';
import { iso, t0 } from './fixtures.js';

function job(spec: Partial<Job['spec']> = {}, status?: Job['status']): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default', uid: 'job-uid' },
    spec: { completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: { spec: { containers: [{ name: 'main' }], restartPolicy: 'Never' } }, ...spec },
    ...(status ? { status } : {}),
  };
}

function pod(name: string, phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed', opts: { exit?: number; finished?: number; finalizer?: boolean; index?: number; deleting?: boolean; conditions?: { type: string; status: 'True' | 'False' }[] } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: iso(t0),
      ...(opts.finalizer === false ? {} : { finalizers: [jobTrackingFinalizer] }),
      ...(opts.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(opts.index) } } : {}),
      ...(opts.deleting ? { deletionTimestamp: iso(t0) } : {}),
    },
    spec: { containers: [{ name: 'main' }] },
    status: {
      phase,
      ...(opts.conditions ? { conditions: opts.conditions } : {}),
      containerStatuses: [{ name: 'main', ready: phase === 'Running', restartCount: 0, image: 'x', imageID: '', state: opts.exit !== undefined ? { terminated: { exitCode: opts.exit, finishedAt: iso(opts.finished ?? t0) } } : { running: {} } }],
    },
  };
}

describe('accounting finished pods', () => {
  test('a finished pod is recorded in uncountedTerminatedPods before its finalizer may go', () => {
    const a = accountFinishedPods(job(), [pod('a', 'Succeeded', { exit: 0 }), pod('b', 'Failed', { exit: 1 }), pod('c', 'Running')]);
    assert.deepEqual(a.status.uncountedTerminatedPods, { succeeded: ['uid-a'], failed: ['uid-b'] });
    assert.deepEqual([a.status.succeeded, a.status.failed], [0, 0]);
    assert.deepEqual(a.removeFinalizers.map((p) => p.metadata.name), ['a', 'b']);
  });
  test('once the finalizer is gone (or the pod too) the uid moves to the counters', () => {
    const j = job({}, { succeeded: 1, failed: 0, uncountedTerminatedPods: { succeeded: ['uid-a'], failed: ['uid-b'] } });
    const a = accountFinishedPods(j, [pod('a', 'Succeeded', { exit: 0, finalizer: false })]);
    assert.deepEqual([a.status.succeeded, a.status.failed, a.status.uncountedTerminatedPods], [2, 1, {}]);
  });
  test('a pod deleted before it finished counts as failed (TerminatingOrFailed), not with podReplacementPolicy Failed', () => {
    assert.deepEqual(accountFinishedPods(job(), [pod('a', 'Running', { deleting: true })]).status.uncountedTerminatedPods, { failed: ['uid-a'] });
    assert.deepEqual(accountFinishedPods(job({ podReplacementPolicy: 'Failed' }), [pod('a', 'Running', { deleting: true })]).status.uncountedTerminatedPods, {});
  });
  test('Indexed: succeeded pods go straight into completedIndexes', () => {
    const j = job({ completionMode: 'Indexed', completions: 5 }, { completedIndexes: '0,4', succeeded: 2 });
    const a = accountFinishedPods(j, [pod('a', 'Succeeded', { exit: 0, index: 2 }), pod('b', 'Succeeded', { exit: 0, index: 3 })]);
    assert.deepEqual([a.status.completedIndexes, a.status.succeeded], ['0,2-4', 4]);
  });
});

describe('pod failure policy', () => {
  const policy = { rules: [
    { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' as const }] },
    { action: 'FailJob' as const, onExitCodes: { operator: 'In' as const, values: [42] } },
    { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1, 2] } },
  ] };
  const cases = [
    { description: 'exit 42 → FailJob with Kubernetes\' message', p: pod('x', 'Failed', { exit: 42 }), want: { action: 'FailJob', message: 'Container main for pod default/x failed with exit code 42 matching FailJob rule at index 1' } },
    { description: 'a disruption condition → Ignore', p: pod('x', 'Failed', { exit: 137, conditions: [{ type: 'DisruptionTarget', status: 'True' }] }), want: { action: 'Ignore' } },
    { description: 'exit 7 (NotIn 1,2) → Count', p: pod('x', 'Failed', { exit: 7 }), want: { action: 'Count' } },
    { description: 'exit 1 matches nothing → Count', p: pod('x', 'Failed', { exit: 1 }), want: { action: 'Count' } },
  ];
  for (const c of cases) test(c.description, () => assert.deepEqual(matchPodFailurePolicy(job({ podFailurePolicy: policy }), c.p), c.want));
});

describe('back-off between retries', () => {
  const cases = [
    { description: 'no failure: no wait', pods: [pod('a', 'Running')], now: t0, want: 0 },
    { description: 'one failure 4 s ago: 6 s left of 10', pods: [pod('a', 'Failed', { exit: 1, finished: t0 })], now: t0 + 4_000, want: 6_000 },
    { description: 'two failures: 20 s after the last', pods: [pod('a', 'Failed', { exit: 1, finished: t0 }), pod('b', 'Failed', { exit: 1, finished: t0 + 15_000 })], now: t0 + 15_000, want: 20_000 },
    { description: 'seven failures: capped at 10 minutes', pods: Array.from({ length: 7 }, (_, i) => pod(`f${i}`, 'Failed', { exit: 1, finished: t0 + i })), now: t0 + 6, want: 600_000 },
    { description: 'failures before the last success do not count', pods: [pod('a', 'Failed', { exit: 1, finished: t0 }), pod('b', 'Succeeded', { exit: 0, finished: t0 + 1_000 })], now: t0 + 2_000, want: 0 },
  ];
  for (const c of cases) test(c.description, () => assert.equal(backoffRemainingMs(job(), c.pods, c.now), c.want));
});

describe('decideJob', () => {
  test('parallelism caps the pods created; completions minus succeeded caps them too', () => {
    assert.equal(decideJob(job({ completions: 5, parallelism: 2 }), [], t0).create.count, 2);
    assert.equal(decideJob(job({ completions: 5, parallelism: 3 }, { succeeded: 3 }), [], t0).create.count, 2);
    assert.equal(decideJob(job({ completions: 5, parallelism: 2 }), [pod('a', 'Running'), pod('b', 'Pending')], t0).create.count, 0);
  });
  test('Indexed: the lowest indexes neither completed nor running', () => {
    const d = decideJob(job({ completionMode: 'Indexed', completions: 5, parallelism: 3 }, { completedIndexes: '0', succeeded: 1 }), [pod('a', 'Running', { index: 1 })], t0);
    assert.deepEqual(d.create, { count: 2, indexes: [2, 3] });
  });
  test('backoffLimit exceeded: FailureTarget first, Failed once no pod is left', () => {
    const j = job({ backoffLimit: 1 }, { failed: 2, startTime: iso(t0) });
    const d = decideJob(j, [], t0);
    assert.deepEqual(d.status.conditions?.map((c) => [c.type, c.reason]), [['FailureTarget', 'BackoffLimitExceeded'], ['Failed', 'BackoffLimitExceeded']]);
    const running = decideJob(j, [pod('a', 'Running')], t0);
    assert.deepEqual(running.status.conditions?.map((c) => c.type), ['FailureTarget']);
    assert.deepEqual(running.delete.map((p) => p.metadata.name), ['a']);
  });
  test('the active deadline: a requeue at the deadline, then DeadlineExceeded', () => {
    const j = job({ activeDeadlineSeconds: 30 }, { startTime: iso(t0) });
    assert.equal(decideJob(j, [pod('a', 'Running')], t0 + 10_000).requeueAfterMs, 20_000);
    assert.equal(decideJob(j, [pod('a', 'Running')], t0 + 30_000).status.conditions?.[0]?.reason, 'DeadlineExceeded');
  });
  test('suspend deletes active pods and clears startTime', () => {
    const d = decideJob(job({ suspend: true }, { startTime: iso(t0) }), [pod('a', 'Running')], t0);
    assert.deepEqual(d.delete.map((p) => p.metadata.name), ['a']);
    assert.equal(d.status.startTime, undefined);
    assert.deepEqual(d.events, [{ type: 'Normal', reason: 'Suspended', message: 'Job suspended' }]);
  });
});

describe('indexes and TTL', () => {
  for (const [list, want] of [[[0, 1, 2, 4, 6, 7], '0-2,4,6-7'], [[3], '3'], [[], '']] as const) {
    test(`formatIndexes ${JSON.stringify(list)} → ${want}`, () => {
      assert.equal(formatIndexes(list), want);
      assert.deepEqual([...parseIndexes(want)].sort((a, b) => a - b), [...list]);
    });
  }
  test('ttlExpiry: completion time plus TTL; nothing for running Jobs or Jobs without a TTL', () => {
    const done = { completionTime: iso(t0), conditions: [{ type: 'Complete', status: 'True' as const, lastTransitionTime: iso(t0) }] };
    assert.equal(ttlExpiry(job({ ttlSecondsAfterFinished: 100 }, done)), t0 + 100_000);
    assert.equal(ttlExpiry(job({}, done)), undefined);
    assert.equal(ttlExpiry(job({ ttlSecondsAfterFinished: 100 })), undefined);
  });
});
