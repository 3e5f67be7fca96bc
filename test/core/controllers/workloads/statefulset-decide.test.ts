import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../../core/api/index.js';
import { planPods, planUpdateRevision, revisionFor, revisionForOrdinal, splitPods, templatePatch } from '../../../../core/controllers/workloads/index.js';
import type { PodAction } from '../../../../core/controllers/workloads/index.js';
import { t0 } from './fixtures.js';
import { makeRevision, makeSet, sp } from './statefulset-fixtures.js';
import type { SetFixture } from './statefulset-fixtures.js';

const show = (a: PodAction): string => (a.kind === 'create' ? `create ${a.ordinal}/${a.revision}` : `delete ${a.pod.metadata.name ?? ''} (${a.why})`);

test('pods go to their ordinal slot; others are condemned, highest first', () => {
  const set = makeSet({ replicas: 2, start: 3 });
  const other: Pod = { ...sp({ ordinal: 0 }), metadata: { ...sp({ ordinal: 0 }).metadata, name: 'webby-1' } };
  const s = splitPods(set, [sp({ ordinal: 4 }), sp({ ordinal: 0 }), sp({ ordinal: 7 }), other]);
  assert.deepEqual(s.replicas.map((p) => p?.metadata.name), [undefined, 'web-4']);
  assert.deepEqual(s.condemned.map((p) => p.metadata.name), ['web-7', 'web-0']);
});

test('new pods take the current revision below the partition and the update revision from it', () => {
  const cases = [
    { desc: 'no partition', f: { replicas: 3 }, ordinal: 0, want: 'update' },
    { desc: 'below the partition', f: { replicas: 3, partition: 2 }, ordinal: 1, want: 'current' },
    { desc: 'at the partition', f: { replicas: 3, partition: 2 }, ordinal: 2, want: 'update' },
    { desc: 'partition counts from ordinals.start', f: { replicas: 3, partition: 1, start: 5 }, ordinal: 5, want: 'current' },
    { desc: 'OnDelete always uses the update revision', f: { replicas: 3, strategy: 'OnDelete' as const, partition: 2 }, ordinal: 0, want: 'update' },
  ];
  for (const c of cases) assert.equal(revisionForOrdinal(makeSet(c.f), c.ordinal), c.want, c.desc);
});

