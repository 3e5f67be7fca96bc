/** `buildSnapshot`: informer contents → the dashboard's view. Pure: no I/O, no clock. */
import {
  quantityToMilli, quantityToNumber, type ConfigMap, type Deployment, type Endpoints, type Event, type HorizontalPodAutoscaler, type Ingress,
  type Node, type NodeGroup, type NodeMetrics, type Pod, type Service, type VerticalPodAutoscaler,
} from '../core/api/index.js';
import { caView, eventViews, hpaView, vpaView } from './snapshot-autoscaling.js';
import type { DeploymentView, NodeGroupView, NodeView, PodView, RouteView, SeriesSet, ServiceView, Snapshot } from './types.js';

export interface SnapshotInput {
  now: number;
  nodes: readonly Node[];
  pods: readonly Pod[];
  services: readonly Service[];
  endpoints: readonly Endpoints[];
  ingresses: readonly Ingress[];
  deployments: readonly Deployment[];
  hpas: readonly HorizontalPodAutoscaler[];
  vpas: readonly VerticalPodAutoscaler[];
  /** `undefined` when the server does not serve NodeGroups. */
  nodeGroups: readonly NodeGroup[] | undefined;
  events: readonly Event[];
  caStatus: ConfigMap | undefined;
  nodeMetrics: readonly NodeMetrics[];
  series: SeriesSet;
}

const byName = <T extends { namespace?: string; name: string }>(a: T, b: T): number =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);

/** A quantity string → a number in `unit` (milli for cpu, whole for memory); 0 for garbage. */
export function safeQuantity(q: string | undefined, milli: boolean): number {
  if (q === undefined) return 0;
  try {
    return milli ? quantityToMilli(q) : quantityToNumber(q);
  } catch {
    return 0;
  }
}

