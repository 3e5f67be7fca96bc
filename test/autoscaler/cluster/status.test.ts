import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePriorities, planScaleDown, statusText } from '../../../autoscaler/index.js';
import { makeGroup, makeNode, makePod } from './fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

test('the status text follows cluster-autoscaler\'s layout and keeps transition times while a value holds', () => {
  const nodes = [makeNode({ name: 'a-1' }), makeNode({ name: 'a-2' })];
  const groups = [makeGroup({ name: 'fake-a', members: ['a-1', 'a-2'], creating: ['a-3'], max: 6 })];
  const scaleDown = planScaleDown({ now: T0, nodes, pods: [makePod({ name: 'x', node: 'a-1', cpu: '1500m' })], groups });
  const first = statusText({ now: T0, nodes, groups, backoff: {}, scaleDown });
  assert.equal(first.text.split('\n').slice(0, 5).join('\n'), [
    'Cluster-autoscaler status at 2026-01-01 00:00:00.000 +0000 UTC:',
    'Cluster-wide:',
    '  Health:      Healthy (ready=2 unready=0 notStarted=0 longNotStarted=0 registered=2 longUnregistered=0)',
    '               LastProbeTime:      2026-01-01 00:00:00.000 +0000 UTC',
    '               LastTransitionTime: 2026-01-01 00:00:00.000 +0000 UTC',
  ].join('\n'));
  assert.match(first.text, /\n {2}ScaleUp: {5}InProgress \(ready=2 registered=2\)\n/);
  assert.match(first.text, /\n {2}ScaleDown: {3}CandidatesPresent \(candidates=1\)\n/);
  assert.match(first.text, /\n {2}Name: {8}fake-a\n {2}Health: {6}Healthy \(.*cloudProviderTarget=3 \(minSize=0, maxSize=6\)\)/);
  const later = statusText({ now: T0 + 60_000, nodes, groups, backoff: { 'fake-a': { failures: 1, until: T0 + 300_000, lastFailure: T0, reason: 'x' } }, transitions: first.transitions });
  assert.equal(later.transitions.health?.since, T0, 'unchanged health keeps its transition time');
  assert.equal(later.transitions['fake-a/scaleUp']?.value, 'Backoff');
  assert.equal(later.transitions['fake-a/scaleUp']?.since, T0 + 60_000);
});

const priorityDocs: { desc: string; text: string; want?: Record<number, string[]>; error?: RegExp }[] = [
  { desc: 'priorities with regex lists', text: '10:\n  - .*small.*\n50:\n  - big-.*\n', want: { 10: ['.*small.*'], 50: ['big-.*'] } },
  { desc: 'a non-integer priority', text: 'high:\n  - x\n', error: /not an integer/ },
  { desc: 'a priority without a list', text: '10: x\n', error: /expected a list/ },
];
for (const c of priorityDocs) {
  test(`parsePriorities: ${c.desc}`, () => {
    if (c.error) assert.throws(() => parsePriorities(c.text), c.error);
    else assert.deepEqual(parsePriorities(c.text), c.want);
  });
}