test('one sync\'s pod actions, in Kubernetes\' order', () => {
  const cases: { desc: string; f: SetFixture; pods: Pod[]; update?: string; now?: number; want: string[]; waits?: boolean }[] = [
    { desc: 'OrderedReady creates only the first pod', f: { replicas: 3 }, pods: [], want: ['create 0/update'], waits: true },
    { desc: 'Parallel creates every pod at once', f: { replicas: 3, policy: 'Parallel' }, pods: [], want: ['create 0/update', 'create 1/update', 'create 2/update'], waits: true },
    { desc: 'pod 1 waits for pod 0 to be ready', f: { replicas: 3 }, pods: [sp({ ordinal: 0, ready: false })], want: [], waits: true },
    { desc: 'pod 1 waits for pod 0 to be Running', f: { replicas: 3 }, pods: [sp({ ordinal: 0, phase: 'Pending', ready: true })], want: [], waits: true },
    { desc: 'pod 1 once pod 0 is ready', f: { replicas: 3 }, pods: [sp({ ordinal: 0 })], want: ['create 1/update'], waits: true },
    { desc: 'a terminating pod blocks its successors', f: { replicas: 3 }, pods: [sp({ ordinal: 0, deleting: true }), sp({ ordinal: 1 })], want: [], waits: true },
    { desc: 'a deleted pod is recreated under its own name', f: { replicas: 3 }, pods: [sp({ ordinal: 0 }), sp({ ordinal: 2 })], want: ['create 1/update'], waits: true },
    { desc: 'a failed pod is deleted to be replaced', f: { replicas: 2 }, pods: [sp({ ordinal: 0, phase: 'Failed', ready: false }), sp({ ordinal: 1 })], want: ['delete web-0 (finished)'], waits: true },
    { desc: 'minReadySeconds: a ready pod must also be available', f: { replicas: 2, minReadySeconds: 10 }, pods: [sp({ ordinal: 0, readySince: t0 })], now: t0 + 5_000, want: [], waits: true },
    { desc: 'minReadySeconds passed', f: { replicas: 2, minReadySeconds: 10 }, pods: [sp({ ordinal: 0, readySince: t0 })], now: t0 + 10_000, want: ['create 1/update'], waits: true },
    { desc: 'ordinals.start names the first pod', f: { replicas: 2, start: 5 }, pods: [], want: ['create 5/update'], waits: true },
    { desc: 'scale-down deletes the highest ordinal only', f: { replicas: 1 }, pods: [0, 1, 2].map((ordinal) => sp({ ordinal })), want: ['delete web-2 (condemned)'], waits: true },
    { desc: 'scale-down waits for the terminating pod', f: { replicas: 1 }, pods: [sp({ ordinal: 0 }), sp({ ordinal: 1 }), sp({ ordinal: 2, deleting: true })], want: [], waits: true },
    { desc: 'scale-down waits while a predecessor is unhealthy', f: { replicas: 1 }, pods: [sp({ ordinal: 0, ready: false }), sp({ ordinal: 1 })], want: [], waits: true },
    { desc: 'the first unhealthy pod may be deleted', f: { replicas: 1 }, pods: [sp({ ordinal: 0 }), sp({ ordinal: 1 }), sp({ ordinal: 2, ready: false })], want: ['delete web-2 (condemned)'], waits: true },
    { desc: 'Parallel scale-down deletes all at once', f: { replicas: 1, policy: 'Parallel' }, pods: [0, 1, 2].map((ordinal) => sp({ ordinal })), want: ['delete web-2 (condemned)', 'delete web-1 (condemned)'] },
    { desc: 'rolling update replaces the highest ordinal first', f: { replicas: 3 }, pods: [0, 1, 2].map((ordinal) => sp({ ordinal })), update: 'web-r2', want: ['delete web-2 (update)'], waits: true },
    { desc: 'rolling update waits for the updated pod to be ready', f: { replicas: 3 }, pods: [sp({ ordinal: 0 }), sp({ ordinal: 1 }), sp({ ordinal: 2, rev: 'web-r2', ready: false })], update: 'web-r2', want: [], waits: true },
    { desc: 'rolling update moves on once it is ready', f: { replicas: 3 }, pods: [sp({ ordinal: 0 }), sp({ ordinal: 1 }), sp({ ordinal: 2, rev: 'web-r2' })], update: 'web-r2', want: ['delete web-1 (update)'], waits: true },
    { desc: 'partition 2 stops below ordinal 2', f: { replicas: 3, partition: 2 }, pods: [sp({ ordinal: 0 }), sp({ ordinal: 1 }), sp({ ordinal: 2, rev: 'web-r2' })], update: 'web-r2', want: [] },
    { desc: 'OnDelete never deletes for an update', f: { replicas: 3, strategy: 'OnDelete' }, pods: [0, 1, 2].map((ordinal) => sp({ ordinal })), update: 'web-r2', want: [] },
    { desc: 'maxUnavailable 2 replaces two at once', f: { replicas: 3, maxUnavailable: 2 }, pods: [0, 1, 2].map((ordinal) => sp({ ordinal })), update: 'web-r2', want: ['delete web-2 (update)', 'delete web-1 (update)'] },
    { desc: 'maxUnavailable counts unhealthy pods', f: { replicas: 3, maxUnavailable: 2, policy: 'Parallel' }, pods: [sp({ ordinal: 0 }), sp({ ordinal: 1 }), sp({ ordinal: 2, rev: 'web-r2', ready: false })], update: 'web-r2', want: ['delete web-1 (update)'] },
    { desc: 'maxUnavailable 50% of 4 is 2', f: { replicas: 4, maxUnavailable: '50%' }, pods: [0, 1, 2, 3].map((ordinal) => sp({ ordinal })), update: 'web-r2', want: ['delete web-3 (update)', 'delete web-2 (update)'] },
  ];
  for (const c of cases) {
    const set = makeSet(c.f);
    const plan = planPods({ set, split: splitPods(set, c.pods), updateRevision: c.update ?? 'web-r1', now: c.now ?? t0 + 3_600_000 });
    assert.deepEqual(plan.actions.map(show), c.want, c.desc);
    assert.equal(plan.waiting !== undefined, c.waits ?? false, `${c.desc}: waiting=${plan.waiting ?? ''}`);
  }
});

test('the update revision: reuse the newest, renumber an older equal one (rollback), or create one', () => {
  const v1 = makeSet({ replicas: 1, image: 'nginx:1' });
  const v2 = makeSet({ replicas: 1, image: 'nginx:2' });
  const r1 = { ...revisionFor(v1, [], 0), metadata: { ...revisionFor(v1, [], 0).metadata, creationTimestamp: '2026-01-01T00:00:00Z' } };
  const r2 = revisionFor(v2, [r1], 0);
  assert.equal(r2.revision, 2);
  assert.deepEqual(r1.data, templatePatch(v1.spec.template));
  const cases = [
    { desc: 'empty history creates revision 1', set: v1, history: [], want: { action: 'create', revision: 1 } },
    { desc: 'the newest revision holds the template', set: v2, history: [r1, r2], want: { action: 'none', revision: 2 } },
    { desc: 'a new template makes revision 2', set: v2, history: [r1], want: { action: 'create', revision: 2 } },
    { desc: 'going back to an older template renumbers it to 3', set: v1, history: [r1, r2], want: { action: 'renumber', revision: 1, to: 3 } },
    { desc: 'unrelated history', set: v1, history: [makeRevision('web-x', 4, { other: true })], want: { action: 'create', revision: 5 } },
  ];
  for (const c of cases) {
    const plan = planUpdateRevision(c.set, c.history);
    const got = { action: plan.action, revision: plan.update.revision, ...(plan.action === 'renumber' ? { to: plan.to } : {}) };
    assert.deepEqual(got, c.want, c.desc);
  }
});
