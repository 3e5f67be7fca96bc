/**
 * The dashboard's data side: informers on the objects it shows, node usage from metrics.k8s.io
 * (polled every few seconds), the ingress' request metrics from the control plane's registry,
 * and a 1 s tick that samples the series and publishes a snapshot when something changed.
 */
import type {
  ConfigMap, Deployment, Endpoints, Event, HorizontalPodAutoscaler, Ingress, KubeObject, Node, NodeGroup, NodeMetrics, Pod, Service, VerticalPodAutoscaler,
} from '../core/api/index.js';
import type { InformerScope, KubeClient, ResourceTarget } from '../core/client/index.js';
import type { Clock, Logger } from '../core/util/index.js';
import type { SnapshotHub } from './hub.js';
import { ingressRates, readIngress, Ring, type IngressReading, type MetricJson } from './series.js';
import { CA_STATUS_NAME, CA_STATUS_NAMESPACE } from './snapshot-autoscaling.js';
import { buildSnapshot, isNodeReady } from './snapshot.js';

export interface CollectorOptions {
  client: Pick<KubeClient, 'request' | 'serverResources'>;
  /** A `SharedInformerFactory` (only its list side is used). */
  informers: { informerFor<T extends KubeObject>(target: ResourceTarget, scope?: InformerScope): Lister<T> };
  /** The control plane's metrics registry (prom-client `Registry`). */
  metrics: { getMetricsAsJSON(): Promise<readonly object[]> };
  hub: SnapshotHub;
  clock: Clock;
  log: Logger;
  /** Node usage poll period; default 5 s. */
  usageIntervalMs?: number;
  /** Series length in samples at 1 s; default 600 (10 minutes). */
  seriesLength?: number;
}

const t = (apiVersion: string, plural: string, namespaced = true): ResourceTarget => ({ apiVersion, plural, namespaced });
export const targets = {
  nodes: t('v1', 'nodes', false),
  pods: t('v1', 'pods'),
  services: t('v1', 'services'),
  endpoints: t('v1', 'endpoints'),
  events: t('v1', 'events'),
  configmaps: t('v1', 'configmaps'),
  ingresses: t('networking.k8s.io/v1', 'ingresses'),
  deployments: t('apps/v1', 'deployments'),
  hpas: t('autoscaling/v2', 'horizontalpodautoscalers'),
  vpas: t('autoscaling.k8s.io/v1', 'verticalpodautoscalers'),
  nodeGroups: t('skiff.dev/v1alpha1', 'nodegroups', false),
};

export interface Lister<T> { list(): T[] }
const empty = <T>(): Lister<T> => ({ list: () => [] });

export class Collector {
  private readonly rings;
  private nodeMetrics: NodeMetrics[] = [];
  private prev: { at: number; reading: IngressReading } | undefined;
  private sources: {
    nodes: Lister<Node>; pods: Lister<Pod>; services: Lister<Service>; endpoints: Lister<Endpoints>; ingresses: Lister<Ingress>; deployments: Lister<Deployment>;
    hpas: Lister<HorizontalPodAutoscaler>; vpas: Lister<VerticalPodAutoscaler>; nodeGroups: Lister<NodeGroup> | undefined;
    events: Lister<Event>; ca: Lister<ConfigMap>;
  } | undefined;

  constructor(private readonly o: CollectorOptions) {
    const n = o.seriesLength ?? 600;
    this.rings = { rps: new Ring(n, 1000), p99: new Ring(n, 1000), replicas: new Ring(n, 1000), nodes: new Ring(n, 1000) };
  }

  /** Creates the informers (NodeGroups and VPAs only if discovery serves them), then ticks until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const served = await this.served(signal);
    const inf = <T extends KubeObject>(target: ResourceTarget, scope: InformerScope = {}): Lister<T> => this.o.informers.informerFor<T>(target, scope);
    this.sources = {
      nodes: inf<Node>(targets.nodes),
      pods: inf<Pod>(targets.pods),
      services: inf<Service>(targets.services),
      endpoints: inf<Endpoints>(targets.endpoints),
      ingresses: inf<Ingress>(targets.ingresses),
      deployments: inf<Deployment>(targets.deployments),
      hpas: inf<HorizontalPodAutoscaler>(targets.hpas),
      vpas: served.has('autoscaling.k8s.io/verticalpodautoscalers') ? inf<VerticalPodAutoscaler>(targets.vpas) : empty(),
      nodeGroups: served.has('skiff.dev/nodegroups') ? inf<NodeGroup>(targets.nodeGroups) : undefined,
      events: inf<Event>(targets.events),
      ca: inf<ConfigMap>(targets.configmaps, { namespace: CA_STATUS_NAMESPACE, fieldSelector: `metadata.name=${CA_STATUS_NAME}` }),
    };
    void this.pollUsage(signal);
    while (!signal.aborted) {
      await this.tick();
      await this.o.clock.sleep(1000, signal).catch(() => undefined);
    }
  }

  /** `group/plural` of every served resource; empty on failure (optional kinds are then left out). */
  private async served(signal: AbortSignal): Promise<Set<string>> {
    try {
      const rs = await this.o.client.serverResources({ signal });
      return new Set(rs.map((r) => `${r.group}/${r.plural}`));
    } catch (e) {
      this.o.log.warn('discovery failed; optional kinds hidden', { error: (e as Error).message });
      return new Set();
    }
  }

  private async pollUsage(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const list = await this.o.client.request<{ items?: NodeMetrics[] }>('GET', '/apis/metrics.k8s.io/v1beta1/nodes', undefined, { signal });
        this.nodeMetrics = list.items ?? [];
      } catch (e) {
        if (!signal.aborted) this.o.log.debug('node metrics unavailable', { error: (e as Error).message });
      }
      await this.o.clock.sleep(this.o.usageIntervalMs ?? 5000, signal).catch(() => undefined);
    }
  }

  /** One sample of every series, then a snapshot to the hub (which drops it when nothing changed). */
  async tick(): Promise<void> {
    const s = this.sources;
    if (!s) return;
    const now = this.o.clock.now();
    const reading = readIngress((await this.o.metrics.getMetricsAsJSON()) as MetricJson[]);
    const rates = this.prev ? ingressRates(this.prev.reading, reading, now - this.prev.at) : { rps: 0, p99: 0 };
    this.prev = { at: now, reading };
    const nodes = s.nodes.list();
    const deployments = s.deployments.list();
    this.rings.rps.push(now, Math.round(rates.rps * 100) / 100);
    this.rings.p99.push(now, Math.round(rates.p99 * 1e6) / 1000);
    this.rings.replicas.push(now, deployments.reduce((sum, d) => sum + (d.status?.readyReplicas ?? 0), 0));
    this.rings.nodes.push(now, nodes.filter(isNodeReady).length);
    this.o.hub.publish(buildSnapshot({
      now,
      nodes,
      pods: s.pods.list(),
      services: s.services.list(),
      endpoints: s.endpoints.list(),
      ingresses: s.ingresses.list(),
      deployments,
      hpas: s.hpas.list(),
      vpas: s.vpas.list(),
      nodeGroups: s.nodeGroups?.list(),
      events: s.events.list(),
      caStatus: s.ca.list()[0],
      nodeMetrics: this.nodeMetrics,
      series: { rps: this.rings.rps.view(), p99: this.rings.p99.view(), replicas: this.rings.replicas.view(), nodes: this.rings.nodes.view() },
    }));
  }
}
