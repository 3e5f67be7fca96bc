import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../../core/api/index.js';
import {
  balancedAllocationScore, buildNodeInfos, leastAllocatedScore, normalize, preferNoScheduleCount, preferredAffinityWeight,
  schedulePods, spreadScores, type NodeInfo,
} from '../../../core/scheduler/index.js';
import { makeNode, makePod, type NodeFixture, type PodFixture } from './fixtures.js';

function one(node: NodeFixture, placed: PodFixture[] = []): NodeInfo {
  const [i] = buildNodeInfos([makeNode(node)], placed.map((p) => makePod({ ...p, node: node.name })));
  assert.ok(i);
  return i;
}

test('leastAllocatedScore: ((allocatable - requested) * 100 / allocatable) averaged over cpu and memory', () => {
  const cases = [
    { description: 'empty node, half of each', pod: { name: 'p', cpu: '2', memory: '4Gi' }, node: { name: 'n', cpu: '4', memory: '8Gi' }, want: 50 },
    { description: 'defaults 100m/200Mi for no requests', pod: { name: 'p' }, node: { name: 'n', cpu: '1', memory: '2000Mi' }, want: 90 },
    { description: 'placed pods count', pod: { name: 'p', cpu: '1', memory: '2Gi' }, node: { name: 'n', cpu: '4', memory: '8Gi' }, placed: [{ name: 'q', cpu: '1', memory: '2Gi' }], want: 50 },
    { description: 'cpu 75% free, memory 25% free', pod: { name: 'p', cpu: '1', memory: '6Gi' }, node: { name: 'n', cpu: '4', memory: '8Gi' }, want: 50 },
    { description: 'over-requested resource scores 0', pod: { name: 'p', cpu: '8', memory: '4Gi' }, node: { name: 'n', cpu: '4', memory: '8Gi' }, want: 25 },
  ];
  for (const c of cases) assert.equal(leastAllocatedScore(makePod(c.pod), one(c.node, c.placed)), c.want, c.description);
});

test('balancedAllocationScore prefers equal cpu and memory fractions', () => {
  const node = { name: 'n', cpu: '4', memory: '8Gi' };
  assert.equal(balancedAllocationScore(makePod({ name: 'p', cpu: '2', memory: '4Gi' }), one(node)), 100);
  assert.equal(balancedAllocationScore(makePod({ name: 'p', cpu: '4', memory: '0' }), one(node)), 50);
});

test('normalize: scale to 100, reverse, all zero', () => {
  const cases = [
    { description: 'scale', in: [0, 5, 10], reverse: false, want: [0, 50, 100] },
    { description: 'reverse', in: [0, 1, 2], reverse: true, want: [100, 50, 0] },
    { description: 'all zero', in: [0, 0], reverse: false, want: [0, 0] },
    { description: 'all zero reversed', in: [0, 0], reverse: true, want: [100, 100] },
  ];
  for (const c of cases) assert.deepEqual(normalize(c.in, c.reverse), c.want, c.description);
});

test('preferNoScheduleCount and preferredAffinityWeight', () => {
  const tainted = one({ name: 'n', taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] });
  assert.equal(preferNoScheduleCount(makePod({ name: 'p' }), tainted), 2);
  assert.equal(preferNoScheduleCount(makePod({ name: 'p', tolerations: [{ key: 'a', operator: 'Exists' }] }), tainted), 1);
  const pod = makePod({
    name: 'p',
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      { weight: 5, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } },
    ] } },
  });
  assert.equal(preferredAffinityWeight(pod, one({ name: 'n', labels: { disk: 'ssd', gpu: 'x' } })), 15);
  assert.equal(preferredAffinityWeight(pod, one({ name: 'n', labels: { disk: 'hdd' } })), 0);
});

test('spreadScores: fewer pods of the same owner on the node and in the zone is better', () => {
  const infos = buildNodeInfos(
    [makeNode({ name: 'a', zone: 'z1' }), makeNode({ name: 'b', zone: 'z1' }), makeNode({ name: 'c', zone: 'z2' })],
    [makePod({ name: 'r1', owner: 'rs', node: 'a' }), makePod({ name: 'other', owner: 'other', node: 'c' })],
  );
  // node score: a 0, b 100, c 100; zone score: z1 0, z2 100 → a 0, b 33, c 100.
  assert.deepEqual(spreadScores(makePod({ name: 'r2', owner: 'rs' }), infos, []), [0, 33, 100]);
  // no owner and no service: nothing to spread against.
  assert.deepEqual(spreadScores(makePod({ name: 'x' }), infos, []), [100, 100, 100]);
});

function placement(pods: PodFixture[], nodes: NodeFixture[], services: Service[] = []): Record<string, number> {
  const infos = buildNodeInfos(nodes.map(makeNode), []);
  const results = schedulePods(pods.map(makePod), infos, { services });
  const out: Record<string, number> = {};
  for (const r of results) {
    assert.ok(r.node !== undefined, 'every pod placed');
    out[r.node] = (out[r.node] ?? 0) + 1;
  }
  return out;
}

test('3 replicas of one ReplicaSet spread over 2 nodes: 2 + 1', () => {
  const got = placement([1, 2, 3].map((i) => ({ name: `r${i}`, owner: 'rs', cpu: '100m' })), [{ name: 'a' }, { name: 'b' }]);
  assert.deepEqual(Object.values(got).sort(), [1, 2]);
});

test('3 replicas selected by one Service spread over 2 zones before nodes', () => {
  const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: 'default' }, spec: { selector: { app: 'echo' } } };
  // Zone z1 has three nodes, z2 one: pure node spreading would put all three in z1.
  const nodes = [{ name: 'a', zone: 'z1' }, { name: 'b', zone: 'z1' }, { name: 'c', zone: 'z1' }, { name: 'd', zone: 'z2' }];
  const pods = [1, 2, 3].map((i) => ({ name: `e${i}`, labels: { app: 'echo' } }));
  const got = placement(pods, nodes, [svc]);
  assert.ok((got.d ?? 0) >= 1, `zone z2 gets a replica: ${JSON.stringify(got)}`);
  assert.ok(Object.values(got).every((n) => n === 1), `no node gets two: ${JSON.stringify(got)}`);
});

test('PreferNoSchedule and preferred affinity steer placement', () => {
  const tainted = placement([{ name: 'p' }], [{ name: 'a', taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }, { name: 'b' }]);
  assert.deepEqual(tainted, { b: 1 });
  const preferred = placement([{
    name: 'p',
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } },
  }], [{ name: 'a' }, { name: 'b', labels: { disk: 'ssd' } }]);
  assert.deepEqual(preferred, { b: 1 });
});

test('least allocated steers to the emptier node', () => {
  const infos = buildNodeInfos([makeNode({ name: 'a' }), makeNode({ name: 'b' })], [makePod({ name: 'big', cpu: '3', memory: '6Gi', node: 'a' })]);
  const [r] = schedulePods([makePod({ name: 'p', cpu: '100m' })], infos);
  assert.equal(r?.node, 'b');
});
