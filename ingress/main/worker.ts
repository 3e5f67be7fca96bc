/**
 * The worker's side of `skiff ingress --ingress-workers N`: answers the primary's metric requests from this worker's
 * registry (prom-client's cluster protocol) and tells the primary when it serves.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** What a worker sends the primary once its proxy listens and its route table is built. */
export interface ReadyMessage {
  readonly type: 'skiff-ingress:ready';
  readonly httpPort: number;
  readonly httpsPort: number;
}

export function isReadyMessage(m: unknown): m is ReadyMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return r.type === 'skiff-ingress:ready' && typeof r.httpPort === 'number' && typeof r.httpsPort === 'number';
}

/**
 * Makes this worker answer the primary's `clusterMetrics()` from `registry`. prom-client adds the worker's
 * message listener only when an AggregatorRegistry is constructed, so one is, even though it is not read here.
 */
export function joinMetricsCluster(registry: Registry): void {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

export function announceReady(httpPort: number, httpsPort: number): void {
  const m: ReadyMessage = { type: 'skiff-ingress:ready', httpPort, httpsPort };
  if (process.connected) process.send?.(m);
}

/** Closes the IPC channel (its message listener would keep the process alive) once the worker has stopped. */
export function leaveCluster(): void {
  if (cluster.isWorker && process.connected) cluster.worker?.disconnect();
}
