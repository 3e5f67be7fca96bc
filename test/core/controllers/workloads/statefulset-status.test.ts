import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolumeClaim, Pod } from '../../../../core/api/index.js';
import {
  claimOwnerRefs, claimsFor, computeStatefulSetStatus, identityMatches, newStatefulPod, ordinalOf, storageMatches, templateOfRevision,
} from '../../../../core/controllers/workloads/index.js';
import { t0 } from './fixtures.js';
import { makeRevision, makeSet, sp } from './statefulset-fixtures.js';

test('status counts created, ready, available, current and updated pods; a finished rollout makes the update current', () => {
  const cases = [
    {
      desc: 'mid rollout', f: { replicas: 3 },
      pods: [sp({ ordinal: 0 }), sp({ ordinal: 1, ready: false }), sp({ ordinal: 2, rev: 'web-r2' })],
      want: { replicas: 3, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 1, currentRevision: 'web-r1', updateRevision: 'web-r2' },
    },
    {
      desc: 'rollout complete', f: { replicas: 2 },
      pods: [sp({ ordinal: 0, rev: 'web-r2' }), sp({ ordinal: 1, rev: 'web-r2' })],
      want: { replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 2, currentRevision: 'web-r2', updateRevision: 'web-r2' },
    },
    {
      desc: 'OnDelete never completes by itself', f: { replicas: 1, strategy: 'OnDelete' as const },
      pods: [sp({ ordinal: 0, rev: 'web-r2' })],
      want: { replicas: 1, readyReplicas: 1, availableReplicas: 1, currentReplicas: 0, updatedReplicas: 1, currentRevision: 'web-r1', updateRevision: 'web-r2' },
    },
    {
      desc: 'terminating pods count as replicas but not as current or updated', f: { replicas: 1 },
      pods: [sp({ ordinal: 0, deleting: true, ready: false })],
      want: { replicas: 1, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0, currentRevision: 'web-r1', updateRevision: 'web-r2' },
    },
    {
      desc: 'ready but not yet available under minReadySeconds', f: { replicas: 1, minReadySeconds: 30 },
      pods: [sp({ ordinal: 0, readySince: t0 + 3_590_000 })],
      want: { replicas: 1, readyReplicas: 1, availableReplicas: 0, currentReplicas: 1, updatedReplicas: 0, currentRevision: 'web-r1', updateRevision: 'web-r2' },
    },
  ];
  for (const c of cases) {
    const s = computeStatefulSetStatus({ set: makeSet(c.f), pods: c.pods, currentRevision: 'web-r1', updateRevision: 'web-r2', collisionCount: 0, now: t0 + 3_600_000 });
    const { observedGeneration, collisionCount, ...rest } = s;
    assert.deepEqual(rest, c.want, c.desc);
    assert.equal(observedGeneration, 4, c.desc);
    assert.equal(collisionCount, 0, c.desc);
  }
});

test('claims are kept, or owned by the set or the pod, per persistentVolumeClaimRetentionPolicy', () => {
  const claim = (refs: NonNullable<PersistentVolumeClaim['metadata']['ownerReferences']> = []): PersistentVolumeClaim =>
    ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'www-web-2', ownerReferences: refs } });
  const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web' };
  const podRef = { apiVersion: 'v1', kind: 'Pod', name: 'web-2', uid: 'uid-web-2' };
  const cases = [
    { desc: 'Retain/Retain: no owners', f: { replicas: 3 }, refs: [], want: undefined },
    { desc: 'Retain/Retain removes a set reference', f: { replicas: 3 }, refs: [setRef], want: [] },
    { desc: 'whenDeleted Delete: owned by the set', f: { replicas: 3, whenDeleted: 'Delete' as const }, refs: [], want: [setRef] },
    { desc: 'whenScaled Delete, pod in range: no owners', f: { replicas: 3, whenScaled: 'Delete' as const }, refs: [], want: undefined },
    { desc: 'whenScaled Delete, pod condemned: owned by the pod', f: { replicas: 2, whenScaled: 'Delete' as const }, refs: [], want: [podRef] },
    { desc: 'both Delete, pod condemned: the pod replaces the set', f: { replicas: 2, whenScaled: 'Delete' as const, whenDeleted: 'Delete' as const }, refs: [setRef], want: [podRef] },
    { desc: 'both Delete, back in range: the set replaces the pod', f: { replicas: 3, whenScaled: 'Delete' as const, whenDeleted: 'Delete' as const }, refs: [podRef], want: [setRef] },
  ];
  for (const c of cases) assert.deepEqual(claimOwnerRefs(makeSet(c.f), sp({ ordinal: 2 }), claim(c.refs)), c.want, c.desc);
});

test('a stateful pod: name, identity labels, hostname, subdomain, its own claims and the revision it came from', () => {
  const set = makeSet({ replicas: 3 });
  set.spec.template.spec.volumes = [{ name: 'www', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }];
  const pod = newStatefulPod(set, set.spec.template, 'web-abc', 2);
  assert.equal(pod.metadata.name, 'web-2');
  assert.deepEqual(pod.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': 'web-abc' });
  assert.equal(pod.spec.hostname, 'web-2');
  assert.equal(pod.spec.subdomain, 'nginx');
  assert.deepEqual(pod.spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } }, { name: 'cfg', configMap: { name: 'c' } }], 'the claim replaces a template volume of the same name');
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
  assert.ok(identityMatches(set, pod) && storageMatches(set, pod));
  const relabelled: Pod = { ...pod, metadata: { ...pod.metadata, labels: { app: 'web' } } };
  assert.equal(identityMatches(set, relabelled), false);

  const [c] = claimsFor(set, 2);
  assert.equal(c?.metadata.name, 'www-web-2');
  assert.deepEqual(c?.metadata.labels, { tier: 'data', app: 'web' }, 'template labels plus the selector\'s');
  assert.equal(c?.metadata.namespace, 'default');

  const cases = [
    { name: 'web-0', want: 0 }, { name: 'web-12', want: 12 }, { name: 'web-01', want: undefined }, { name: 'web-x', want: undefined },
    { name: 'webby-1', want: undefined }, { name: 'web-', want: undefined },
  ];
  for (const x of cases) assert.equal(ordinalOf(set, { ...pod, metadata: { name: x.name } }), x.want, x.name);

  const rev = makeRevision('web-abc', 1, { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v0' }] } } } });
  assert.deepEqual(templateOfRevision(rev), { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v0' }] } });
});
