/** DaemonSet decisions as tables: which nodes run the daemon, what manage and the rolling update do, the status, the pod for a node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, Node, Pod, Taint, Toleration } from '../../../../core/api/index.js';
import { computeDaemonSetStatus, newDaemonPod, planDaemonPods, planRollingUpdate, podsByNode, targetNodeName } from '../../../../core/controllers/workloads/index.js';
import { nodeShouldRunDaemonPod } from '../../../../core/scheduler/index.js';
import { makePod, t0 } from './fixtures.js';

const HASH = 'new';

function makeDS(f: { nodeSelector?: Record<string, string>; tolerations?: Toleration[]; hostNetwork?: boolean; maxUnavailable?: number | string; maxSurge?: number | string; onDelete?: boolean; nodeName?: string } = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default', uid: 'ds-uid', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'c', image: 'x' }],
          ...(f.nodeSelector ? { nodeSelector: f.nodeSelector } : {}),
          ...(f.tolerations ? { tolerations: f.tolerations } : {}),
          ...(f.hostNetwork ? { hostNetwork: true } : {}),
          ...(f.nodeName ? { nodeName: f.nodeName } : {}),
        },
      },
      updateStrategy: f.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: f.maxUnavailable ?? 1, maxSurge: f.maxSurge ?? 0 } },
    },
  };
}

function makeNode(name: string, f: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean; ready?: boolean } = {}): Node {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(f.labels ?? {}) } },
    spec: { ...(f.taints ? { taints: f.taints } : {}), ...(f.unschedulable ? { unschedulable: true } : {}) },
    status: { conditions: [{ type: 'Ready', status: f.ready === false ? 'False' : 'True' }] },
  };
}

/** A daemon pod for `node` at revision `hash`. */
function dpod(name: string, node: string, hash: string, f: { ready?: boolean; phase?: 'Running' | 'Failed' | 'Succeeded' | 'Pending'; created?: number; deleting?: boolean; scheduled?: boolean } = {}): Pod {
  const p = makePod({ name, node: f.scheduled === false ? undefined : node, ready: f.ready ?? true, phase: f.phase ?? 'Running', created: f.created ?? t0, deleting: f.deleting ?? false, labels: { app: 'web', 'controller-revision-hash': hash } });
  p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
  return p;
}

const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata.name ?? '').sort();

