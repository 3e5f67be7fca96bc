import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assume, buildNodeInfos, podNonZeroRequests, podRequests } from '../../../core/scheduler/index.js';
import { makeNode, makePod } from './fixtures.js';

test('podRequests: max(sum of containers, any init container)', () => {
  const cases = [
    { description: 'one container', pod: makePod({ name: 'p', cpu: '500m', memory: '64Mi' }), want: { cpu: 500, memory: 64 * 2 ** 20 } },
    { description: 'containers add up', pod: makePod({ name: 'p', cpu: '250m', more: [{ cpu: '0.25' }] }), want: { cpu: 500 } },
    { description: 'a bigger init container wins', pod: makePod({ name: 'p', cpu: '100m', init: [{ cpu: '1', memory: '1Gi' }] }), want: { cpu: 1000, memory: 2 ** 30 } },
    { description: 'a smaller init container does not', pod: makePod({ name: 'p', cpu: '2', init: [{ cpu: '1' }] }), want: { cpu: 2000 } },
    { description: 'no requests is zero', pod: makePod({ name: 'p' }), want: {} },
  ];
  for (const c of cases) assert.deepEqual(podRequests(c.pod), c.want, c.description);
});

test('podNonZeroRequests: defaults 100m / 200Mi per container without requests', () => {
  const cases = [
    { description: 'nothing requested', pod: makePod({ name: 'p' }), want: { cpu: 100, memory: 200 * 2 ** 20 } },
    { description: 'two containers, one with cpu', pod: makePod({ name: 'p', cpu: '1', more: [{}] }), want: { cpu: 1100, memory: 400 * 2 ** 20 } },
  ];
  for (const c of cases) assert.deepEqual(podNonZeroRequests(c.pod), c.want, c.description);
});

test('buildNodeInfos sums placed pods, skips terminated and unknown-node pods; assume adds incrementally', () => {
  const nodes = [makeNode({ name: 'a' }), makeNode({ name: 'b' })];
  const pods = [
    makePod({ name: 'p1', cpu: '500m', node: 'a', hostPort: 80 }),
    makePod({ name: 'p2', cpu: '250m', node: 'a' }),
    makePod({ name: 'done', cpu: '4', node: 'a', phase: 'Succeeded' }),
    makePod({ name: 'elsewhere', cpu: '1', node: 'zzz' }),
    makePod({ name: 'pending', cpu: '1' }),
  ];
  const [a, b] = buildNodeInfos(nodes, pods);
  assert.ok(a && b);
  assert.deepEqual(a.pods.map((p) => p.metadata.name), ['p1', 'p2']);
  assert.equal(a.requested.cpu, 750);
  assert.deepEqual(a.usedPorts, [{ ip: '0.0.0.0', protocol: 'TCP', port: 80 }]);
  assert.equal(b.pods.length, 0);
  assume(b, makePod({ name: 'new', cpu: '1', memory: '1Gi' }));
  assert.equal(b.requested.cpu, 1000);
  assert.equal(b.requested.memory, 2 ** 30);
  assert.equal(b.nonZeroRequested.cpu, 1000);
});
