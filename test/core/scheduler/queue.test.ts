import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignedPodFreedRoom, isPendingFor, nodeChangeMatters, pendingPodChanged } from '../../../core/scheduler/index.js';
import { makeNode, makePod } from './fixtures.js';

test('isPendingFor: unassigned, alive pods of this scheduler', () => {
  const pending = makePod({ name: 'p' });
  const cases = [
    { description: 'unset schedulerName is the default', pod: pending, want: true },
    { description: 'explicit default-scheduler', pod: { ...pending, spec: { ...pending.spec, schedulerName: 'default-scheduler' } }, want: true },
    { description: 'another scheduler', pod: { ...pending, spec: { ...pending.spec, schedulerName: 'other' } }, want: false },
    { description: 'already assigned', pod: makePod({ name: 'p', node: 'n' }), want: false },
    { description: 'being deleted', pod: { ...pending, metadata: { ...pending.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, want: false },
    { description: 'finished', pod: makePod({ name: 'p', phase: 'Failed' }), want: false },
  ];
  for (const c of cases) assert.equal(isPendingFor(c.pod, 'default-scheduler'), c.want, c.description);
});

test('nodeChangeMatters ignores heartbeats but not taints, labels, allocatable or readiness', () => {
  const n = makeNode({ name: 'n' });
  const heartbeat = { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True' as const, lastHeartbeatTime: 'later' }] } };
  const cases = [
    { description: 'heartbeat only', next: heartbeat, want: false },
    { description: 'taint removed', prev: makeNode({ name: 'n', taints: [{ key: 'k', effect: 'NoSchedule' }] }), next: n, want: true },
    { description: 'label added', next: makeNode({ name: 'n', labels: { a: 'b' } }), want: true },
    { description: 'more cpu', next: makeNode({ name: 'n', cpu: '16' }), want: true },
    { description: 'became ready', prev: makeNode({ name: 'n', ready: 'False' }), next: n, want: true },
    { description: 'uncordoned', prev: makeNode({ name: 'n', unschedulable: true }), next: n, want: true },
  ];
  for (const c of cases) assert.equal(nodeChangeMatters(c.prev ?? n, c.next), c.want, c.description);
});

test('assignedPodFreedRoom and pendingPodChanged', () => {
  const running = makePod({ name: 'p', node: 'n' });
  assert.equal(assignedPodFreedRoom(running, makePod({ name: 'p', node: 'n', phase: 'Succeeded' })), true, 'finished');
  assert.equal(assignedPodFreedRoom(running, running), false, 'no change');
  const pending = makePod({ name: 'p', cpu: '1' });
  const withStatus = { ...pending, status: { conditions: [{ type: 'PodScheduled', status: 'False' as const }] } };
  assert.equal(pendingPodChanged(pending, withStatus), false, 'status written by the scheduler');
  assert.equal(pendingPodChanged(pending, makePod({ name: 'p', cpu: '1', tolerations: [{ operator: 'Exists' }] })), true, 'spec changed');
});
