import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../core/api/index.js';
import {
  buildNodeInfos, nodeAffinity, nodePorts, nodeResourcesFit, nodeUnschedulable, runFilters, taintToleration,
  type Filter, type NodeInfo,
} from '../../../core/scheduler/index.js';
import { makeNode, makePod, type NodeFixture, type PodFixture } from './fixtures.js';

interface Case { description: string; pod: PodFixture; node: NodeFixture; placed?: PodFixture[]; want: string[] }

function info(node: NodeFixture, placed: PodFixture[] = []): NodeInfo {
  const [i] = buildNodeInfos([makeNode(node)], placed.map((p) => makePod({ ...p, node: node.name })));
  assert.ok(i);
  return i;
}

function run(filter: Filter, cases: Case[]): void {
  for (const c of cases) {
    const r = filter(makePod(c.pod), info(c.node, c.placed));
    assert.deepEqual(r.ok ? [] : r.reasons, c.want, c.description);
  }
}

test('nodeResourcesFit', () => {
  run(nodeResourcesFit, [
    { description: 'fits', pod: { name: 'p', cpu: '1', memory: '1Gi' }, node: { name: 'n', cpu: '2', memory: '2Gi' }, want: [] },
    { description: 'exactly fills the node', pod: { name: 'p', cpu: '1' }, node: { name: 'n', cpu: '2' }, placed: [{ name: 'q', cpu: '1' }], want: [] },
    { description: 'too much cpu', pod: { name: 'p', cpu: '3' }, node: { name: 'n', cpu: '2' }, want: ['Insufficient cpu'] },
    { description: 'cpu taken by placed pods', pod: { name: 'p', cpu: '600m' }, node: { name: 'n', cpu: '1' }, placed: [{ name: 'q', cpu: '500m' }], want: ['Insufficient cpu'] },
    { description: 'cpu and memory both short', pod: { name: 'p', cpu: '3', memory: '3Gi' }, node: { name: 'n', cpu: '2', memory: '2Gi' }, want: ['Insufficient cpu', 'Insufficient memory'] },
    { description: 'init container counts', pod: { name: 'p', cpu: '100m', init: [{ cpu: '3' }] }, node: { name: 'n', cpu: '2' }, want: ['Insufficient cpu'] },
    { description: 'pod count', pod: { name: 'p' }, node: { name: 'n', pods: '1' }, placed: [{ name: 'q' }], want: ['Too many pods'] },
    { description: 'pod count and cpu', pod: { name: 'p', cpu: '5' }, node: { name: 'n', pods: '1' }, placed: [{ name: 'q' }], want: ['Too many pods', 'Insufficient cpu'] },
    { description: 'no requests fits a full node', pod: { name: 'p' }, node: { name: 'n', cpu: '1' }, placed: [{ name: 'q', cpu: '1' }], want: [] },
  ]);
});

const affinity = (op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt', values?: string[]): Pod['spec']['affinity'] => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'size', operator: op, values }] }] } },
});
const NA = "node(s) didn't match Pod's node affinity/selector";

test('nodeAffinity: nodeSelector and required terms', () => {
  const big = { name: 'n', labels: { size: '8', disk: 'ssd' } };
  run(nodeAffinity, [
    { description: 'no constraints', pod: { name: 'p' }, node: big, want: [] },
    { description: 'nodeSelector matches', pod: { name: 'p', nodeSelector: { disk: 'ssd' } }, node: big, want: [] },
    { description: 'nodeSelector value differs', pod: { name: 'p', nodeSelector: { disk: 'hdd' } }, node: big, want: [NA] },
    { description: 'nodeSelector key missing', pod: { name: 'p', nodeSelector: { gpu: 'yes' } }, node: big, want: [NA] },
    { description: 'In matches', pod: { name: 'p', affinity: affinity('In', ['4', '8']) }, node: big, want: [] },
    { description: 'In misses', pod: { name: 'p', affinity: affinity('In', ['4']) }, node: big, want: [NA] },
    { description: 'NotIn matches', pod: { name: 'p', affinity: affinity('NotIn', ['4']) }, node: big, want: [] },
    { description: 'NotIn on a missing label matches', pod: { name: 'p', affinity: affinity('NotIn', ['4']) }, node: { name: 'n' }, want: [] },
    { description: 'NotIn misses', pod: { name: 'p', affinity: affinity('NotIn', ['8']) }, node: big, want: [NA] },
    { description: 'Exists', pod: { name: 'p', affinity: affinity('Exists') }, node: big, want: [] },
    { description: 'Exists misses', pod: { name: 'p', affinity: affinity('Exists') }, node: { name: 'n' }, want: [NA] },
    { description: 'DoesNotExist', pod: { name: 'p', affinity: affinity('DoesNotExist') }, node: { name: 'n' }, want: [] },
    { description: 'DoesNotExist misses', pod: { name: 'p', affinity: affinity('DoesNotExist') }, node: big, want: [NA] },
    { description: 'Gt', pod: { name: 'p', affinity: affinity('Gt', ['4']) }, node: big, want: [] },
    { description: 'Gt misses', pod: { name: 'p', affinity: affinity('Gt', ['8']) }, node: big, want: [NA] },
    { description: 'Lt', pod: { name: 'p', affinity: affinity('Lt', ['16']) }, node: big, want: [] },
    { description: 'Lt with a non-integer label misses', pod: { name: 'p', affinity: affinity('Lt', ['16']) }, node: { name: 'n', labels: { size: 'big' } }, want: [NA] },
    {
      description: 'matchFields metadata.name',
      pod: { name: 'p', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } } },
      node: big, want: [],
    },
    {
      description: 'matchFields metadata.name misses',
      pod: { name: 'p', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['m'] }] }] } } } },
      node: big, want: [NA],
    },
    {
      description: 'terms are ORed',
      pod: { name: 'p', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
        { matchExpressions: [{ key: 'size', operator: 'In', values: ['1'] }] },
        { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
      ] } } } },
      node: big, want: [],
    },
    {
      description: 'an empty term matches nothing',
      pod: { name: 'p', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } },
      node: big, want: [NA],
    },
    { description: 'selector and affinity must both hold', pod: { name: 'p', nodeSelector: { disk: 'hdd' }, affinity: affinity('Exists') }, node: big, want: [NA] },
  ]);
});

