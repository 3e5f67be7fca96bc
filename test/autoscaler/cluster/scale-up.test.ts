import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planScaleUp } from '../../../autoscaler/index.js';
import type { ScaleUpInput } from '../../../autoscaler/index.js';
import { makeGroup, makeNode, makePod, names, pendingPods } from './fixtures.js';

const NOW = Date.UTC(2026, 0, 1);
/** A full 2-CPU node of group fake-a. */
const fullA = { nodes: [makeNode({ name: 'a-1' })], pods: [makePod({ name: 'busy', node: 'a-1', cpu: '2' })] };

test('pending pods that fit one new node of group A trigger exactly one node', () => {
  const plan = planScaleUp({ now: NOW, nodes: fullA.nodes, pods: [...fullA.pods, ...pendingPods('web', 3, { cpu: '600m' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'], max: 6 })] });
  assert.deepEqual(plan.increase, { group: 'fake-a', from: 1, to: 2, max: 6, delta: 1 });
  assert.deepEqual(names(plan.triggered), ['web-0', 'web-1', 'web-2']);
  assert.deepEqual(plan.notTriggered, []);
  assert.match(plan.explanation, /^3 pending pods \(cpu 600m each\) fit 1 new node of group fake-a \(least-waste 1\.10\) → group fake-a 1 → 2$/);
});

const filtered: { desc: string; input: Omit<ScaleUpInput, 'now'>; schedulable: number }[] = [
  {
    desc: 'an unschedulable pod that fits an existing node after all triggers nothing',
    input: { nodes: [makeNode({ name: 'a-1' })], pods: pendingPods('web', 2, { cpu: '500m' }), groups: [makeGroup({ name: 'fake-a', members: ['a-1'] })] },
    schedulable: 2,
  },
  {
    desc: 'pods that fit an upcoming (requested, unregistered) node trigger nothing',
    input: { ...fullA, pods: [...fullA.pods, ...pendingPods('web', 3, { cpu: '600m' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'], creating: ['a-2'] })] },
    schedulable: 3,
  },
  {
    desc: 'a registered node that is not Ready yet still counts as upcoming',
    input: {
      nodes: [...fullA.nodes, makeNode({ name: 'a-2', ready: false })], pods: [...fullA.pods, ...pendingPods('web', 3, { cpu: '600m' })],
      groups: [makeGroup({ name: 'fake-a', members: ['a-1', 'a-2'] })],
    },
    schedulable: 3,
  },
  {
    desc: 'pods being deleted, bound, or not marked Unschedulable are not pending',
    input: {
      ...fullA,
      pods: [...fullA.pods, { ...makePod({ name: 'gone', cpu: '1' }), metadata: { name: 'gone', namespace: 'default', deletionTimestamp: '2026-01-01T00:00:00Z' } },
        makePod({ name: 'fresh', cpu: '1', unschedulable: false })],
      groups: [makeGroup({ name: 'fake-a', members: ['a-1'] })],
    },
    schedulable: 0,
  },
];

for (const c of filtered) {
  test(`scale-up: ${c.desc}`, () => {
    const plan = planScaleUp({ now: NOW, ...c.input });
    assert.equal(plan.increase, undefined);
    assert.equal(plan.schedulable.length, c.schedulable);
    assert.deepEqual(plan.notTriggered, []);
  });
}

/** Two shapes: small (2 CPU, 4Gi, max 2 new) and big (8 CPU, 32Gi); 4 pods of 1500m/3Gi. */
function twoGroups(extra: { small?: object; big?: object } = {}): Omit<ScaleUpInput, 'now'> {
  return {
    nodes: [], pods: pendingPods('job', 4, { cpu: '1500m', memory: '3Gi' }),
    groups: [
      makeGroup({ name: 'small', cpu: '2', memory: '4Gi', max: 2, ...extra.small }),
      makeGroup({ name: 'big', cpu: '8', memory: '32Gi', max: 5, ...extra.big }),
    ],
  };
}

const expanderCases: { desc: string; input: Omit<ScaleUpInput, 'now'>; group: string; delta: number; why: RegExp }[] = [
  { desc: 'least-waste picks the group with the least idle CPU+memory', input: { ...twoGroups(), options: { expander: 'least-waste' } }, group: 'small', delta: 2, why: /least-waste 0\.50/ },
  { desc: 'most-pods picks the group that helps most pods', input: { ...twoGroups(), options: { expander: 'most-pods' } }, group: 'big', delta: 1, why: /most-pods 4/ },
  { desc: 'random with rand 0.1 picks the first by name', input: { ...twoGroups(), options: { expander: 'random' }, rand: () => 0.1 }, group: 'big', delta: 1, why: /random/ },
  { desc: 'random with rand 0.9 picks the second by name', input: { ...twoGroups(), options: { expander: 'random' }, rand: () => 0.9 }, group: 'small', delta: 2, why: /random/ },
  {
    desc: 'priority picks the higher NodeGroup spec.priority',
    input: { ...twoGroups({ small: { priority: 10 }, big: { priority: 20 } }), options: { expander: 'priority' } }, group: 'big', delta: 1, why: /priority 20/,
  },
  {
    desc: 'priority config regexes override spec.priority',
    input: { ...twoGroups({ small: { priority: 10 }, big: { priority: 20 } }), options: { expander: 'priority', priorities: { 50: ['sm.*'], 1: ['.*'] } } }, group: 'small', delta: 2, why: /priority 50/,
  },
  {
    desc: 'price picks the cheapest per pod helped',
    input: { ...twoGroups({ small: { pricePerHour: 1 }, big: { pricePerHour: 3 } }), options: { expander: 'price' } }, group: 'big', delta: 1, why: /price 3\.000\/h/,
  },
  {
    desc: 'price falls back to least-waste when no group has a price',
    input: { ...twoGroups(), options: { expander: 'price' } }, group: 'small', delta: 2, why: /no group has a price, least-waste/,
  },
];

for (const c of expanderCases) {
  test(`expander: ${c.desc}`, () => {
    const plan = planScaleUp({ now: NOW, ...c.input });
    assert.equal(plan.options.length, 2);
    assert.equal(plan.increase?.group, c.group);
    assert.equal(plan.increase?.delta, c.delta);
    assert.match(plan.explanation, c.why);
  });
}

const rejected: { desc: string; input: Omit<ScaleUpInput, 'now'>; message: string }[] = [
  {
    desc: 'a group at max is skipped with the reason',
    input: { ...fullA, pods: [...fullA.pods, makePod({ name: 'p', cpu: '1' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'], max: 1 })] },
    message: "pod didn't trigger scale-up: 1 max node group size reached",
  },
  {
    desc: 'a pod too big for an empty template node',
    input: { nodes: [], pods: [makePod({ name: 'p', cpu: '3' })], groups: [makeGroup({ name: 'fake-a' })] },
    message: "pod didn't trigger scale-up: 1 Insufficient cpu",
  },
  {
    desc: 'one reason per group, as a sorted histogram',
    input: {
      ...fullA, pods: [...fullA.pods, makePod({ name: 'p', cpu: '3' })],
      groups: [makeGroup({ name: 'fake-a', members: ['a-1'], max: 1, cpu: '4' }), makeGroup({ name: 'fake-b' }), makeGroup({ name: 'fake-c' })],
    },
    message: "pod didn't trigger scale-up: 1 max node group size reached, 2 Insufficient cpu",
  },
  {
    desc: 'a template without the required label',
    input: { nodes: [], pods: [makePod({ name: 'p', cpu: '1', nodeSelector: { disk: 'ssd' } })], groups: [makeGroup({ name: 'fake-a', labels: { disk: 'hdd' } })] },
    message: "pod didn't trigger scale-up: 1 node(s) didn't match Pod's node affinity/selector",
  },
  {
    desc: 'a template taint the pod does not tolerate',
    input: { nodes: [], pods: [makePod({ name: 'p', cpu: '1' })], groups: [makeGroup({ name: 'gpu', taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })] },
    message: "pod didn't trigger scale-up: 1 node(s) had untolerated taint {gpu: true}",
  },
  {
    desc: 'a group in back-off',
    input: { nodes: [], pods: [makePod({ name: 'p', cpu: '1' })], groups: [makeGroup({ name: 'fake-a' })], backoff: { 'fake-a': { failures: 1, until: NOW + 1, lastFailure: NOW, reason: 'x' } } },
    message: "pod didn't trigger scale-up: 1 in backoff after failed scale-up",
  },
  {
    desc: 'the cluster-wide node limit',
    input: { ...fullA, pods: [...fullA.pods, makePod({ name: 'p', cpu: '1' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'] })], options: { maxNodesTotal: 1 } },
    message: "pod didn't trigger scale-up: 1 max node total count already reached",
  },
  {
    desc: 'the cluster-wide core limit',
    input: { ...fullA, pods: [...fullA.pods, makePod({ name: 'p', cpu: '1' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'] })], options: { maxCoresTotal: 3 } },
    message: "pod didn't trigger scale-up: 1 max cluster cpu, memory limit reached",
  },
  {
    desc: 'no node groups at all',
    input: { nodes: [], pods: [makePod({ name: 'p', cpu: '1' })], groups: [] },
    message: "pod didn't trigger scale-up (it wouldn't fit if a new node is added): no node groups",
  },
];

for (const c of rejected) {
  test(`NotTriggerScaleUp: ${c.desc}`, () => {
    const plan = planScaleUp({ now: NOW, ...c.input });
    assert.equal(plan.increase, undefined);
    assert.deepEqual(plan.notTriggered.map((n) => [n.pod.metadata.name, n.message]), [['p', c.message]]);
  });
}

const clamps: { desc: string; input: Omit<ScaleUpInput, 'now'>; delta: number; helped: number; reason: string }[] = [
  {
    desc: 'the increase is clamped to the group max; the rest is explained',
    input: { ...fullA, pods: [...fullA.pods, ...pendingPods('p', 5, { cpu: '1500m' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'], max: 3 })] },
    delta: 2, helped: 2, reason: "pod didn't trigger scale-up: 1 max node group size reached",
  },
  {
    desc: 'the increase is clamped to max nodes total',
    input: { ...fullA, pods: [...fullA.pods, ...pendingPods('p', 5, { cpu: '1500m' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'] })], options: { maxNodesTotal: 4 } },
    delta: 3, helped: 3, reason: "pod didn't trigger scale-up: 1 max node total count already reached",
  },
];

for (const c of clamps) {
  test(`scale-up: ${c.desc}`, () => {
    const plan = planScaleUp({ now: NOW, ...c.input });
    assert.equal(plan.increase?.delta, c.delta);
    assert.equal(plan.triggered.length, c.helped);
    assert.equal(plan.notTriggered.length, 5 - c.helped);
    for (const n of plan.notTriggered) assert.equal(n.message, c.reason);
  });
}

test('scale-up never mutates its inputs', () => {
  const input = { now: NOW, ...fullA, pods: [...fullA.pods, ...pendingPods('web', 3, { cpu: '600m' })], groups: [makeGroup({ name: 'fake-a', members: ['a-1'] })] };
  const before = JSON.stringify(input);
  planScaleUp(input);
  assert.equal(JSON.stringify(input), before);
});
