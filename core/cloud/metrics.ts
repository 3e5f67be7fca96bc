/** Cloud metrics via prom-client, registered only in the `Registry` the caller gives (no global default registry). */
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { countCalls } from './counting.js';
import type { CloudProvider } from './types.js';
import type { Clock } from '../util/index.js';

export interface CloudMetrics {
  calls: Counter<'provider' | 'operation' | 'outcome'>;
  reconcileDuration: Histogram<'controller'>;
}

export function createCloudMetrics(registry: Registry): CloudMetrics {
  return {
    calls: new Counter({
      name: 'skiff_cloud_calls_total',
      help: 'Cloud-provider calls by provider, operation and outcome (ok or an error code).',
      labelNames: ['provider', 'operation', 'outcome'],
      registers: [registry],
    }),
    reconcileDuration: new Histogram({
      name: 'skiff_cloud_reconcile_duration_seconds',
      help: 'Duration of one cloud controller reconcile.',
      labelNames: ['controller'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

/** `provider` with every call counted in `skiff_cloud_calls_total`. */
export function instrumentProvider(provider: CloudProvider, metrics: CloudMetrics, clock: Clock): CloudProvider {
  return countCalls(provider, (r) => metrics.calls.inc({ provider: provider.name, operation: r.operation, outcome: r.outcome }), () => clock.now());
}
