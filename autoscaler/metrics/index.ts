/**
 * autoscaler/metrics: where the autoscalers' numbers come from — a Prometheus text-exposition parser,
 * the resource-metrics source (`metrics.k8s.io`), the pods source (scraping annotated pods), the
 * external/object source (PromQL against Prometheus, prometheus-adapter style rules) and a
 * control-plane metrics registry.
 */
export { parseExposition, parseFloatValue, seriesId } from './exposition.js';
export type { ExpositionError, ExpositionResult, MetricFamily, MetricType, Sample } from './exposition.js';
export { counterRate, PodSeriesStore } from './series.js';
export type { Point, PodValue } from './series.js';
export { ResourceMetricsSource, parseGoDuration, podUsageFromItem } from './resource.js';
export type { ContainerUsage, PodUsage } from './resource.js';
export { PodsMetricsSource, scrapeTargetOf } from './pods.js';
export type { PodsMetricsSourceOptions, ScrapeTarget } from './pods.js';
export { PrometheusMetricsSource } from './prometheus.js';
export type { PrometheusSourceOptions, QueryValue } from './prometheus.js';
export { labelForResource, literalSeriesName, metricNameFor, renderQuery, selectorMatchers } from './rules.js';
export type { PrometheusRule } from './rules.js';
export { MetricsError } from './errors.js';
export type { MetricsErrorCode } from './errors.js';
export { AutoscalerMetrics, createControlPlaneRegistry } from './registry.js';
export type { ControlPlaneRegistryOptions } from './registry.js';
export type { ExternalMetricsReader, MetricsSources, PodsMetricsReader, ResourceMetricsReader } from './sources.js';
