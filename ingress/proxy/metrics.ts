/** Prometheus metrics of the proxy, named as ingress-nginx's, on a caller-supplied registry. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const LABELS = ['status', 'method', 'host', 'path', 'namespace', 'ingress', 'service'] as const;
type Label = (typeof LABELS)[number];
export type RequestLabels = Record<Label, string>;

export class ProxyMetrics {
  readonly requests: Counter<Label>;
  readonly duration: Histogram<Label>;
  readonly responseSize: Histogram<Label>;
  readonly upstreamLatency: Histogram<Exclude<Label, 'status' | 'method'>>;
  readonly reloadOk: Gauge;
  readonly reloadTimestamp: Gauge;
  readonly generation: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({ name: 'nginx_ingress_controller_requests', help: 'Requests served, by rule', labelNames: LABELS, registers });
    this.duration = new Histogram({
      name: 'nginx_ingress_controller_request_duration_seconds', help: 'Request processing time', labelNames: LABELS, registers,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.responseSize = new Histogram({
      name: 'nginx_ingress_controller_response_size', help: 'Response body bytes', labelNames: LABELS, registers,
      buckets: [100, 1000, 10_000, 100_000, 1_000_000, 10_000_000],
    });
    this.upstreamLatency = new Histogram({
      name: 'nginx_ingress_controller_upstream_latency_seconds', help: 'Time to the upstream response headers',
      labelNames: ['host', 'path', 'namespace', 'ingress', 'service'], registers,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.reloadOk = new Gauge({ name: 'nginx_ingress_controller_config_last_reload_successful', help: 'Whether the last table build succeeded', registers });
    this.reloadTimestamp = new Gauge({
      name: 'nginx_ingress_controller_config_last_reload_successful_timestamp_seconds', help: 'Time of the last successful table swap', registers,
    });
    this.generation = new Gauge({ name: 'skiff_ingress_controller_config_generation', help: 'Route table generation', registers });
  }
}
