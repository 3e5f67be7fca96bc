import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeTemplateHash, equalIgnoreHash, maxSurge, maxUnavailable, newReplicaSetFor, planNewReplicaSet, planOldReplicaSets, planScale,
  pausedConditions, replicaSetsToCleanUp, resolveFenceposts, rolloutStatus,
} from '../../../../core/controllers/workloads/index.js';
import type { PodTemplateSpec } from '../../../../core/api/index.js';
import { makeDeployment, makeRS, t0 } from './fixtures.js';

test('maxSurge rounds up, maxUnavailable rounds down, both zero means one unavailable', () => {
  const cases = [
    { desc: 'defaults 25% of 10', surge: '25%', unavail: '25%', n: 10, want: { surge: 3, unavailable: 2 } },
    { desc: '25% of 1', surge: '25%', unavail: '25%', n: 1, want: { surge: 1, unavailable: 0 } },
    { desc: '25% of 4', surge: '25%', unavail: '25%', n: 4, want: { surge: 1, unavailable: 1 } },
    { desc: 'ints', surge: 2, unavail: 1, n: 5, want: { surge: 2, unavailable: 1 } },
    { desc: 'both zero', surge: 0, unavail: 0, n: 3, want: { surge: 0, unavailable: 1 } },
    { desc: 'both 0% of 3', surge: '0%', unavail: '0%', n: 3, want: { surge: 0, unavailable: 1 } },
    { desc: '10% of 3: surge 1, unavailable 0', surge: '10%', unavail: '10%', n: 3, want: { surge: 1, unavailable: 0 } },
    { desc: '100% of 3', surge: '100%', unavail: '100%', n: 3, want: { surge: 3, unavailable: 3 } },
  ];
  for (const c of cases) assert.deepEqual(resolveFenceposts(c.surge, c.unavail, c.n), c.want, c.desc);
  assert.throws(() => resolveFenceposts('abc', 1, 3), /invalid value/);
  assert.equal(maxUnavailable(makeDeployment({ replicas: 2, maxUnavailable: 5, maxSurge: 0 })), 2, 'never above replicas');
  assert.equal(maxSurge(makeDeployment({ replicas: 4, strategy: 'Recreate' })), 0, 'Recreate has no surge');
  assert.equal(maxUnavailable(makeDeployment({ replicas: 0 })), 0, 'zero replicas');
});

