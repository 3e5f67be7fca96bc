import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextBackoff, planProvisioning, planScaleUp } from '../../../autoscaler/index.js';
import type { GroupBackoff } from '../../../autoscaler/index.js';
import { makeGroup, makeNode, makePod } from './fixtures.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

test('a node that does not register within maxNodeProvisionTime backs its group off and lowers its target', () => {
  const groups = [makeGroup({ name: 'fake-a', members: ['a-1'], creating: ['a-2'] })];
  const nodes = [makeNode({ name: 'a-1' })];
  const steps: { at: number; decrease: boolean }[] = [
    { at: T0, decrease: false },
    { at: T0 + 14 * MIN, decrease: false },
    { at: T0 + 15 * MIN, decrease: true },
  ];
  let firstSeen: Record<string, number> = {};
  let backoff: Record<string, GroupBackoff> = {};
  for (const s of steps) {
    const plan = planProvisioning({ now: s.at, groups, nodes, firstSeen, backoff });
    firstSeen = plan.firstSeen;
    backoff = plan.backoff;
    assert.equal(plan.decreases.length > 0, s.decrease, `at +${(s.at - T0) / MIN} m`);
    if (!s.decrease) assert.equal(plan.upcoming['fake-a'], 1);
  }
  assert.deepEqual(backoff['fake-a'], { failures: 1, until: T0 + 20 * MIN, lastFailure: T0 + 15 * MIN, reason: '1 node did not register within 15 m' });
  // While backed off, pending pods do not grow the group.
  const up = planScaleUp({ now: T0 + 16 * MIN, nodes, pods: [makePod({ name: 'p', cpu: '3' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'], cpu: '4' })], backoff });
  assert.equal(up.increase, undefined);
  assert.equal(up.notTriggered[0]?.message, "pod didn't trigger scale-up: 1 in backoff after failed scale-up");
});

test('a failed instance backs off at once with the provider error', () => {
  const g = makeGroup({ name: 'fake-a', creating: ['a-1'] });
  const groups = [{ ...g, instances: [{ name: 'a-1', providerID: 'fake://a-1', state: 'creating' as const, error: { class: 'OutOfResources' as const, code: 'Stockout', message: 'no capacity' } }] }];
  const plan = planProvisioning({ now: T0, groups, nodes: [] });
  assert.deepEqual(plan.decreases, [{ group: 'fake-a', delta: 1, instances: ['a-1'], reason: 'instance a-1 failed: OutOfResources Stockout: no capacity' }]);
  assert.match(plan.explanation[0] ?? '', /target 1 → 0, backed off for 5 m/);
});

test('requested capacity the provider never lists as instances times out the same way', () => {
  const groups = [makeGroup({ name: 'fake-a', members: ['a-1'], targetSize: 3 })];
  const nodes = [makeNode({ name: 'a-1' })];
  const first = planProvisioning({ now: T0, groups, nodes });
  assert.equal(first.upcoming['fake-a'], 2);
  assert.deepEqual(first.decreases, []);
  const later = planProvisioning({ now: T0 + 15 * MIN, groups, nodes, firstSeen: first.firstSeen });
  assert.deepEqual(later.decreases, [{ group: 'fake-a', delta: 2, instances: [], reason: '2 nodes did not register within 15 m' }]);
  assert.equal(later.backoff['fake-a']?.failures, 1);
});

const ladder: { failures: number; minutes: number }[] = [
  { failures: 1, minutes: 5 }, { failures: 2, minutes: 10 }, { failures: 3, minutes: 20 }, { failures: 4, minutes: 30 }, { failures: 5, minutes: 30 },
];
for (const c of ladder) {
  test(`back-off after ${c.failures} failures lasts ${c.minutes} m`, () => {
    let b: GroupBackoff | undefined;
    for (let i = 0; i < c.failures; i++) b = nextBackoff(b, T0, 'x', { initialBackoffMs: 5 * MIN, maxBackoffMs: 30 * MIN });
    assert.equal((b?.until ?? 0) - T0, c.minutes * MIN);
  });
}

test('a back-off is forgotten after 3 h without failures', () => {
  const backoff = { 'fake-a': { failures: 3, until: T0 + 20 * MIN, lastFailure: T0, reason: 'x' } };
  const groups = [makeGroup({ name: 'fake-a' })];
  assert.ok(planProvisioning({ now: T0 + 179 * MIN, groups, nodes: [], backoff }).backoff['fake-a']);
  assert.equal(planProvisioning({ now: T0 + 180 * MIN, groups, nodes: [], backoff }).backoff['fake-a'], undefined);
});
