/** Control-plane metrics: a prom-client Registry the integrator mounts on `/metrics`, and the autoscalers' own series. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface ControlPlaneRegistryOptions {
  /** Also collect Node's process metrics (`process_*`, `nodejs_*`); default true. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ component: 'autoscaler' }`. */
  labels?: Record<string, string>;
}

/** A fresh registry (never the prom-client global one), so several control planes can share a process. */
export function createControlPlaneRegistry(opts: ControlPlaneRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (opts.labels) registry.setDefaultLabels(opts.labels);
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/** The autoscalers' series, registered on `registry`. */
export class AutoscalerMetrics {
  readonly hpaReconciles: Counter<'result'>;
  readonly hpaDesiredReplicas: Gauge<'namespace' | 'name'>;
  readonly hpaRescales: Counter<'namespace' | 'name' | 'direction'>;
  readonly vpaEvictions: Counter<'namespace' | 'name'>;
  readonly scrapes: Counter<'result'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.hpaReconciles = new Counter({ name: 'skiff_hpa_reconciles_total', help: 'HPA syncs by result (success or error).', labelNames: ['result'], registers });
    this.hpaDesiredReplicas = new Gauge({ name: 'skiff_hpa_desired_replicas', help: 'Replicas each HPA last decided on.', labelNames: ['namespace', 'name'], registers });
    this.hpaRescales = new Counter({ name: 'skiff_hpa_rescales_total', help: 'Scale subresource updates made by HPAs.', labelNames: ['namespace', 'name', 'direction'], registers });
    this.vpaEvictions = new Counter({ name: 'skiff_vpa_evictions_total', help: 'Pods evicted by the VPA updater.', labelNames: ['namespace', 'name'], registers });
    this.scrapes = new Counter({ name: 'skiff_autoscaler_pod_scrapes_total', help: 'Pod metric scrapes by result.', labelNames: ['result'], registers });
  }
}
