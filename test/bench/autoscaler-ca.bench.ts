/**
 * bench:autoscaler-ca — decision time of the cluster autoscaler's pure plans on a large cluster:
 * 1,000 nodes × 30 pods (950 nodes at 75 % CPU, 50 at 15 %) in 3 node groups of different shapes,
 * plus 5,000 pending pods in 10 workloads. Times planScaleUp, planScaleDown and both together;
 * prints median, min and max over the rounds (goal: both < 1 s), wall time and process CPU time.
 *
 *   node --import tsx test/bench/autoscaler-ca.bench.ts [--rounds 5] [--nodes 1000] [--pending 5000]
 */
import { parseArgs } from 'node:util';
import { planScaleDown, planScaleUp } from '../../autoscaler/index.js';
import type { ScaleGroup } from '../../autoscaler/index.js';
import type { Node, Pod } from '../../core/api/index.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, nodes: { type: 'string' }, pending: { type: 'string' } } });
const rounds = Number(values.rounds ?? 5);
const nodeCount = Number(values.nodes ?? 1000);
const pendingCount = Number(values.pending ?? 5000);
const PODS_PER_NODE = 30;

const shapes = [
  { name: 'general', cpu: '4', memory: '16Gi', pricePerHour: 0.2 },
  { name: 'compute', cpu: '8', memory: '16Gi', pricePerHour: 0.34 },
  { name: 'memory', cpu: '4', memory: '32Gi', pricePerHour: 0.26 },
];

function node(name: string, shape: (typeof shapes)[number]): Node {
  const cap = { cpu: shape.cpu, memory: shape.memory, pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, pool: shape.name } },
    spec: { providerID: `fake://${name}` }, status: { capacity: cap, allocatable: cap, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(name: string, owner: string, cpu: string, memory: string, nodeName?: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu, memory } } }], ...(nodeName ? { nodeName } : {}) },
    status: nodeName
      ? { phase: 'Running' }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  };
}

function cluster(): { nodes: Node[]; pods: Pod[]; groups: ScaleGroup[] } {
  const nodes: Node[] = [];
  const pods: Pod[] = [];
  const members = new Map<string, string[]>(shapes.map((s) => [s.name, []]));
  for (let i = 0; i < nodeCount; i++) {
    const shape = shapes[i % shapes.length] ?? shapes[0];
    if (!shape) throw new Error('no shapes');
    const name = `${shape.name}-${i}`;
    nodes.push(node(name, shape));
    members.get(shape.name)?.push(name);
    const light = i % 20 === 0; // 5 % of nodes are under-used
    const cpuMilli = (light ? 0.15 : 0.75) * Number(shape.cpu) * 1000 / PODS_PER_NODE;
    for (let j = 0; j < PODS_PER_NODE; j++) pods.push(pod(`${name}-p${j}`, `rs-${j % 40}`, `${Math.floor(cpuMilli)}m`, '64Mi', name));
  }
  for (let i = 0; i < pendingCount; i++) pods.push(pod(`pending-${i}`, `deploy-${i % 10}`, `${200 + 50 * (i % 10)}m`, `${256 * (1 + (i % 4))}Mi`));
  const groups: ScaleGroup[] = shapes.map((s) => {
    const names = members.get(s.name) ?? [];
    return {
      name: s.name, min: 1, max: names.length + 2000, targetSize: names.length, pricePerHour: s.pricePerHour,
      instances: names.map((n) => ({ name: n, providerID: `fake://${n}`, state: 'running' as const })),
      template: { capacity: { cpu: s.cpu, memory: s.memory, pods: '110' }, labels: { pool: s.name }, taints: [] },
    };
  });
  return { nodes, pods, groups };
}

const stats = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number | undefined): string => `${(x ?? NaN).toFixed(0)} ms`;
  return `median ${f(s[Math.floor(s.length / 2)])}  min ${f(s[0])}  max ${f(s[s.length - 1])}`;
};

const input = cluster();
const now = Date.UTC(2026, 0, 1);
const up: number[] = [];
const down: number[] = [];
const both: number[] = [];
const cpu: number[] = [];
let last = '';
for (let r = 0; r < rounds; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const u = planScaleUp({ now, ...input });
  const t1 = performance.now();
  const d = planScaleDown({ now, ...input, unneededSince: {} });
  const t2 = performance.now();
  up.push(t1 - t0);
  down.push(t2 - t1);
  both.push(t2 - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  last = `scale-up: ${u.explanation}; ${u.schedulable.length} fit existing nodes, ${u.notTriggered.length} not triggered\n` +
    `scale-down: ${Object.keys(d.unneededSince).length} unneeded of ${d.nodes.length} nodes`;
}
console.log(`cluster autoscaler plans: ${nodeCount} nodes × ${PODS_PER_NODE} pods, ${pendingCount} pending, ${rounds} rounds`);
console.log(last);
console.log(`planScaleUp    ${stats(up)}`);
console.log(`planScaleDown  ${stats(down)}`);
console.log(`both           ${stats(both)}  (goal < 1000 ms)`);
console.log(`both, CPU time ${stats(cpu)}  (user+system; steadier than wall time on a busy machine)`);