test('nodeShouldRunDaemonPod', async (t) => {
  const cases: { name: string; ds: DaemonSet; node: Node; run: boolean; keep: boolean }[] = [
    { name: 'plain node', ds: makeDS(), node: makeNode('a'), run: true, keep: true },
    { name: 'node selector matches', ds: makeDS({ nodeSelector: { disk: 'ssd' } }), node: makeNode('a', { labels: { disk: 'ssd' } }), run: true, keep: true },
    { name: 'node selector does not match', ds: makeDS({ nodeSelector: { disk: 'ssd' } }), node: makeNode('a'), run: false, keep: false },
    { name: 'template nodeName names another node', ds: makeDS({ nodeName: 'b' }), node: makeNode('a'), run: false, keep: false },
    { name: 'untolerated NoSchedule taint: no new pod, an existing one stays', ds: makeDS(), node: makeNode('a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), run: false, keep: true },
    { name: 'untolerated NoExecute taint: evicted', ds: makeDS(), node: makeNode('a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }), run: false, keep: false },
    { name: 'PreferNoSchedule taints do not matter', ds: makeDS(), node: makeNode('a', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }), run: true, keep: true },
    { name: 'tolerated taint', ds: makeDS({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }), node: makeNode('a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), run: true, keep: true },
    { name: 'not-ready node (daemon pods tolerate it)', ds: makeDS(), node: makeNode('a', { ready: false, taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), run: true, keep: true },
    { name: 'cordoned node (daemon pods tolerate unschedulable)', ds: makeDS(), node: makeNode('a', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), run: true, keep: true },
    { name: 'network-unavailable: only hostNetwork pods tolerate it', ds: makeDS(), node: makeNode('a', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), run: false, keep: true },
    { name: 'network-unavailable with hostNetwork', ds: makeDS({ hostNetwork: true }), node: makeNode('a', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), run: true, keep: true },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(nodeShouldRunDaemonPod(c.node, c.ds), { shouldRun: c.run, shouldContinueRunning: c.keep }));
  }
});

test('newDaemonPod: daemon tolerations, node affinity on the node name, revision label, owner', () => {
  const ds = makeDS({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }, { key: 'dedicated', operator: 'Exists' }] });
  ds.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } };
  const pod = newDaemonPod(ds, 'node-7', 'abc');
  assert.equal(pod.metadata.generateName, 'agent-');
  assert.deepEqual(pod.metadata.labels, { app: 'web', 'controller-revision-hash': 'abc' });
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(pod.spec.nodeName, undefined, 'the scheduler binds it');
  assert.deepEqual(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-7'] }] }] });
  assert.equal(targetNodeName(pod), 'node-7');
  assert.deepEqual(pod.spec.tolerations?.map((x) => `${x.key ?? ''}:${x.effect ?? ''}`), [
    'node.kubernetes.io/unschedulable:NoSchedule', 'dedicated:',
    'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule',
  ], 'an equal toleration is not duplicated; network-unavailable only for hostNetwork');
  assert.ok(newDaemonPod(makeDS({ hostNetwork: true }), 'n', 'h').spec.tolerations?.some((x) => x.key === 'node.kubernetes.io/network-unavailable'));
});

test('planDaemonPods (manage)', async (t) => {
  const nodes = [makeNode('a'), makeNode('b'), makeNode('c', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] })];
  const cases: { name: string; ds?: DaemonSet; nodes?: Node[]; pods: Pod[]; create: string[]; del: string[] }[] = [
    { name: 'every matching node without a pod gets one; the tainted node none', pods: [], create: ['a', 'b'], del: [] },
    { name: 'a node with a pod is left alone', pods: [dpod('pa', 'a', HASH)], create: ['b'], del: [] },
    { name: 'a pod still being deleted holds its node', pods: [dpod('pa', 'a', HASH, { deleting: true }), dpod('pb', 'b', HASH)], create: [], del: [] },
    { name: 'extra pods: the oldest stays', pods: [dpod('old', 'a', HASH, { created: t0 }), dpod('young', 'a', HASH, { created: t0 + 1000 }), dpod('pb', 'b', HASH)], create: [], del: ['young'] },
    { name: 'failed and succeeded pods are deleted', pods: [dpod('f', 'a', HASH, { phase: 'Failed' }), dpod('s', 'b', HASH, { phase: 'Succeeded' })], create: [], del: ['f', 's'] },
    { name: 'a pod on a node that left is deleted', pods: [dpod('pa', 'a', HASH), dpod('pb', 'b', HASH), dpod('gone', 'z', HASH)], create: [], del: ['gone'] },
    { name: 'a pod on a node whose labels no longer match is deleted', ds: makeDS({ nodeSelector: { role: 'x' } }), nodes: [makeNode('a', { labels: { role: 'x' } }), makeNode('b')], pods: [dpod('pa', 'a', HASH), dpod('pb', 'b', HASH)], create: [], del: ['pb'] },
    {
      name: 'surging: an old pod goes once the new one is available', ds: makeDS({ maxSurge: 1, maxUnavailable: 0 }),
      pods: [dpod('old', 'a', 'old'), dpod('new', 'a', HASH), dpod('pb', 'b', HASH)], create: [], del: ['old'],
    },
    {
      name: 'surging: both kept while the new one is not ready and the old one is', ds: makeDS({ maxSurge: 1, maxUnavailable: 0 }),
      pods: [dpod('old', 'a', 'old'), dpod('new', 'a', HASH, { ready: false }), dpod('pb', 'b', HASH)], create: [], del: [],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const plan = planDaemonPods(c.ds ?? makeDS(), c.nodes ?? nodes, podsByNode(c.pods), HASH, t0 + 60_000);
      assert.deepEqual(plan.createOn.sort(), c.create);
      assert.deepEqual(names(plan.delete), c.del);
    });
  }
});

