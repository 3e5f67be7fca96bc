/** Metrics of the watch connections, registered only in the `Registry` the integrator gives (none: kept, not exported). */
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

export class WatchMetrics {
  private readonly terminatedTotal: Counter<'resource'>;
  private readonly peakGauge: Gauge;
  private peakBytes = 0;

  constructor(registry: Registry | undefined) {
    const registers = registry ? [registry] : [];
    this.terminatedTotal = new Counter({
      name: 'apiserver_terminated_watchers_total',
      help: 'Counter of watchers closed due to unresponsiveness broken by resource type.',
      labelNames: ['resource'], registers,
    });
    this.peakGauge = new Gauge({
      name: 'skiff_apiserver_watch_buffer_peak_bytes',
      help: 'The most bytes any one watch connection has had buffered, unsent, since the server started.',
      registers,
    });
  }

  /** Records what one watch connection has buffered right now. */
  buffered(bytes: number): void {
    if (bytes <= this.peakBytes) return;
    this.peakBytes = bytes;
    this.peakGauge.set(bytes);
  }

  /** A watcher of `resource` was closed because its buffer passed the bound. */
  terminated(resource: string): void {
    this.terminatedTotal.inc({ resource });
  }
}
