/**
 * The resource-metrics source: per-pod, per-container CPU and memory usage read from the API server's
 * `metrics.k8s.io/v1beta1` PodMetrics (what metrics-server serves and skiff's node agents feed).
 */
import { quantityToMilli } from '../../core/api/index.js';
import type { KubeClient } from '../../core/client/index.js';
import { MetricsError, messageOf } from './errors.js';

export interface ContainerUsage {
  /** Millicores. */
  cpuMilli: number;
  /** Bytes. */
  memoryBytes: number;
}

export interface PodUsage {
  containers: Record<string, ContainerUsage>;
  /** Milliseconds since the epoch: the end of the measurement window. */
  timestamp: number;
  windowSeconds: number;
}

interface PodMetricsItem {
  metadata?: { name?: string; namespace?: string };
  timestamp?: string;
  window?: string;
  containers?: { name?: string; usage?: Record<string, string> }[];
}

/** Parses a Go duration such as `1s`, `30s`, `1m0s`, `1.5s` or `500ms` into seconds; undefined when invalid. */
export function parseGoDuration(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  if (s === '0') return 0;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (units[m[2] ?? ''] ?? 0);
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : undefined;
}

/** Pure: one PodMetrics item as usage, or undefined when it lacks a name or a valid timestamp. */
export function podUsageFromItem(item: PodMetricsItem): { name: string; usage: PodUsage } | undefined {
  const name = item.metadata?.name;
  const timestamp = item.timestamp ? Date.parse(item.timestamp) : NaN;
  if (!name || Number.isNaN(timestamp)) return undefined;
  const containers: Record<string, ContainerUsage> = {};
  for (const c of item.containers ?? []) {
    if (!c.name) continue;
    containers[c.name] = {
      cpuMilli: c.usage?.cpu !== undefined ? quantityToMilli(c.usage.cpu) : 0,
      memoryBytes: c.usage?.memory !== undefined ? quantityToMilli(c.usage.memory) / 1000 : 0,
    };
  }
  return { name, usage: { containers, timestamp, windowSeconds: parseGoDuration(item.window ?? '') ?? 0 } };
}

/** Reads PodMetrics through the API server. */
export class ResourceMetricsSource {
  constructor(private readonly o: { client: Pick<KubeClient, 'request'> }) {}

  /**
   * Usage of the pods in `namespace` matching `labelSelector` (a selector string, `''` for all), keyed by
   * pod name. Rejects with `MetricsError` ('Unavailable') when the metrics API cannot be read.
   */
  async podUsage(namespace: string, labelSelector: string, signal?: AbortSignal): Promise<Map<string, PodUsage>> {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const path = `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods${q}`;
    let list: { items?: PodMetricsItem[] };
    try {
      list = await this.o.client.request<{ items?: PodMetricsItem[] }>('GET', path, undefined, signal ? { signal } : {});
    } catch (e) {
      throw new MetricsError('Unavailable', `unable to fetch metrics from resource metrics API: ${messageOf(e)}`, { cause: e });
    }
    const out = new Map<string, PodUsage>();
    for (const item of list.items ?? []) {
      const u = podUsageFromItem(item);
      if (u) out.set(u.name, u.usage);
    }
    return out;
  }
}
