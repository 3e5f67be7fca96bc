/**
 * Fetches the samples `hpaDecide` needs for each entry of `spec.metrics` (in order) from the metrics
 * sources; a failure becomes `{ type: 'Error' }` for that entry, never a rejection.
 */
import type { HorizontalPodAutoscaler, MetricSpec, Pod } from '../../core/api/index.js';
import type { MetricsSources, PodUsage } from '../metrics/index.js';
import type { HpaMetricSamples, PodResourceSample } from './types.js';

const DEFAULT_METRICS: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];

export interface GatherInput {
  hpa: HorizontalPodAutoscaler;
  namespace: string;
  /** The scale's `status.selector`. */
  selector: string;
  pods: readonly Pod[];
  sources: MetricsSources;
  signal: AbortSignal;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Resource usage in milli-units: millicores, or bytes × 1000 for memory. */
function resourceSamples(usage: ReadonlyMap<string, PodUsage>, podNames: ReadonlySet<string>, resource: string): Record<string, PodResourceSample> {
  const out: Record<string, PodResourceSample> = {};
  for (const [name, u] of usage) {
    if (!podNames.has(name)) continue;
    const containers: Record<string, number> = {};
    for (const [c, v] of Object.entries(u.containers)) containers[c] = resource === 'cpu' ? v.cpuMilli : v.memoryBytes * 1000;
    out[name] = { containers, timestamp: u.timestamp, windowSeconds: u.windowSeconds };
  }
  return out;
}

async function one(spec: MetricSpec, input: GatherInput, usage: () => Promise<Map<string, PodUsage>>): Promise<HpaMetricSamples> {
  const { namespace, sources, signal } = input;
  const names = input.pods.map((p) => p.metadata.name ?? '');
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const resource = (spec.type === 'Resource' ? spec.resource?.name : spec.containerResource?.name) ?? '';
      if (resource !== 'cpu' && resource !== 'memory') return { type: 'Error', message: `resource ${resource} is not served by the resource metrics API` };
      if (!sources.resource) return { type: 'Error', message: 'no resource metrics source is configured' };
      const pods = resourceSamples(await usage(), new Set(names), resource);
      if (Object.keys(pods).length === 0) return { type: 'Error', message: 'no metrics returned from resource metrics API' };
      return { type: spec.type, pods };
    }
    case 'Pods': {
      const metric = spec.pods?.metric;
      if (!metric) return { type: 'Error', message: 'pods metric is not set' };
      if (!sources.pods) return { type: 'Error', message: 'no pods metrics source is configured' };
      const values = await sources.pods.podsMetric(namespace, names, metric);
      if (values.size === 0) return { type: 'Error', message: `no metrics returned for ${metric.name} from custom metrics API` };
      const pods: Record<string, number> = {};
      let timestamp = 0;
      for (const [name, v] of values) {
        pods[name] = v.value * 1000;
        timestamp = Math.max(timestamp, v.timestamp);
      }
      return { type: 'Pods', pods, timestamp };
    }
    case 'Object': {
      const o = spec.object;
      if (!o) return { type: 'Error', message: 'object metric is not set' };
      if (!sources.external) return { type: 'Error', message: 'no object metrics source is configured' };
      return { type: 'Object', value: (await sources.external.object(namespace, o.describedObject, o.metric, signal)) * 1000 };
    }
    case 'External': {
      const e = spec.external;
      if (!e) return { type: 'Error', message: 'external metric is not set' };
      if (!sources.external) return { type: 'Error', message: 'no external metrics source is configured' };
      return { type: 'External', values: (await sources.external.external(namespace, e.metric, signal)).map((v) => v * 1000) };
    }
    default:
      return { type: 'Error', message: `unknown metric source type ${String((spec as { type: unknown }).type)}` };
  }
}

/** One entry per `spec.metrics` entry (CPU at 80% when there are none). Resource usage is fetched once. */
export async function gatherSamples(input: GatherInput): Promise<HpaMetricSamples[]> {
  const specs = input.hpa.spec.metrics?.length ? input.hpa.spec.metrics : DEFAULT_METRICS;
  let cached: Promise<Map<string, PodUsage>> | undefined;
  const usage = (): Promise<Map<string, PodUsage>> => {
    const src = input.sources.resource;
    if (!src) return Promise.resolve(new Map());
    cached ??= src.podUsage(input.namespace, input.selector, input.signal);
    return cached;
  };
  return Promise.all(specs.map(async (spec) => {
    try {
      return await one(spec, input, usage);
    } catch (e) {
      return { type: 'Error', message: messageOf(e) } satisfies HpaMetricSamples;
    }
  }));
}
