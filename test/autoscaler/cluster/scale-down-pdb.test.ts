import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planScaleDown } from '../../../autoscaler/index.js';
import type { PodDisruptionBudget } from '../../../core/api/index.js';
import { makeGroup, makeNode, makePod } from './fixtures.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function budget(allowed: number, selector: PodDisruptionBudget['spec']['selector'] | null = { matchLabels: { app: 'web' } }, namespace = 'default'): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace },
    spec: { minAvailable: 2, ...(selector ? { selector } : {}) }, status: { disruptionsAllowed: allowed, currentHealthy: 3, desiredHealthy: 3 - allowed, expectedPods: 3 },
  };
}

/** a-1 and a-2 each hold one light `web` pod (10 %), a-3 and a-4 are busy (60 %) with room for both. */
function input(pdbs: PodDisruptionBudget[]) {
  return {
    nodes: ['a-1', 'a-2', 'a-3', 'a-4'].map((name) => makeNode({ name })),
    pods: [
      makePod({ name: 'w1', node: 'a-1', cpu: '200m', labels: { app: 'web' } }),
      makePod({ name: 'w2', node: 'a-2', cpu: '200m', labels: { app: 'web' } }),
      makePod({ name: 'b', node: 'a-3', cpu: '1200m' }),
      makePod({ name: 'c', node: 'a-4', cpu: '1200m' }),
    ],
    groups: [makeGroup({ name: 'fake-a', members: ['a-1', 'a-2', 'a-3', 'a-4'] })],
    now: T0 + 10 * MIN, unneededSince: { 'a-1': T0, 'a-2': T0 },
    pdbs,
  };
}

const cases: { desc: string; pdbs: PodDisruptionBudget[]; unneeded: string[]; kept: Record<string, string> }[] = [
  { desc: 'no budget: both light nodes are unneeded', pdbs: [], unneeded: ['a-1', 'a-2'], kept: {} },
  {
    desc: 'a budget that allows no disruption keeps both nodes (the pdb drainability rule)', pdbs: [budget(0)], unneeded: [],
    kept: { 'a-1': 'not enough pod disruption budget to move default/w1', 'a-2': 'not enough pod disruption budget to move default/w2' },
  },
  { desc: 'one allowed disruption is spent by the first node; the second is kept (RemainingPdbTracker)', pdbs: [budget(1)], unneeded: ['a-1'], kept: { 'a-2': 'not enough pod disruption budget to move default/w2' } },
  { desc: 'two allowed disruptions cover both nodes', pdbs: [budget(2)], unneeded: ['a-1', 'a-2'], kept: {} },
  { desc: 'a budget of another namespace does not apply', pdbs: [budget(0, { matchLabels: { app: 'web' } }, 'other')], unneeded: ['a-1', 'a-2'], kept: {} },
  { desc: 'a budget without a selector covers nothing', pdbs: [budget(0, null)], unneeded: ['a-1', 'a-2'], kept: {} },
  {
    desc: 'an empty selector covers every pod of its namespace', pdbs: [budget(0, {})], unneeded: [],
    kept: { 'a-1': 'not enough pod disruption budget to move default/w1', 'a-2': 'not enough pod disruption budget to move default/w2' },
  },
];

for (const c of cases) {
  test(`scale-down and budgets: ${c.desc}`, () => {
    const plan = planScaleDown(input(c.pdbs));
    assert.deepEqual(Object.keys(plan.unneededSince).sort(), c.unneeded);
    for (const [node, reason] of Object.entries(c.kept)) {
      const st = plan.nodes.find((n) => n.node === node);
      assert.deepEqual([st?.unneeded, st?.reason], [false, reason], node);
    }
    if (c.unneeded.length === 0) assert.equal(plan.drain, undefined, 'a protected node is not drained');
  });
}