export function isNodeReady(n: Node): boolean {
  return (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods that hold resources on their node (not finished). */
function active(p: Pod): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

export function podRequests(p: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of p.spec.containers ?? []) {
    cpu += safeQuantity(c.resources?.requests?.cpu, true);
    memory += safeQuantity(c.resources?.requests?.memory, false);
  }
  return { cpu, memory };
}

export function nodeViews(nodes: readonly Node[], pods: readonly Pod[], metrics: readonly NodeMetrics[]): NodeView[] {
  const usage = new Map(metrics.map((m) => [m.metadata.name ?? '', m.usage]));
  return nodes.map((n): NodeView => {
    const name = n.metadata.name ?? '';
    const mine = pods.filter((p) => p.spec.nodeName === name && active(p));
    const req = mine.reduce((s, p) => {
      const r = podRequests(p);
      return { cpu: s.cpu + r.cpu, memory: s.memory + r.memory };
    }, { cpu: 0, memory: 0 });
    const u = usage.get(name);
    const st = n.status ?? {};
    return {
      name,
      ready: isNodeReady(n),
      unschedulable: n.spec?.unschedulable === true,
      cpu: { capacity: safeQuantity(st.capacity?.cpu, true), allocatable: safeQuantity(st.allocatable?.cpu ?? st.capacity?.cpu, true), requested: req.cpu, usage: u ? safeQuantity(u.cpu, true) : null },
      memory: { capacity: safeQuantity(st.capacity?.memory, false), allocatable: safeQuantity(st.allocatable?.memory ?? st.capacity?.memory, false), requested: req.memory, usage: u ? safeQuantity(u.memory, false) : null },
      pods: mine.length,
    };
  }).sort(byName);
}

export function podViews(pods: readonly Pod[]): PodView[] {
  return pods.map((p): PodView => {
    const cs = p.status?.containerStatuses ?? [];
    const total = (p.spec.containers ?? []).length;
    const phase = p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Pending');
    return {
      namespace: p.metadata.namespace ?? '',
      name: p.metadata.name ?? '',
      node: p.spec.nodeName ?? '',
      phase,
      ready: `${cs.filter((c) => c.ready).length}/${total}`,
      restarts: cs.reduce((s, c) => s + (c.restartCount ?? 0), 0),
      ip: p.status?.podIP ?? '',
    };
  }).sort((a, b) => a.node.localeCompare(b.node) || byName(a, b));
}

export function serviceViews(services: readonly Service[], endpoints: readonly Endpoints[] = []): ServiceView[] {
  const ready = new Map(endpoints.map((e) => [`${e.metadata.namespace ?? ''}/${e.metadata.name ?? ''}`, (e.subsets ?? []).reduce((n, s) => n + (s.addresses ?? []).length, 0)]));
  return services.map((s): ServiceView => ({
    namespace: s.metadata.namespace ?? '',
    name: s.metadata.name ?? '',
    type: s.spec?.type ?? 'ClusterIP',
    clusterIP: s.spec?.clusterIP ?? '',
    ports: (s.spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(','),
    external: [
      ...(s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter((x) => x !== ''),
      ...(s.spec?.externalIPs ?? []),
    ],
    endpoints: ready.get(`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`) ?? 0,
  })).sort(byName);
}

function backendName(b: { service?: { name: string; port?: { name?: string; number?: number } }; resource?: { kind: string; name: string } } | undefined): string {
  if (b?.service) return `${b.service.name}:${b.service.port?.number ?? b.service.port?.name ?? ''}`;
  if (b?.resource) return `${b.resource.kind}/${b.resource.name}`;
  return '';
}

/** Every (host, path) → backend, most specific first within a host: the ingress routing table. */
export function routeViews(ingresses: readonly Ingress[]): RouteView[] {
  const out: RouteView[] = [];
  for (const ing of ingresses) {
    const name = `${ing.metadata.namespace ?? ''}/${ing.metadata.name ?? ''}`;
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        out.push({ host: rule.host ?? '*', path: p.path ?? '/', pathType: p.pathType, backend: backendName(p.backend), ingress: name });
      }
    }
    if (ing.spec?.defaultBackend) out.push({ host: '*', path: '(default)', pathType: '', backend: backendName(ing.spec.defaultBackend), ingress: name });
  }
  return out.sort((a, b) => a.host.localeCompare(b.host) || b.path.length - a.path.length || a.path.localeCompare(b.path) || a.ingress.localeCompare(b.ingress));
}

export function deploymentViews(deployments: readonly Deployment[]): DeploymentView[] {
  return deployments.map((d): DeploymentView => ({
    namespace: d.metadata.namespace ?? '',
    name: d.metadata.name ?? '',
    ready: d.status?.readyReplicas ?? 0,
    desired: d.spec.replicas ?? 1,
    updated: d.status?.updatedReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
  })).sort(byName);
}

export function nodeGroupViews(groups: readonly NodeGroup[]): NodeGroupView[] {
  return groups.map((g): NodeGroupView => ({
    name: g.metadata.name ?? '',
    min: g.spec.minSize,
    max: g.spec.maxSize,
    desired: g.spec.desiredSize ?? null,
    target: g.status?.targetSize ?? null,
    ready: g.status?.readyNodes ?? null,
  })).sort(byName);
}

export function buildSnapshot(input: SnapshotInput): Snapshot {
  return {
    generatedAt: new Date(input.now).toISOString(),
    nodes: nodeViews(input.nodes, input.pods, input.nodeMetrics),
    pods: podViews(input.pods),
    services: serviceViews(input.services, input.endpoints),
    routes: routeViews(input.ingresses),
    deployments: deploymentViews(input.deployments),
    hpas: input.hpas.map(hpaView).sort(byName),
    vpas: input.vpas.map(vpaView).sort(byName),
    nodeGroups: input.nodeGroups ? nodeGroupViews(input.nodeGroups) : null,
    clusterAutoscaler: input.caStatus ? caView(input.caStatus) : null,
    events: eventViews(input.events, 30),
    series: input.series,
  };
}
