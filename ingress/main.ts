/**
 * `skiff ingress --kubeconfig FILE [--ingress-http-port 8080] [--ingress-https-port 8443] [--metrics-port 10254]
 *  [--ingress-class skiff] [--address 127.0.0.1] [--publish-service ns/name | --publish-address ADDR]
 *  [--engine undici|http-proxy] [--access-log] [--ingress-workers N]`
 *
 * Runs the ingress controller until SIGINT/SIGTERM (or `signal`), serving `/metrics` and `/healthz` on
 * `--metrics-port` (`0` = a free port; the bound port is logged). With `--ingress-workers N > 1` the process is a
 * node:cluster primary that re-runs its own command line in N workers; each worker runs the controller and the
 * proxy, and they share the listening ports. The primary serves `/metrics` aggregated over all workers (request
 * counters and histograms summed; the reload gauges take the worst/latest worker) and `/healthz` as JSON listing
 * the workers' pids, and replaces a worker that dies (ingress/main/primary.ts).
 */
import cluster from 'node:cluster';
import { Registry } from 'prom-client';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../core/client/index.js';
import { createLogger, systemClock, type Logger } from '../core/util/index.js';
import { startIngress } from './controller.js';
import { parseIngressFlags, type IngressFlags } from './main/flags.js';
import { listenMetrics, type MetricsServer } from './main/metrics-server.js';
import { runPrimary } from './main/primary.js';
import { announceReady, joinMetricsCluster, leaveCluster } from './main/worker.js';

export async function runIngress(argv: readonly string[], o: { signal?: AbortSignal; log?: Logger } = {}): Promise<void> {
  const flags = parseIngressFlags(argv);
  const slot = cluster.isWorker ? process.env.SKIFF_INGRESS_WORKER ?? '' : undefined;
  const log = o.log ?? createLogger({}, { component: 'skiff-ingress', ...(slot === undefined ? {} : { worker: slot }) });
  const ac = new AbortController();
  o.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (flags.workers > 1 && cluster.isPrimary) {
      // An unreadable kubeconfig fails here, once, rather than in every worker again and again.
      (await KubeClient.fromKubeconfig(flags.kubeconfig)).close();
      await runPrimary({
        workers: flags.workers, metricsPort: flags.metricsPort, address: flags.address,
        exec: process.argv[1] ?? '', args: process.argv.slice(2), clock: systemClock, log, signal: ac.signal,
      });
    } else {
      await serve(flags, log, ac.signal);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    leaveCluster();
  }
}

/** One process's controller and proxy: alone (serving its own `/metrics`) or as a cluster worker. */
async function serve(flags: IngressFlags, log: Logger, signal: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const registry = new Registry();
  if (cluster.isWorker) joinMetricsCluster(registry);
  const client = await KubeClient.fromKubeconfig(flags.kubeconfig);
  const informers = new SharedInformerFactory({ client, clock: systemClock, log });
  const recorder = new EventRecorder({ client, component: 'skiff-ingress', clock: systemClock, log });
  let metrics: MetricsServer | undefined;
  try {
    const running = await startIngress({
      client, informers, recorder, clock: systemClock, log, signal: stop.signal, metricsRegistry: registry,
      httpPort: flags.httpPort, httpsPort: flags.httpsPort, address: flags.address, ensureDefaultClass: true,
      className: flags.className, engine: flags.engine, accessLog: flags.accessLog,
      ...(flags.publishService === undefined ? {} : { publishService: flags.publishService }),
      ...(flags.publishAddress === undefined ? {} : { publishAddress: flags.publishAddress }),
    });
    try {
      if (cluster.isPrimary) {
        metrics = await listenMetrics(flags.metricsPort, flags.address, {
          metrics: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
          health: () => ({ status: 200, contentType: 'text/plain', body: 'ok' }),
        });
      }
      log.info('ingress controller running', { httpPort: running.httpPort, httpsPort: running.httpsPort, ...(metrics === undefined ? {} : { metricsPort: metrics.port }) });
      if (cluster.isWorker) announceReady(running.httpPort, running.httpsPort);
      await new Promise<void>((r) => { if (stop.signal.aborted) r(); else stop.signal.addEventListener('abort', () => r(), { once: true }); });
    } finally {
      await metrics?.close();
      await running.close();
    }
  } finally {
    stop.abort();
    signal.removeEventListener('abort', onAbort);
    await informers.stopped();
    await recorder.flush().catch(() => undefined);
    client.close();
  }
}