test('the template hash is stable, key-order independent and changes with the template or collisionCount', () => {
  const a: PodTemplateSpec = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } };
  const b: PodTemplateSpec = { spec: { containers: [{ image: 'v1', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
  const h = computeTemplateHash(a);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(computeTemplateHash(a), h, 'same input, same hash');
  assert.equal(computeTemplateHash(b), h, 'key order does not matter');
  assert.notEqual(computeTemplateHash({ ...a, spec: { containers: [{ name: 'c', image: 'v2' }] } }), h);
  assert.notEqual(computeTemplateHash(a, 1), h, 'collisionCount changes the hash');
  assert.equal(computeTemplateHash(a), '6dd84d667b', 'pinned so names survive upgrades');
});

test('new ReplicaSets are named <deploy>-<hash> and carry the hash label, revision and replica annotations', () => {
  const d = makeDeployment({ replicas: 4, maxSurge: 1 });
  const rs = newReplicaSetFor(d, 2, 3);
  const hash = computeTemplateHash(d.spec.template);
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.equal(rs.spec.template?.metadata?.labels?.['pod-template-hash'], hash);
  assert.equal(rs.spec.selector.matchLabels?.['pod-template-hash'], hash);
  assert.deepEqual(rs.metadata.annotations, { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' });
  assert.ok(equalIgnoreHash(rs.spec.template, d.spec.template), 'equal once the hash label is ignored');
  const kubectlUndo = structuredClone(d.spec.template);
  const c0 = kubectlUndo.spec.containers[0];
  if (c0) c0.resources = {};
  assert.ok(equalIgnoreHash(rs.spec.template, kubectlUndo), 'resources: {} (as kubectl rollout undo writes it) equals no resources');
  assert.equal(computeTemplateHash(kubectlUndo), computeTemplateHash(d.spec.template), 'and hashes the same');
  assert.ok(!equalIgnoreHash(rs.spec.template, makeDeployment({ replicas: 4, image: 'v3' }).spec.template), 'another image differs');
  assert.equal(rs.metadata.ownerReferences?.[0]?.controller, true);
});

test('rolling update steps (maxSurge / maxUnavailable)', () => {
  const cases = [
    {
      desc: 'surge 1, unavailable 0: new RS grows by one',
      d: makeDeployment({ replicas: 3, maxSurge: 1, maxUnavailable: 0 }),
      old: [makeRS({ name: 'old', replicas: 3 })], newRS: makeRS({ name: 'new', replicas: 0, created: t0 + 1 }),
      wantNew: 1, wantOld: {},
    },
    {
      desc: 'surge used up and new pod not available: nothing scales down',
      d: makeDeployment({ replicas: 3, maxSurge: 1, maxUnavailable: 0 }),
      old: [makeRS({ name: 'old', replicas: 3 })], newRS: makeRS({ name: 'new', replicas: 1, available: 0, created: t0 + 1 }),
      wantNew: undefined, wantOld: {},
    },
    {
      desc: 'new pod available: one old pod goes',
      d: makeDeployment({ replicas: 3, maxSurge: 1, maxUnavailable: 0 }),
      old: [makeRS({ name: 'old', replicas: 3 })], newRS: makeRS({ name: 'new', replicas: 1, available: 1, created: t0 + 1 }),
      wantNew: undefined, wantOld: { old: 2 },
    },
    {
      desc: 'surge 0, unavailable 1: scale old down first',
      d: makeDeployment({ replicas: 3, maxSurge: 0, maxUnavailable: 1 }),
      old: [makeRS({ name: 'old', replicas: 3 })], newRS: makeRS({ name: 'new', replicas: 0, created: t0 + 1 }),
      wantNew: undefined, wantOld: { old: 2 },
    },
    {
      desc: 'unhealthy old replicas are cleaned up first, within the budget (4 - 3 = 1)',
      d: makeDeployment({ replicas: 4, maxSurge: 0, maxUnavailable: 1 }),
      old: [makeRS({ name: 'old', replicas: 4, available: 2 })], newRS: makeRS({ name: 'new', replicas: 0, created: t0 + 1 }),
      wantNew: undefined, wantOld: { old: 3 },
    },
    {
      desc: 'new RS bigger than replicas shrinks to replicas',
      d: makeDeployment({ replicas: 2 }),
      old: [], newRS: makeRS({ name: 'new', replicas: 5 }),
      wantNew: 2, wantOld: {},
    },
  ];
  for (const c of cases) {
    const all = [...c.old, c.newRS];
    assert.equal(planNewReplicaSet(c.d, all, c.newRS), c.wantNew, `${c.desc}: new`);
    assert.deepEqual(Object.fromEntries(planOldReplicaSets(c.d, c.old, c.newRS)), c.wantOld, `${c.desc}: old`);
  }
});

test('scaling during a rollout is proportional', () => {
  // 5 → 10 replicas mid-rollout (max-replicas 8 on both sets, surge 3 at 10): 13 allowed, 5 to add,
  // old gets round(5·13/8) − 5 = 3, new gets round(3·13/8) − 3 = 2.
  const d = makeDeployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  d.status = { replicas: 8 };
  const newRS = makeRS({ name: 'new', replicas: 3, created: t0 + 1, desired: 5, max: 8 });
  const old = makeRS({ name: 'old', replicas: 5, desired: 5, max: 8 });
  const plan = planScale(d, newRS, [old]);
  assert.deepEqual(Object.fromEntries(plan), { old: 8, new: 5 }, '3:5 grows to 5:8 within 13 total');
  // 9 → 4 replicas mid-rollout (max-replicas 10, surge 1 at 4): 5 allowed, 4 to remove, larger first:
  // old loses 6 − round(6·5/10) = 3, new loses the remaining 1.
  const down = makeDeployment({ replicas: 4, maxSurge: 1, maxUnavailable: 0 });
  const planDown = planScale(down, makeRS({ name: 'new', replicas: 3, created: t0 + 1, desired: 9, max: 10 }), [makeRS({ name: 'old', replicas: 6, desired: 9, max: 10 })]);
  assert.deepEqual(Object.fromEntries(planDown), { old: 3, new: 2 });
  const single = planScale(makeDeployment({ replicas: 7 }), makeRS({ name: 'only', replicas: 3 }), [makeRS({ name: 'gone', replicas: 0 })]);
  assert.deepEqual(Object.fromEntries(single), { only: 7 }, 'a single active set takes the new size');
});

test('history cleanup keeps revisionHistoryLimit old sets and never deletes one with pods', () => {
  const d = makeDeployment({ replicas: 1 });
  d.spec.revisionHistoryLimit = 1;
  const olds = [
    makeRS({ name: 'r1', replicas: 0, revision: 1 }),
    makeRS({ name: 'r2', replicas: 0, statusReplicas: 1, revision: 2 }),
    makeRS({ name: 'r3', replicas: 0, revision: 3 }),
  ];
  const rev = (rs: { metadata: { annotations?: Record<string, string> } }): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  assert.deepEqual(replicaSetsToCleanUp(d, olds, rev).map((rs) => rs.metadata.name), ['r1'], 'r2 still has a pod; r3 is kept');
});

test('rollout status: conditions as kubectl rollout status reads them', () => {
  const d = makeDeployment({ replicas: 2 });
  const newRS = makeRS({ name: 'web-abc', replicas: 2 });
  newRS.status = { replicas: 2, availableReplicas: 2, readyReplicas: 2 };
  const done = rolloutStatus(d, [newRS], newRS, t0).status;
  assert.equal(done.updatedReplicas, 2);
  assert.equal(done.availableReplicas, 2);
  assert.equal(done.observedGeneration, 1);
  const prog = done.conditions?.find((c) => c.type === 'Progressing');
  assert.equal(prog?.reason, 'NewReplicaSetAvailable');
  assert.equal(prog?.message, 'ReplicaSet "web-abc" has successfully progressed.');
  const avail = done.conditions?.find((c) => c.type === 'Available');
  assert.deepEqual([avail?.status, avail?.reason, avail?.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);

  const half = makeRS({ name: 'web-abc', replicas: 2 });
  half.status = { replicas: 2, availableReplicas: 0, readyReplicas: 0 };
  const d2 = makeDeployment({ replicas: 2, maxUnavailable: 0, maxSurge: 1 });
  d2.status = { replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: new Date(t0).toISOString() }] };
  d2.spec.progressDeadlineSeconds = 60;
  const late = rolloutStatus(d2, [half], half, t0 + 61_000).status;
  const p2 = late.conditions?.find((c) => c.type === 'Progressing');
  assert.deepEqual([p2?.status, p2?.reason, p2?.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-abc" has timed out progressing.']);
  const a2 = late.conditions?.find((c) => c.type === 'Available');
  assert.deepEqual([a2?.status, a2?.reason], ['False', 'MinimumReplicasUnavailable']);
  assert.equal(late.unavailableReplicas, 2);
});

test('paused and resumed Progressing conditions', () => {
  const d = makeDeployment({ replicas: 1 });
  d.spec.paused = true;
  const paused = pausedConditions(d, t0)?.find((c) => c.type === 'Progressing');
  assert.deepEqual([paused?.status, paused?.reason, paused?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
  d.status = { conditions: paused ? [paused] : [] };
  assert.equal(pausedConditions(d, t0), undefined, 'already paused: no change');
  d.spec.paused = false;
  const resumed = pausedConditions(d, t0)?.find((c) => c.type === 'Progressing');
  assert.deepEqual([resumed?.reason, resumed?.message], ['DeploymentResumed', 'Deployment is resumed']);
  d.status = { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] };
  d.spec.paused = true;
  assert.equal(pausedConditions(d, t0), undefined, 'a timed-out rollout keeps its condition');
});
