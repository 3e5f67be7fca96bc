import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetStatus, deletionTimeoutMs, expectedCounts, failSafeStatus, podsForBudget } from '../../../../core/controllers/workloads/index.js';
import type { Pod, PodDisruptionBudget, PodDisruptionBudgetSpec } from '../../../../core/api/index.js';
import { iso, makePod, t0 } from './fixtures.js';

function pdb(spec: PodDisruptionBudgetSpec, extra: Partial<PodDisruptionBudget> = {}): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'default', generation: 1 }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec }, ...extra };
}
const ready = (n: number, prefix = 'p'): Pod[] => Array.from({ length: n }, (_, i) => makePod({ name: `${prefix}${i}`, ready: true }));
const notReady = (n: number, prefix = 'u'): Pod[] => Array.from({ length: n }, (_, i) => makePod({ name: `${prefix}${i}`, ready: false }));

// [disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods], as disruption_test.go's VerifyPdbStatus.
type Want = [number, number, number, number];

const cases: { description: string; spec: PodDisruptionBudgetSpec; pods: Pod[]; scale?: number; want: Want }[] = [
  { description: 'TestNoSelector: minAvailable 3, empty selector, no pods', spec: { minAvailable: 3, selector: {} }, pods: [], want: [0, 0, 3, 0] },
  { description: 'TestNoSelector: the empty selector matches a pod', spec: { minAvailable: 3, selector: {} }, pods: ready(1), want: [0, 1, 3, 1] },
  { description: 'TestUnavailable: 4 ready pods over minAvailable 3', spec: { minAvailable: 3 }, pods: ready(4), want: [1, 4, 3, 4] },
  { description: 'TestUnavailable: one of 4 pods unready', spec: { minAvailable: 3 }, pods: [...ready(3), ...notReady(1)], want: [0, 3, 3, 4] },
  { description: 'TestIntegerMaxUnavailableWithScaling: maxUnavailable 2 of a 7-replica controller, 1 pod', spec: { maxUnavailable: 2 }, pods: ready(1), scale: 7, want: [0, 1, 5, 7] },
  { description: 'TestIntegerMaxUnavailableWithScaling: scaled to 5', spec: { maxUnavailable: 2 }, pods: ready(1), scale: 5, want: [0, 1, 3, 5] },
  { description: 'TestPercentageMaxUnavailableWithScaling: 30% of 7 rounds up to 3', spec: { maxUnavailable: '30%' }, pods: ready(1), scale: 7, want: [0, 1, 4, 7] },
  { description: 'TestPercentageMaxUnavailableWithScaling: 30% of 3 rounds up to 1', spec: { maxUnavailable: '30%' }, pods: ready(1), scale: 3, want: [0, 1, 2, 3] },
  { description: 'TestIntegerMaxUnavailable: a naked pod has no scale → nothing allowed', spec: { maxUnavailable: 1 }, pods: ready(1), scale: 0, want: [0, 1, 0, 0] },
  { description: 'TestReplicaSet: minAvailable 20% of 10 → 2', spec: { minAvailable: '20%' }, pods: ready(1), scale: 10, want: [0, 1, 2, 10] },
  { description: 'TestReplicationController: 34% of 3 rounds up to 2, 2 pods', spec: { minAvailable: '34%' }, pods: ready(2), scale: 3, want: [0, 2, 2, 3] },
  { description: 'TestReplicationController: 34% of 3, 3 pods', spec: { minAvailable: '34%' }, pods: ready(3), scale: 3, want: [1, 3, 2, 3] },
  { description: 'TestReplicationController: a rogue pod without controller still counts as healthy', spec: { minAvailable: '34%' }, pods: ready(4), scale: 3, want: [2, 4, 2, 3] },
  { description: 'TestScaleResource: maxUnavailable 5 of a 10-replica custom resource, 4 pods', spec: { maxUnavailable: 5 }, pods: ready(4), scale: 10, want: [0, 4, 5, 10] },
  { description: 'TestTwoControllers: 28% of 11 rounds up to 4, 5 of 11 ready', spec: { minAvailable: '28%' }, pods: [...ready(5), ...notReady(6)], scale: 11, want: [1, 5, 4, 11] },
  { description: 'TestTwoControllers: 28% of 22 rounds up to 7, 9 ready', spec: { minAvailable: '28%' }, pods: [...ready(9), ...notReady(13)], scale: 22, want: [2, 9, 7, 22] },
  { description: 'minAvailable 2 of 3 ready pods (the drain case)', spec: { minAvailable: 2 }, pods: ready(3), want: [1, 3, 2, 3] },
  { description: 'maxUnavailable 0 never allows a disruption', spec: { maxUnavailable: 0 }, pods: ready(3), scale: 3, want: [0, 3, 3, 3] },
  { description: 'minAvailable 100% never allows a disruption', spec: { minAvailable: '100%' }, pods: ready(3), scale: 3, want: [0, 3, 3, 3] },
  { description: 'neither field: nothing expected, nothing allowed', spec: {}, pods: ready(3), want: [0, 3, 0, 0] },
  { description: 'pods being deleted are not healthy', spec: { minAvailable: 1 }, pods: [...ready(1), makePod({ name: 'gone', ready: true, deleting: true })], want: [0, 1, 1, 2] },
];

