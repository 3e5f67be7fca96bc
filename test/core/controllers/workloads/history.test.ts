import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, KubeObject, PodTemplateSpec } from '../../../../core/api/index.js';
import {
  equalRevision, findEqualRevisions, hashRevisionData, newControllerRevision, nextRevision, ownedOrOrphan, revisionDataHashLabel,
  revisionName, revisionsToTruncate, sortRevisions, templatePatch,
} from '../../../../core/controllers/workloads/index.js';
import { iso, t0 } from './fixtures.js';

const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'uid-web' } };
const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } });

function rev(name: string, revision: number, created = t0, data: unknown = templatePatch(template(name))): ControllerRevision {
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, namespace: 'default', creationTimestamp: iso(created) }, data, revision };
}

test('the revision data replaces the whole template when applied as a strategic-merge patch', () => {
  const t = template('nginx:1');
  const data = templatePatch(t);
  assert.deepEqual(data, { spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] }, $patch: 'replace' } } });
  data.spec.template.metadata = { labels: { app: 'changed' } };
  assert.deepEqual(t.metadata, { labels: { app: 'web' } }, 'the template is copied, not shared');
});

test('revision hashes are stable, order-insensitive and change with the data and the collision count', () => {
  const a = templatePatch(template('nginx:1'));
  const reordered = { spec: { template: { $patch: 'replace', spec: { containers: [{ image: 'nginx:1', name: 'nginx' }] }, metadata: { labels: { app: 'web' } } } } };
  const cases = [
    { desc: 'same data', x: hashRevisionData(a, 0), y: hashRevisionData(templatePatch(template('nginx:1')), 0), equal: true },
    { desc: 'key order does not matter', x: hashRevisionData(a, 0), y: hashRevisionData(reordered, 0), equal: true },
    { desc: 'another image', x: hashRevisionData(a, 0), y: hashRevisionData(templatePatch(template('nginx:2')), 0), equal: false },
    { desc: 'another collision count', x: hashRevisionData(a, 0), y: hashRevisionData(a, 1), equal: false },
    { desc: 'no collision count differs from 0', x: hashRevisionData(a), y: hashRevisionData(a, 0), equal: false },
  ];
  for (const c of cases) assert.equal(c.x === c.y, c.equal, c.desc);
  assert.match(hashRevisionData(a, 0), /^[bcdfghjklmnpqrstvwxz2456789]+$/, 'safe-encoded alphabet');
});

test('revision names are <owner>-<hash>, the owner cut to 223 characters', () => {
  assert.equal(revisionName('web', 'abc'), 'web-abc');
  assert.equal(revisionName('x'.repeat(300), 'h'), `${'x'.repeat(223)}-h`);
});

test('a new revision is owned by its controller and carries template labels, the data hash and the owner annotations', () => {
  const data = templatePatch(template('nginx:1'));
  const cr = newControllerRevision({
    owner, templateLabels: { app: 'web' }, data, revision: 3, collisionCount: 0,
    annotations: { 'kubernetes.io/change-cause': 'v1', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  });
  const hash = hashRevisionData(data, 0);
  assert.equal(cr.metadata.name, `web-${hash}`);
  assert.equal(cr.metadata.namespace, 'default');
  assert.deepEqual(cr.metadata.labels, { app: 'web', [revisionDataHashLabel]: hash });
  assert.deepEqual(cr.metadata.annotations, { 'kubernetes.io/change-cause': 'v1' }, 'last-applied is not copied');
  assert.deepEqual(cr.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
  assert.equal(cr.revision, 3);
  assert.deepEqual(cr.data, data);
});

test('revisions are equal by data; differing hash labels decide first', () => {
  const one = newControllerRevision({ owner, data: templatePatch(template('nginx:1')), revision: 1, collisionCount: 0 });
  const again = newControllerRevision({ owner, data: templatePatch(template('nginx:1')), revision: 7, collisionCount: 0 });
  const two = newControllerRevision({ owner, data: templatePatch(template('nginx:2')), revision: 2, collisionCount: 0 });
  const relabelled: ControllerRevision = { ...again, metadata: { ...again.metadata, labels: { [revisionDataHashLabel]: 'other' } } };
  const unlabelled: ControllerRevision = { ...again, metadata: { ...again.metadata, labels: {} } };
  const cases = [
    { desc: 'same data, other revision number', a: one, b: again, want: true },
    { desc: 'other data', a: one, b: two, want: false },
    { desc: 'same data but different hash labels', a: one, b: relabelled, want: false },
    { desc: 'a missing hash label falls back to the data', a: one, b: unlabelled, want: true },
    { desc: 'both missing', a: undefined, b: undefined, want: true },
    { desc: 'one missing', a: one, b: undefined, want: false },
  ];
  for (const c of cases) assert.equal(equalRevision(c.a, c.b), c.want, c.desc);
  assert.deepEqual(findEqualRevisions([two, again, one], one).map((r) => r.revision), [7, 1], 'in the order given');
});

test('revisions sort by number, then creation, then name; the next number is one past the highest', () => {
  const list = [rev('c', 2, t0), rev('b', 1, t0 + 5), rev('a', 1, t0 + 5), rev('d', 1, t0)];
  assert.deepEqual(sortRevisions(list).map((r) => r.metadata.name), ['d', 'a', 'b', 'c']);
  assert.deepEqual(list.map((r) => r.metadata.name), ['c', 'b', 'a', 'd'], 'input untouched');
  assert.equal(nextRevision([]), 1);
  assert.equal(nextRevision(list), 3);
});

test('history is truncated to the limit, oldest non-live revisions first', () => {
  const list = [rev('r5', 5), rev('r1', 1), rev('r3', 3), rev('r2', 2), rev('r4', 4)];
  const cases = [
    { desc: 'limit above the count deletes nothing', live: [], limit: 10, want: [] },
    { desc: 'oldest first', live: [], limit: 2, want: ['r1', 'r2', 'r3'] },
    { desc: 'live revisions are kept and do not count', live: ['r1', 'r5'], limit: 1, want: ['r2', 'r3'] },
    { desc: 'limit 0 keeps only live ones', live: ['r4'], limit: 0, want: ['r1', 'r2', 'r3', 'r5'] },
  ];
  for (const c of cases) assert.deepEqual(revisionsToTruncate(list, new Set(c.live), c.limit).map((r) => r.metadata.name), c.want, c.desc);
});

test('an owner lists the revisions it controls and orphans, never another controller\'s', () => {
  const mine = newControllerRevision({ owner, data: {}, revision: 1 });
  const orphan = rev('orphan', 1);
  const theirs = newControllerRevision({ owner: { ...owner, metadata: { ...owner.metadata, uid: 'uid-other' } }, data: {}, revision: 1 });
  assert.deepEqual(ownedOrOrphan(owner, [mine, orphan, theirs]), [mine, orphan]);
});