test('planRollingUpdate', async (t) => {
  const nodes = ['a', 'b', 'c', 'd'].map((n) => makeNode(n));
  const old = (n: string, ready = true): Pod => dpod(`old-${n}`, n, 'old', { ready });
  const cur = (n: string, ready = true): Pod => dpod(`new-${n}`, n, HASH, { ready });
  const cases: { name: string; ds: DaemonSet; pods: Pod[]; create: string[]; del: string[] }[] = [
    { name: 'maxUnavailable 1: one old pod at a time', ds: makeDS({ maxUnavailable: 1 }), pods: ['a', 'b', 'c', 'd'].map((n) => old(n)), create: [], del: ['old-a'] },
    { name: 'maxUnavailable 2', ds: makeDS({ maxUnavailable: 2 }), pods: ['a', 'b', 'c', 'd'].map((n) => old(n)), create: [], del: ['old-a', 'old-b'] },
    { name: 'maxUnavailable 50% of 4 nodes', ds: makeDS({ maxUnavailable: '50%' }), pods: ['a', 'b', 'c', 'd'].map((n) => old(n)), create: [], del: ['old-a', 'old-b'] },
    { name: 'a new pod not yet ready uses the budget', ds: makeDS({ maxUnavailable: 1 }), pods: [cur('a', false), old('b'), old('c'), old('d')], create: [], del: [] },
    { name: 'unavailable old pods are replaced regardless', ds: makeDS({ maxUnavailable: 1 }), pods: [cur('a', false), old('b', false), old('c'), old('d')], create: [], del: ['old-b'] },
    { name: 'done: nothing to do', ds: makeDS({ maxUnavailable: 1 }), pods: ['a', 'b', 'c', 'd'].map((n) => cur(n)), create: [], del: [] },
    { name: 'maxSurge 1: a new pod beside one available old pod, none deleted', ds: makeDS({ maxSurge: 1, maxUnavailable: 0 }), pods: ['a', 'b', 'c', 'd'].map((n) => old(n)), create: ['a'], del: [] },
    { name: 'maxSurge 1: waits while the surge pod is not available', ds: makeDS({ maxSurge: 1, maxUnavailable: 0 }), pods: [old('a'), cur('a', false), old('b'), old('c'), old('d')], create: [], del: [] },
    { name: 'maxSurge 1: the old pod goes once the new one is available, and the next node surges', ds: makeDS({ maxSurge: 1, maxUnavailable: 0 }), pods: [old('a'), cur('a'), old('b'), old('c'), old('d')], create: ['b'], del: ['old-a'] },
    { name: 'maxSurge 1: an unavailable old pod gets its new pod at once, beyond the surge', ds: makeDS({ maxSurge: 1, maxUnavailable: 0 }), pods: [old('a'), cur('a', false), old('b', false), old('c'), old('d')], create: ['b'], del: [] },
    { name: 'maxSurge 2', ds: makeDS({ maxSurge: 2, maxUnavailable: 0 }), pods: ['a', 'b', 'c', 'd'].map((n) => old(n)), create: ['a', 'b'], del: [] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const plan = planRollingUpdate(c.ds, nodes, podsByNode(c.pods), HASH, t0 + 60_000);
      assert.deepEqual(plan.createOn.sort(), c.create);
      assert.deepEqual(names(plan.delete), c.del);
    });
  }
});

test('computeDaemonSetStatus', () => {
  const ds = makeDS({ nodeSelector: { pool: 'x' } });
  const nodes = [makeNode('a', { labels: { pool: 'x' } }), makeNode('b', { labels: { pool: 'x' } }), makeNode('c', { labels: { pool: 'x' } }), makeNode('d')];
  const pods = [dpod('pa', 'a', HASH), dpod('pb', 'b', 'old', { ready: false }), dpod('pd', 'd', HASH)];
  assert.deepEqual(computeDaemonSetStatus(ds, nodes, podsByNode(pods), HASH, t0 + 60_000), {
    desiredNumberScheduled: 3, currentNumberScheduled: 2, numberReady: 1, numberAvailable: 1, numberUnavailable: 2,
    updatedNumberScheduled: 1, numberMisscheduled: 1, observedGeneration: 2,
  });
});
