import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNodeInfos, reasonHistogram, schedulePod, schedulePods } from '../../../core/scheduler/index.js';
import { makeNode, makePod, type NodeFixture, type PodFixture } from './fixtures.js';

function message(pod: PodFixture, nodes: NodeFixture[], placed: PodFixture[] = []): string {
  const r = schedulePod(makePod(pod), buildNodeInfos(nodes.map(makeNode), placed.map(makePod)));
  assert.equal(r.node, undefined, 'unschedulable');
  return r.node === undefined ? r.message : '';
}

test('unschedulable messages as Kubernetes writes them', () => {
  const cases = [
    {
      description: 'one reason on every node',
      pod: { name: 'p', cpu: '3' }, nodes: [{ name: 'a', cpu: '2' }, { name: 'b', cpu: '2' }],
      want: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    },
    {
      description: 'several reasons, sorted, counted',
      pod: { name: 'p', memory: '4Gi' },
      nodes: [{ name: 'a', memory: '1Gi' }, { name: 'b', taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' as const }] }, { name: 'c', taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' as const }] }],
      want: '0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {foo: bar}. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    },
    {
      description: 'a node contributes several reasons',
      pod: { name: 'p', cpu: '3', memory: '3Gi' }, nodes: [{ name: 'a', cpu: '2', memory: '2Gi' }, { name: 'b', cpu: '2', memory: '8Gi' }],
      want: '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    },
    {
      description: 'cordoned, NotReady and too many pods',
      pod: { name: 'p' },
      nodes: [{ name: 'a', unschedulable: true }, { name: 'b', ready: 'False' as const }, { name: 'c', pods: '1' }],
      placed: [{ name: 'q', node: 'c' }],
      want: '0/3 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    },
    { description: 'no nodes at all', pod: { name: 'p' }, nodes: [], want: 'no nodes available to schedule pods' },
  ];
  for (const c of cases) assert.equal(message(c.pod, c.nodes, c.placed), c.want, c.description);
});

test('a pod with preemptionPolicy Never gets the not-eligible clause', () => {
  const pod = makePod({ name: 'p', cpu: '3' });
  const never = { ...pod, spec: { ...pod.spec, preemptionPolicy: 'Never' } };
  const r = schedulePod(never, buildNodeInfos([makeNode({ name: 'a', cpu: '2' })], []));
  assert.equal(r.node === undefined ? r.message : '', '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
});

test('reasonHistogram sorts "count reason" strings like Kubernetes', () => {
  assert.equal(reasonHistogram(['b', 'a', 'b']), '1 a, 2 b');
  assert.equal(reasonHistogram(['x', 'x', 'y']), '1 y, 2 x');
});

test('schedulePod reports per-node reasons', () => {
  const r = schedulePod(makePod({ name: 'p', cpu: '3' }), buildNodeInfos([makeNode({ name: 'a', cpu: '2' })], []));
  assert.equal(r.node, undefined);
  if (r.node === undefined) assert.deepEqual(r.reasons, { a: { reasons: ['Insufficient cpu'], unresolvable: false } });
});

test('ties break by name, or by the injected rand', () => {
  const nodes = () => buildNodeInfos([makeNode({ name: 'b' }), makeNode({ name: 'a' }), makeNode({ name: 'c' })], []);
  const cases = [
    { description: 'first by name', rand: undefined, want: 'a' },
    { description: 'rand 0.5 of three', rand: () => 0.5, want: 'b' },
    { description: 'rand near 1', rand: () => 0.999, want: 'c' },
  ];
  for (const c of cases) assert.equal(schedulePod(makePod({ name: 'p' }), nodes(), { rand: c.rand }).node, c.want, c.description);
});

test('batch placement with assume fills nodes and reports what does not fit', () => {
  const infos = buildNodeInfos([makeNode({ name: 'a', cpu: '1' }), makeNode({ name: 'b', cpu: '1' })], []);
  const pods = [1, 2, 3, 4, 5].map((i) => makePod({ name: `p${i}`, cpu: '500m' }));
  const results = schedulePods(pods, infos);
  const placed = results.filter((r) => r.node !== undefined).map((r) => r.node);
  assert.equal(placed.length, 4);
  assert.equal(placed.filter((n) => n === 'a').length, 2);
  assert.equal(placed.filter((n) => n === 'b').length, 2);
  const last = results[4];
  assert.ok(last && last.node === undefined);
  assert.match(last.node === undefined ? last.message : '', /^0\/2 nodes are available: 2 Insufficient cpu\./);
  assert.equal(infos[0]?.requested.cpu, 1000, 'assume updated the node info');
});