test('taintToleration', () => {
  const foo = { name: 'n', taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' as const }] };
  run(taintToleration, [
    { description: 'untolerated NoSchedule', pod: { name: 'p' }, node: foo, want: ['node(s) had untolerated taint {foo: bar}'] },
    { description: 'Equal toleration', pod: { name: 'p', tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }] }, node: foo, want: [] },
    { description: 'Equal with a wrong value', pod: { name: 'p', tolerations: [{ key: 'foo', value: 'baz' }] }, node: foo, want: ['node(s) had untolerated taint {foo: bar}'] },
    { description: 'Exists on the key', pod: { name: 'p', tolerations: [{ key: 'foo', operator: 'Exists' }] }, node: foo, want: [] },
    { description: 'empty key + Exists tolerates everything', pod: { name: 'p', tolerations: [{ operator: 'Exists' }] }, node: foo, want: [] },
    { description: 'effect must match', pod: { name: 'p', tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoExecute' }] }, node: foo, want: ['node(s) had untolerated taint {foo: bar}'] },
    { description: 'NoExecute filters too', pod: { name: 'p' }, node: { name: 'n', taints: [{ key: 'k', effect: 'NoExecute' }] }, want: ['node(s) had untolerated taint {k: }'] },
    { description: 'PreferNoSchedule only scores', pod: { name: 'p' }, node: { name: 'n', taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }, want: [] },
    {
      description: 'uninitialized cloud node',
      pod: { name: 'p' },
      node: { name: 'n', taints: [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' }] },
      want: ['node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}'],
    },
    { description: 'NotReady node', pod: { name: 'p' }, node: { name: 'n', ready: 'False' }, want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'] },
    { description: 'node without conditions', pod: { name: 'p' }, node: { name: 'n', ready: 'none' }, want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'] },
    { description: 'unreachable node', pod: { name: 'p' }, node: { name: 'n', ready: 'Unknown' }, want: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'] },
    {
      description: 'NotReady tolerated',
      pod: { name: 'p', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] },
      node: { name: 'n', ready: 'False' }, want: [],
    },
    {
      description: 'explicit not-ready taint is not doubled',
      pod: { name: 'p' },
      node: { name: 'n', ready: 'False', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] },
      want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    },
  ]);
});

test('nodeUnschedulable', () => {
  run(nodeUnschedulable, [
    { description: 'schedulable node', pod: { name: 'p' }, node: { name: 'n' }, want: [] },
    { description: 'cordoned node', pod: { name: 'p' }, node: { name: 'n', unschedulable: true }, want: ['node(s) were unschedulable'] },
    {
      description: 'tolerates node.kubernetes.io/unschedulable',
      pod: { name: 'p', tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] },
      node: { name: 'n', unschedulable: true }, want: [],
    },
  ]);
});

test('nodePorts', () => {
  const P = "node(s) didn't have free ports for the requested pod ports";
  run(nodePorts, [
    { description: 'free port', pod: { name: 'p', hostPort: 80 }, node: { name: 'n' }, placed: [{ name: 'q', hostPort: 81 }], want: [] },
    { description: 'same port', pod: { name: 'p', hostPort: 80 }, node: { name: 'n' }, placed: [{ name: 'q', hostPort: 80 }], want: [P] },
    { description: 'different IPs do not clash', pod: { name: 'p', hostPort: 80, hostIP: '127.0.0.2' }, node: { name: 'n' }, placed: [{ name: 'q', hostPort: 80, hostIP: '127.0.0.3' }], want: [] },
    { description: '0.0.0.0 clashes with any IP', pod: { name: 'p', hostPort: 80 }, node: { name: 'n' }, placed: [{ name: 'q', hostPort: 80, hostIP: '127.0.0.3' }], want: [P] },
    { description: 'no host port', pod: { name: 'p' }, node: { name: 'n' }, placed: [{ name: 'q', hostPort: 80 }], want: [] },
  ]);
});

test('runFilters stops at the first failing filter, in the default order', () => {
  const node = { name: 'n', cpu: '1', unschedulable: true, taints: [{ key: 'a', effect: 'NoSchedule' as const }] };
  const r = runFilters(makePod({ name: 'p', cpu: '2' }), info(node));
  assert.deepEqual(r.ok ? [] : r.reasons, ['node(s) were unschedulable']);
  const r2 = runFilters(makePod({ name: 'p', cpu: '2', tolerations: [{ operator: 'Exists' }] }), info(node));
  assert.deepEqual(r2.ok ? [] : r2.reasons, ['Insufficient cpu']);
});