for (const c of cases) {
  test(`budgetStatus: ${c.description}`, () => {
    const { status } = budgetStatus({ pdb: pdb(c.spec), pods: c.pods, scale: c.scale ?? 0, now: t0 });
    assert.deepEqual([status.disruptionsAllowed, status.currentHealthy, status.desiredHealthy, status.expectedPods], c.want);
    const cond = status.conditions?.find((x) => x.type === 'DisruptionAllowed');
    assert.deepEqual([cond?.status, cond?.reason], c.want[0] > 0 ? ['True', 'SufficientPods'] : ['False', 'InsufficientPods']);
    assert.equal(status.observedGeneration, 1);
  });
}

test('percentages round up for both fields (GetScaledValueFromIntOrPercent with roundUp)', () => {
  assert.deepEqual(expectedCounts({ minAvailable: '50%' }, 0, 5), { expectedPods: 5, desiredHealthy: 3 });
  assert.deepEqual(expectedCounts({ maxUnavailable: '50%' }, 0, 5), { expectedPods: 5, desiredHealthy: 2 });
  assert.deepEqual(expectedCounts({ maxUnavailable: 9 }, 0, 5), { expectedPods: 5, desiredHealthy: 0 }, 'never below 0');
});

test('selector: none matches nothing, empty matches every pod of the namespace only', () => {
  const other = { ...makePod({ name: 'x', ready: true }), metadata: { ...makePod({ name: 'x' }).metadata, namespace: 'other' } };
  const pods = [...ready(2), makePod({ name: 'db', labels: { app: 'db' }, ready: true }), other];
  assert.equal(podsForBudget({ ...pdb({}), spec: {} }, pods).length, 0);
  assert.equal(podsForBudget(pdb({ selector: {} }), pods).length, 3);
  assert.equal(podsForBudget(pdb({}), pods).length, 2);
});

test('disruptedPods: fresh evictions keep a pod out of the healthy count; expired and deleted entries go', () => {
  const pods = ready(4);
  const deleting = makePod({ name: 'p3', ready: true, deleting: true });
  const recorded = { p0: iso(t0 - 1000), p1: iso(t0 - deletionTimeoutMs - 1000), p3: iso(t0), ghost: iso(t0) };
  const b = pdb({ minAvailable: 1 }, { status: { disruptionsAllowed: 0, currentHealthy: 4, desiredHealthy: 1, expectedPods: 4, disruptedPods: recorded } });
  const { status, expired, recheckAt } = budgetStatus({ pdb: b, pods: [pods[0], pods[1], pods[2], deleting].filter((p): p is Pod => p !== undefined), scale: 0, now: t0 });
  assert.deepEqual(status.disruptedPods, { p0: iso(t0 - 1000) }, 'only the fresh one of an existing, not deleted pod');
  assert.deepEqual(expired, ['p1']);
  assert.equal(recheckAt, t0 - 1000 + deletionTimeoutMs);
  assert.equal(status.currentHealthy, 2, 'p0 is about to go, p3 is going');
  assert.equal(status.disruptionsAllowed, 1);
});

test('the condition keeps its transition time while its status holds', () => {
  const first = budgetStatus({ pdb: pdb({ minAvailable: 1 }), pods: ready(3), scale: 0, now: t0 }).status;
  const again = budgetStatus({ pdb: pdb({ minAvailable: 1 }, { status: first }), pods: ready(2), scale: 0, now: t0 + 60_000 }).status;
  assert.equal(again.conditions?.[0]?.lastTransitionTime, iso(t0));
  const flipped = budgetStatus({ pdb: pdb({ minAvailable: 1 }, { status: again }), pods: ready(1), scale: 0, now: t0 + 120_000 }).status;
  assert.deepEqual([flipped.conditions?.[0]?.status, flipped.conditions?.[0]?.lastTransitionTime], ['False', iso(t0 + 120_000)]);
});

test('failSafe: no disruption, SyncFailed with the error', () => {
  const st = failSafeStatus(pdb({ maxUnavailable: 1 }), 'found no controllers for pod "p0"', t0);
  assert.equal(st.disruptionsAllowed, 0);
  assert.deepEqual(st.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['DisruptionAllowed', 'False', 'SyncFailed', 'found no controllers for pod "p0"']]);
});
