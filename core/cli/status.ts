/** `skiff status`: a one-screen text summary of the cluster, read through the API like `skiff get`. */
import type {
  ConfigMap, Deployment, HorizontalPodAutoscaler, Ingress, KubeObject, Node, NodeGroup, NodeMetrics, Pod, Service,
} from '../api/index.js';
import { ApiError } from '../api/index.js';
import type { KubeClient, ResourceTarget } from '../client/index.js';
import {
  CA_STATUS_NAME, CA_STATUS_NAMESPACE, caView, deploymentViews, hpaView, nodeGroupViews, nodeViews, routeViews, serviceViews,
  type NodeView,
} from '../../dashboard/index.js';
import type { Io } from './apply.js';
import { parse } from './args.js';

const t = (apiVersion: string, plural: string, namespaced = true): ResourceTarget => ({ apiVersion, plural, namespaced });
export const statusTargets = {
  nodes: t('v1', 'nodes', false),
  pods: t('v1', 'pods'),
  services: t('v1', 'services'),
  configmaps: t('v1', 'configmaps'),
  events: t('v1', 'events'),
  ingresses: t('networking.k8s.io/v1', 'ingresses'),
  deployments: t('apps/v1', 'deployments'),
  hpas: t('autoscaling/v2', 'horizontalpodautoscalers'),
  nodeGroups: t('skiff.dev/v1alpha1', 'nodegroups', false),
};

