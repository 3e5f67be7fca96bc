import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeReplicaSetStatus, nextAvailableInMs, podFromTemplate, podsToDelete, slowStartBatches, withReplicaFailure } from '../../../../core/controllers/workloads/index.js';
import { makePod, makeRS, t0 } from './fixtures.js';

test('pods are deleted in Kubernetes order', () => {
  const cases = [
    { desc: 'unscheduled before scheduled', pods: [makePod({ name: 'sched', node: 'n1', phase: 'Pending' }), makePod({ name: 'unsched', phase: 'Pending' })], want: ['unsched', 'sched'] },
    { desc: 'Pending before Unknown before Running', pods: [makePod({ name: 'run', node: 'n', phase: 'Running' }), makePod({ name: 'unk', node: 'n', phase: 'Unknown' }), makePod({ name: 'pend', node: 'n', phase: 'Pending' })], want: ['pend', 'unk', 'run'] },
    { desc: 'not ready before ready', pods: [makePod({ name: 'ready', node: 'n', ready: true }), makePod({ name: 'notready', node: 'n' })], want: ['notready', 'ready'] },
    { desc: 'ready for less time first', pods: [makePod({ name: 'old', node: 'n', ready: true, readySince: t0 }), makePod({ name: 'fresh', node: 'n', ready: true, readySince: t0 + 60_000 })], want: ['fresh', 'old'] },
    { desc: 'more restarts first', pods: [makePod({ name: 'calm', node: 'n', restarts: 0 }), makePod({ name: 'crashy', node: 'n', restarts: 5 })], want: ['crashy', 'calm'] },
    { desc: 'newer first', pods: [makePod({ name: 'older', node: 'n', created: t0 }), makePod({ name: 'newer', node: 'n', created: t0 + 1000 })], want: ['newer', 'older'] },
  ];
  for (const c of cases) {
    assert.deepEqual(podsToDelete(c.pods, c.pods.length).map((p) => p.metadata.name), c.want, c.desc);
  }
  const many = [makePod({ name: 'a', node: 'n', ready: true }), makePod({ name: 'b' }), makePod({ name: 'c', node: 'n' })];
  assert.deepEqual(podsToDelete(many, 2).map((p) => p.metadata.name), ['b', 'c'], 'only the first `count` pods');
});

test('slow-start batches double from 1', () => {
  const cases = [
    { desc: 'none', n: 0, want: [] },
    { desc: 'one', n: 1, want: [1] },
    { desc: 'exact powers', n: 7, want: [1, 2, 4] },
    { desc: 'trimmed last batch', n: 10, want: [1, 2, 4, 3] },
  ];
  for (const c of cases) assert.deepEqual(slowStartBatches(c.n), c.want, c.desc);
});

test('pods from the template carry generateName, labels and a controller reference', () => {
  const rs = makeRS({ name: 'web-abc', replicas: 2 });
  const pod = podFromTemplate(rs);
  assert.equal(pod.metadata.generateName, 'web-abc-');
  assert.deepEqual(pod.metadata.labels, { app: 'web' });
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'uid-web-abc', controller: true, blockOwnerDeletion: true }]);
  assert.equal(pod.spec.containers[0]?.image, 'web-abc');
});

test('ReplicaSet status counts ready and available pods, honouring minReadySeconds', () => {
  const rs = { ...makeRS({ name: 'web-abc', replicas: 3 }), metadata: { ...makeRS({ name: 'web-abc', replicas: 3 }).metadata, generation: 4 } };
  rs.spec.minReadySeconds = 10;
  const pods = [
    makePod({ name: 'a', ready: true, readySince: t0 }),
    makePod({ name: 'b', ready: true, readySince: t0 + 8_000 }),
    makePod({ name: 'c', labels: { app: 'web', extra: 'x' } }),
  ];
  const s = computeReplicaSetStatus(rs, pods, t0 + 12_000);
  assert.equal(s.replicas, 3);
  assert.equal(s.readyReplicas, 2);
  assert.equal(s.availableReplicas, 1, 'b has been ready for only 4 s');
  assert.equal(s.fullyLabeledReplicas, 3);
  assert.equal(s.observedGeneration, 4);
  assert.equal(nextAvailableInMs(pods, 10, t0 + 12_000), 6_000, 'b becomes available in 6 s');
  assert.equal(nextAvailableInMs(pods, 0, t0), undefined, 'no wait without minReadySeconds');
});

test('ReplicaFailure is set on failure and removed after a clean sync', () => {
  const base = { replicas: 1 };
  const failed = withReplicaFailure(base, { reason: 'FailedCreate', message: 'quota exceeded' }, t0);
  assert.deepEqual(failed.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['ReplicaFailure', 'True', 'FailedCreate', 'quota exceeded']]);
  assert.deepEqual(withReplicaFailure(failed, undefined, t0), { replicas: 1 });
  assert.equal(withReplicaFailure(base, undefined, t0), base, 'unchanged when there was none');
});
