import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planScaleDown } from '../../../autoscaler/index.js';
import type { Pod } from '../../../core/api/index.js';
import type { ScaleDownInput, ScaleDownPlan } from '../../../autoscaler/index.js';
import { makeGroup, makeNode, makePod, type PodSpecLite } from './fixtures.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

/** a-1 at 10 % (one 200m pod, shaped by `light`), a-2 and a-3 at 60 %. */
function cluster(light: Partial<PodSpecLite> = {}, group: { min?: number } = {}): Omit<ScaleDownInput, 'now'> {
  return {
    nodes: ['a-1', 'a-2', 'a-3'].map((name) => makeNode({ name })),
    pods: [
      makePod({ name: 'light', node: 'a-1', cpu: '200m', ...light }),
      makePod({ name: 'b', node: 'a-2', cpu: '1200m' }),
      makePod({ name: 'c', node: 'a-3', cpu: '1200m' }),
    ],
    groups: [makeGroup({ name: 'fake-a', members: ['a-1', 'a-2', 'a-3'], ...group })],
  };
}

function status(plan: ScaleDownPlan, node: string) {
  return plan.nodes.find((n) => n.node === node);
}

test('an under-used node is removed only after the unneeded time (stepped time)', () => {
  const input = cluster();
  const steps: { at: number; drain: string | undefined }[] = [
    { at: T0, drain: undefined },
    { at: T0 + 5 * MIN, drain: undefined },
    { at: T0 + 10 * MIN - 1, drain: undefined },
    { at: T0 + 10 * MIN, drain: 'a-1' },
  ];
  let since: Record<string, number> = {};
  for (const s of steps) {
    const plan = planScaleDown({ ...input, now: s.at, unneededSince: since });
    since = plan.unneededSince;
    assert.deepEqual(since, { 'a-1': T0 }, `at +${(s.at - T0) / MIN} m`);
    assert.equal(plan.drain?.node, s.drain, `at +${(s.at - T0) / MIN} m`);
    assert.deepEqual(plan.removeEmpty, []);
  }
  const last = planScaleDown({ ...input, now: T0 + 10 * MIN, unneededSince: since });
  assert.deepEqual(last.drain?.pods.map((p) => p.metadata.name), ['light']);
  assert.match(last.explanation, /node a-1 \(group fake-a\) at 10% utilization, below 50% for 10 m/);
  assert.equal(status(last, 'a-2')?.unneeded, false);
  assert.match(status(last, 'a-2')?.reason ?? '', /utilization 60% is not below the threshold 50%/);
});

test('a node that stops being unneeded loses its unneeded-since time', () => {
  const input = cluster({ cpu: '1500m' });
  const plan = planScaleDown({ ...input, now: T0 + 20 * MIN, unneededSince: { 'a-1': T0 } });
  assert.deepEqual(plan.unneededSince, {});
  assert.equal(plan.drain, undefined);
});

const blockers: { desc: string; light: Partial<PodSpecLite>; reason: string | undefined; pdb?: boolean }[] = [
  { desc: 'a pod without a controller', light: { owner: 'none' }, reason: 'default/light is not replicated' },
  { desc: 'a pod of a controller kind that does not recreate pods', light: { owner: 'CustomController' }, reason: 'default/light is not replicated' },
  { desc: 'a StatefulSet pod', light: { owner: 'StatefulSet' }, reason: undefined },
  { desc: 'a finished pod without a controller', light: { owner: 'none', phase: 'Succeeded' }, reason: undefined },
  { desc: 'a pod with an emptyDir volume', light: { volumes: [{ name: 'v', emptyDir: {} }] }, reason: 'pod with local storage present: light' },
  { desc: 'a pod with a hostPath volume', light: { volumes: [{ name: 'v', hostPath: { path: '/x' } }] }, reason: 'pod with local storage present: light' },
  { desc: 'a pod annotated safe-to-evict "false"', light: { annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' } }, reason: 'pod annotated as not safe to evict present: light' },
  { desc: 'a kube-system pod without a PDB', light: { namespace: 'kube-system' }, reason: 'non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: light' },
  { desc: 'a kube-system pod covered by a PDB', light: { namespace: 'kube-system', labels: { app: 'dns' } }, reason: undefined, pdb: true },
  { desc: 'safe-to-evict "true" overrides no controller', light: { owner: 'none', annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } }, reason: undefined },
];

for (const c of blockers) {
  test(`scale-down blocked? ${c.desc}`, () => {
    const plan = planScaleDown({
      ...cluster(c.light), now: T0 + 10 * MIN, unneededSince: { 'a-1': T0 },
      ...(c.pdb ? { pdbs: [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'dns', namespace: 'kube-system' }, spec: { selector: { matchLabels: { app: 'dns' } } }, status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } }] } : {}),
    });
    assert.equal(status(plan, 'a-1')?.reason, c.reason);
    assert.equal(plan.drain?.node ?? plan.removeEmpty[0]?.node, c.reason === undefined ? 'a-1' : undefined);
  });
}