/** Left-aligned columns, two spaces apart (kubectl's table look). */
export function columns(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export const fmtCpu = (m: number): string => (m % 1000 === 0 ? `${m / 1000}` : `${Math.round(m)}m`);
export function fmtMem(b: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Math.round(v * 10) / 10}${units[i] ?? ''}`;
}
const pct = (a: number, b: number): string => (b > 0 ? `${Math.round((a / b) * 100)}%` : '-');

/** Lists `target` cluster-wide; `undefined` when the server does not serve it (404). */
export async function listOptional<T extends KubeObject>(client: KubeClient, target: ResourceTarget, signal: AbortSignal): Promise<T[] | undefined> {
  try {
    return (await client.listAll<T>(target, { signal })).items;
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) return undefined;
    throw e;
  }
}

export async function getOptional<T extends KubeObject>(client: KubeClient, target: ResourceTarget, ns: string | undefined, name: string, signal: AbortSignal): Promise<T | undefined> {
  try {
    return await client.get<T>(target, ns, name, { signal });
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) return undefined;
    throw e;
  }
}

export async function nodeMetrics(client: KubeClient, signal: AbortSignal): Promise<NodeMetrics[]> {
  try {
    return (await client.request<{ items?: NodeMetrics[] }>('GET', '/apis/metrics.k8s.io/v1beta1/nodes', undefined, { signal })).items ?? [];
  } catch {
    return [];
  }
}

export function nodeRows(nodes: readonly NodeView[]): string[] {
  return columns([
    ['NAME', 'STATUS', 'PODS', 'CPU REQ/ALLOC', 'CPU USED', 'MEMORY REQ/ALLOC', 'MEMORY USED'],
    ...nodes.map((n) => [
      n.name, n.ready ? 'Ready' : 'NotReady', String(n.pods),
      `${fmtCpu(n.cpu.requested)}/${fmtCpu(n.cpu.allocatable)} (${pct(n.cpu.requested, n.cpu.allocatable)})`,
      n.cpu.usage === null ? '-' : `${fmtCpu(n.cpu.usage)} (${pct(n.cpu.usage, n.cpu.allocatable)})`,
      `${fmtMem(n.memory.requested)}/${fmtMem(n.memory.allocatable)} (${pct(n.memory.requested, n.memory.allocatable)})`,
      n.memory.usage === null ? '-' : `${fmtMem(n.memory.usage)} (${pct(n.memory.usage, n.memory.allocatable)})`,
    ]),
  ]);
}

function section(out: string[], title: string, lines: string[], empty: string): void {
  out.push('', title);
  if (lines.length === 0) out.push(`  ${empty}`);
  else out.push(...lines);
}

export async function status(client: KubeClient, argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  parse(argv, {}, false);
  const [nodes, pods, services, ingresses, deployments, hpas, groups, ca, usage] = await Promise.all([
    client.listAll<Node>(statusTargets.nodes, { signal }).then((l) => l.items),
    client.listAll<Pod>(statusTargets.pods, { signal }).then((l) => l.items),
    client.listAll<Service>(statusTargets.services, { signal }).then((l) => l.items),
    listOptional<Ingress>(client, statusTargets.ingresses, signal),
    client.listAll<Deployment>(statusTargets.deployments, { signal }).then((l) => l.items),
    listOptional<HorizontalPodAutoscaler>(client, statusTargets.hpas, signal),
    listOptional<NodeGroup>(client, statusTargets.nodeGroups, signal),
    getOptional<ConfigMap>(client, statusTargets.configmaps, CA_STATUS_NAMESPACE, CA_STATUS_NAME, signal),
    nodeMetrics(client, signal),
  ]);
  const nv = nodeViews(nodes, pods, usage);
  const out: string[] = [];
  const totals = nv.reduce((s, n) => ({ cpu: s.cpu + n.cpu.requested, cpuA: s.cpuA + n.cpu.allocatable, mem: s.mem + n.memory.requested, memA: s.memA + n.memory.allocatable }), { cpu: 0, cpuA: 0, mem: 0, memA: 0 });
  out.push(`Nodes: ${nv.filter((n) => n.ready).length}/${nv.length} ready; cpu requested ${fmtCpu(totals.cpu)}/${fmtCpu(totals.cpuA)} (${pct(totals.cpu, totals.cpuA)}), memory ${fmtMem(totals.mem)}/${fmtMem(totals.memA)} (${pct(totals.mem, totals.memA)})`);
  if (nv.length > 0) out.push(...nodeRows(nv));
  const phases = new Map<string, number>();
  for (const p of pods) phases.set(p.status?.phase ?? 'Pending', (phases.get(p.status?.phase ?? 'Pending') ?? 0) + 1);
  out.push('', `Pods: ${pods.length}${pods.length > 0 ? ` (${[...phases].sort().map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`);
  section(out, 'Deployments (ready/desired):', columns(deploymentViews(deployments).map((d) => [`${d.namespace}/${d.name}`, `${d.ready}/${d.desired}`])), 'none');
  const svc = serviceViews(services).filter((s) => s.type !== 'ClusterIP' || s.external.length > 0);
  section(out, 'Services (NodePort/LoadBalancer/external):', columns(svc.map((s) => [`${s.namespace}/${s.name}`, s.type, s.ports, s.external.join(',') || '<none>'])), 'none');
  section(out, 'Ingress routes:', columns(routeViews(ingresses ?? []).map((r) => [`${r.host}${r.path}`, r.pathType, `→ ${r.backend}`, `(${r.ingress})`])), 'none');
  section(out, 'HPAs (replicas current/desired; metrics current/target):', columns((hpas ?? []).map(hpaView).map((h) => [
    `${h.namespace}/${h.name}`, h.target, `${h.currentReplicas}/${h.desiredReplicas} (min ${h.minReplicas}, max ${h.maxReplicas})`,
    h.metrics.map((m) => `${m.name} ${m.current}/${m.target}`).join('; ') || '-',
  ])), 'none');
  if (groups !== undefined) {
    section(out, 'Node groups (min/desired/max, ready):', columns(nodeGroupViews(groups).map((g) => [g.name, `${g.min}/${g.desired ?? g.target ?? '-'}/${g.max}`, `ready ${g.ready ?? '-'}`])), 'none');
  }
  const last = ca ? caView(ca).decisions.at(-1) : undefined;
  out.push('', `Cluster autoscaler: ${ca ? (last ? `${last.time} ${last.kind}: ${last.explanation}` : 'no decisions yet') : 'not running'}`);
  for (const line of out) io.out(line);
  return 0;
}
