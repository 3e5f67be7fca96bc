/** The dashboard's snapshot: what the browser renders, built from informer caches by `buildSnapshot`. */

export interface NodeView {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  /** Millicores and bytes. */
  cpu: { capacity: number; allocatable: number; requested: number; usage: number | null };
  memory: { capacity: number; allocatable: number; requested: number; usage: number | null };
  pods: number;
}

export interface PodView {
  namespace: string;
  name: string;
  node: string;
  phase: string;
  ready: string;
  restarts: number;
  ip: string;
}

export interface ServiceView {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string;
  ports: string;
  external: string[];
  /** Ready endpoint addresses (from the Endpoints object of the same name). */
  endpoints: number;
}

export interface RouteView {
  host: string;
  path: string;
  pathType: string;
  backend: string;
  ingress: string;
}

export interface DeploymentView { namespace: string; name: string; ready: number; desired: number; updated: number; available: number }

export interface MetricView { name: string; current: string; target: string }

export interface HpaDecision { time: string; replicas: number; currentReplicas: number; explanation: string }

export interface HpaView {
  namespace: string;
  name: string;
  target: string;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  metrics: MetricView[];
  decision: HpaDecision | null;
  conditions: string[];
}

export interface VpaView {
  namespace: string;
  name: string;
  target: string;
  mode: string;
  recommendations: { container: string; target: string; lower: string; upper: string }[];
}

export interface NodeGroupView { name: string; min: number; max: number; desired: number | null; target: number | null; ready: number | null }

export interface CaDecision { time: string; kind: string; explanation: string }

export interface ClusterAutoscalerView { status: string; updated: string; decisions: CaDecision[] }

export interface EventView { time: string; type: string; object: string; reason: string; message: string }

/** A ring buffer's contents: `values[i]` is the sample at `endMs - (values.length - 1 - i) * stepMs`. */
export interface SeriesView { stepMs: number; endMs: number; values: number[] }

export interface SeriesSet { rps: SeriesView; p99: SeriesView; replicas: SeriesView; nodes: SeriesView }

export interface Snapshot {
  generatedAt: string;
  nodes: NodeView[];
  pods: PodView[];
  services: ServiceView[];
  routes: RouteView[];
  deployments: DeploymentView[];
  hpas: HpaView[];
  vpas: VpaView[];
  nodeGroups: NodeGroupView[] | null;
  clusterAutoscaler: ClusterAutoscalerView | null;
  events: EventView[];
  series: SeriesSet;
}
