import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredTaints, evictionFor, tolerates, unknownConditions } from '../../../../core/controllers/workloads/index.js';
import type { Node, Taint } from '../../../../core/api/index.js';
import { iso, makePod, t0 } from './fixtures.js';

function node(ready: 'True' | 'False' | 'Unknown' | undefined, taints: Taint[] = []): Node {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', creationTimestamp: iso(t0) },
    spec: { taints },
    status: { conditions: ready ? [{ type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: iso(t0), lastTransitionTime: iso(t0) }] : [] },
  };
}

test('a silent node gets Unknown conditions with Kubernetes reasons', () => {
  const c = unknownConditions(node('True'), t0 + 50_000);
  const ready = c?.find((x) => x.type === 'Ready');
  assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.equal(ready?.lastHeartbeatTime, iso(t0), 'heartbeat kept');
  assert.equal(ready?.lastTransitionTime, iso(t0 + 50_000));
  const never = unknownConditions(node(undefined), t0)?.find((x) => x.type === 'Ready');
  assert.deepEqual([never?.reason, never?.message], ['NodeStatusNeverUpdated', 'Kubelet never posted node status.']);
  assert.equal(unknownConditions(node('Unknown'), t0), undefined, 'already Unknown: no change');
});

test('taints follow the Ready condition', () => {
  const keys = (ts: Taint[] | undefined): string[] | undefined => ts?.map((t) => `${t.key}:${t.effect}`).sort();
  const cases = [
    { desc: 'Unknown → unreachable', n: node('Unknown'), want: ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'] },
    { desc: 'False → not-ready', n: node('False'), want: ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule'] },
    { desc: 'True with no taints → nothing to do', n: node('True'), want: undefined },
    {
      desc: 'back to True removes ours, keeps others',
      n: node('True', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
      want: ['dedicated:NoSchedule'],
    },
    {
      desc: 'Unknown → False swaps unreachable for not-ready',
      n: node('False', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]),
      want: ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule'],
    },
  ];
  for (const c of cases) assert.deepEqual(keys(desiredTaints(c.n, t0)), c.want, c.desc);
  const ne = desiredTaints(node('Unknown'), t0 + 5000)?.find((t) => t.effect === 'NoExecute');
  assert.equal(ne?.timeAdded, iso(t0 + 5000), 'NoExecute taints record when they were added');
});

test('eviction time from tolerations', () => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(t0) };
  const custom: Taint = { key: 'maintenance', effect: 'NoExecute', timeAdded: iso(t0) };
  const pod = makePod({ name: 'a', node: 'n1' });
  const withTol = (tolerations: NonNullable<typeof pod.spec.tolerations>): typeof pod => ({ ...pod, spec: { ...pod.spec, tolerations } });
  const cases = [
    { desc: 'no NoExecute taints', p: pod, taints: [{ key: 'x', effect: 'NoSchedule' as const }], want: { at: 'never' } },
    { desc: 'default toleration of 300 s', p: pod, taints: [unreachable], want: { at: t0 + 300_000 } },
    { desc: 'explicit tolerationSeconds', p: withTol([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]), taints: [unreachable], want: { at: t0 + 30_000 } },
    { desc: 'tolerated forever', p: withTol([{ operator: 'Exists' }]), taints: [unreachable, custom], want: { at: 'never' } },
    { desc: 'untolerated custom taint', p: pod, taints: [custom], want: { at: 'now' } },
  ];
  for (const c of cases) assert.deepEqual(evictionFor(c.p, c.taints), c.want, c.desc);
  assert.deepEqual(evictionFor(pod, [unreachable], 60), { at: t0 + 60_000 }, 'configurable default');
});

test('toleration matching', () => {
  const taint: Taint = { key: 'k', value: 'v', effect: 'NoExecute' };
  const cases = [
    { desc: 'Equal with value', tol: { key: 'k', operator: 'Equal' as const, value: 'v' }, want: true },
    { desc: 'Equal other value', tol: { key: 'k', operator: 'Equal' as const, value: 'w' }, want: false },
    { desc: 'Exists on key', tol: { key: 'k', operator: 'Exists' as const }, want: true },
    { desc: 'Exists without key matches all', tol: { operator: 'Exists' as const }, want: true },
    { desc: 'effect mismatch', tol: { key: 'k', operator: 'Exists' as const, effect: 'NoSchedule' as const }, want: false },
  ];
  for (const c of cases) assert.equal(tolerates(c.tol, taint), c.want, c.desc);
});
