/** The narrow reading interfaces the HPA and VPA controllers depend on (the real sources and test stubs satisfy them). */
import type { CrossVersionObjectReference, MetricIdentifier } from '../../core/api/index.js';
import type { PodUsage } from './resource.js';
import type { PodValue } from './series.js';

export interface ResourceMetricsReader {
  /** Usage keyed by pod name; rejects when the resource metrics API cannot be read. */
  podUsage(namespace: string, labelSelector: string, signal?: AbortSignal): Promise<Map<string, PodUsage>>;
}

export interface PodsMetricsReader {
  /** Plain-unit values keyed by pod name, for the pods that have one. */
  podsMetric(namespace: string, podNames: readonly string[], metric: MetricIdentifier): Map<string, PodValue> | Promise<Map<string, PodValue>>;
}

export interface ExternalMetricsReader {
  external(namespace: string, metric: MetricIdentifier, signal?: AbortSignal): Promise<number[]>;
  object(namespace: string, ref: CrossVersionObjectReference, metric: MetricIdentifier, signal?: AbortSignal): Promise<number>;
}

/** The sources an HPA reads from; a metric type whose source is absent fails with a clear message. */
export interface MetricsSources {
  resource?: ResourceMetricsReader;
  pods?: PodsMetricsReader;
  /** Serves both External and Object metrics. */
  external?: ExternalMetricsReader;
}