const kept: { desc: string; input: Omit<ScaleDownInput, 'now'>; reason?: string; cooldown?: string }[] = [
  { desc: 'a group at its min size', input: cluster({}, { min: 3 }), reason: 'node group min size reached' },
  { desc: 'delay after add', input: { ...cluster(), lastScaleUpTime: T0 + 5 * MIN }, cooldown: 'scale-down in cooldown: delay after add' },
  { desc: 'delay after delete', input: { ...cluster(), lastScaleDownDeleteTime: T0 + 10 * MIN - 5_000 }, cooldown: 'scale-down in cooldown: delay after delete' },
  { desc: 'delay after failure', input: { ...cluster(), lastScaleDownFailTime: T0 + 9 * MIN }, cooldown: 'scale-down in cooldown: delay after failure' },
  {
    desc: 'a node annotated scale-down-disabled',
    input: { ...cluster(), nodes: [makeNode({ name: 'a-1', annotations: { 'cluster-autoscaler.kubernetes.io/scale-down-disabled': 'true' } }), makeNode({ name: 'a-2' }), makeNode({ name: 'a-3' })] },
    reason: 'scale-down disabled by annotation',
  },
  { desc: 'pods with no place to go', input: cluster({ cpu: '900m' }), reason: 'no place to move pods' },
];

for (const c of kept) {
  test(`scale-down keeps the node: ${c.desc}`, () => {
    const plan = planScaleDown({ ...c.input, now: T0 + 10 * MIN, unneededSince: { 'a-1': T0 } });
    assert.equal(plan.drain, undefined);
    assert.deepEqual(plan.removeEmpty, []);
    if (c.reason) assert.equal(status(plan, 'a-1')?.reason, c.reason);
    if (c.cooldown) {
      assert.equal(plan.cooldown, c.cooldown);
      assert.deepEqual(plan.unneededSince, { 'a-1': T0 }, 'unneeded times are kept during cooldown');
    }
  });
}

test('delay after add: removal resumes once the delay is over', () => {
  const plan = planScaleDown({ ...cluster(), lastScaleUpTime: T0, now: T0 + 10 * MIN, unneededSince: { 'a-1': T0 } });
  assert.equal(plan.cooldown, undefined);
  assert.equal(plan.drain?.node, 'a-1');
});

test('empty nodes go in bulk (at most maxEmptyBulkDelete), DaemonSet pods neither count nor block', () => {
  const names = ['e-1', 'e-2', 'e-3', 'busy'];
  const pods: Pod[] = [
    makePod({ name: 'ds-1', node: 'e-1', cpu: '1500m', owner: 'DaemonSet' }),
    makePod({ name: 'work', node: 'busy', cpu: '1500m' }),
  ];
  const plan = planScaleDown({
    now: T0 + 10 * MIN, nodes: names.map((name) => makeNode({ name })), pods,
    groups: [makeGroup({ name: 'fake-a', members: names })], unneededSince: { 'e-1': T0, 'e-2': T0, 'e-3': T0 }, options: { maxEmptyBulkDelete: 2 },
  });
  assert.deepEqual(plan.removeEmpty, [{ node: 'e-1', group: 'fake-a' }, { node: 'e-2', group: 'fake-a' }]);
  assert.equal(plan.drain, undefined);
  assert.equal(status(plan, 'e-1')?.utilization, 0);
  assert.match(plan.explanation, /^2 empty nodes unneeded for 10 m: remove e-1 \(group fake-a\), e-2 \(group fake-a\)$/);
});

test('two under-used nodes cannot both count their pods onto each other', () => {
  // a-1 and a-2 at 40 % each: either can absorb the other, not both at once.
  const nodes = ['a-1', 'a-2'].map((name) => makeNode({ name }));
  const pods = [makePod({ name: 'x', node: 'a-1', cpu: '800m' }), makePod({ name: 'y', node: 'a-2', cpu: '800m' })];
  const plan = planScaleDown({ now: T0, nodes, pods, groups: [makeGroup({ name: 'fake-a', members: ['a-1', 'a-2'] })] });
  assert.deepEqual(Object.keys(plan.unneededSince), ['a-1']);
  assert.equal(status(plan, 'a-2')?.reason, 'no place to move pods');
});

test('nodes outside autoscaled groups are left alone', () => {
  const plan = planScaleDown({ now: T0, nodes: [makeNode({ name: 'solo' })], pods: [], groups: [] });
  assert.equal(status(plan, 'solo')?.reason, 'node is not in an autoscaled node group');
  assert.deepEqual(plan.unneededSince, {});
});
