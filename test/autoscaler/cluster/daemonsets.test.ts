/** Scale-up counts DaemonSet pods on new nodes, as cluster-autoscaler's template node infos do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planScaleUp } from '../../../autoscaler/index.js';
import type { DaemonSet, Taint, Toleration } from '../../../core/api/index.js';
import { makeGroup, makeNode, makePod, pendingPods } from './fixtures.js';

const NOW = Date.UTC(2026, 0, 1);

function daemonSet(name: string, cpu: string, f: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] } = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'kube-system', uid: `uid-${name}` },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }], ...(f.nodeSelector ? { nodeSelector: f.nodeSelector } : {}), ...(f.tolerations ? { tolerations: f.tolerations } : {}) },
      },
    },
  };
}

const gpuTaint: Taint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };
const full = { nodes: [makeNode({ name: 'a-1' })], pods: [makePod({ name: 'busy', node: 'a-1', cpu: '2' })] };

const cases: { desc: string; daemonSets: DaemonSet[]; groupTaints?: Taint[]; nodes: number }[] = [
  { desc: 'no DaemonSets: 4 pods of 500m fill one 2-CPU node', daemonSets: [], nodes: 1 },
  { desc: 'a 500m daemon on every node leaves room for 3: two nodes', daemonSets: [daemonSet('logs', '500m')], nodes: 2 },
  { desc: 'a daemon whose node selector the template lacks takes nothing', daemonSets: [daemonSet('ssd', '1', { nodeSelector: { disk: 'ssd' } })], nodes: 1 },
  { desc: 'a daemon that does not tolerate the group taint takes nothing', daemonSets: [daemonSet('logs', '500m')], groupTaints: [gpuTaint], nodes: 1 },
  { desc: 'a daemon that tolerates the group taint counts', daemonSets: [daemonSet('logs', '500m', { tolerations: [{ key: 'gpu', operator: 'Exists' }] })], groupTaints: [gpuTaint], nodes: 2 },
  { desc: 'two daemons of 500m leave room for 2: two nodes', daemonSets: [daemonSet('logs', '500m'), daemonSet('metrics', '500m')], nodes: 2 },
];

for (const c of cases) {
  test(`scale-up with DaemonSets: ${c.desc}`, () => {
    const tolerate: Toleration[] = c.groupTaints ? [{ key: 'gpu', operator: 'Exists' }] : [];
    const pending = pendingPods('web', 4, { cpu: '500m' }).map((p) => ({ ...p, spec: { ...p.spec, tolerations: tolerate } }));
    const plan = planScaleUp({
      now: NOW, nodes: full.nodes, pods: [...full.pods, ...pending], daemonSets: c.daemonSets,
      groups: [makeGroup({ name: 'fake-a', members: ['a-1'], max: 6, cpu: '2', ...(c.groupTaints ? { taints: c.groupTaints } : {}) })],
    });
    assert.equal(plan.increase?.delta, c.nodes);
  });
}

test('a pending DaemonSet pod never triggers a scale-up (it belongs to its own node)', () => {
  const ds = daemonSet('logs', '4');
  const pod = makePod({ name: 'logs-x', cpu: '4' });
  pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'logs', uid: 'uid-logs', controller: true }];
  const plan = planScaleUp({ now: NOW, nodes: full.nodes, pods: [...full.pods, pod], daemonSets: [ds], groups: [makeGroup({ name: 'fake-a', members: ['a-1'], max: 6, cpu: '8' })] });
  assert.equal(plan.increase, undefined);
  assert.equal(plan.pending, 0);
});
