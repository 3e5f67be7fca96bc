/**
 * The primary process of `skiff ingress --ingress-workers N`: forks N workers (node:cluster; they share the
 * listening ports, connections are handed out round-robin), serves `/metrics` aggregated over all workers
 * (prom-client's AggregatorRegistry asks every worker for its registry at each scrape) and `/healthz`, replaces
 * a worker that dies (see restart.ts), and stops the workers when `signal` aborts.
 *
 * A scrape asks every connected worker; one that is still starting (it answers once its registry is set up,
 * before it connects to the API server) or has just died makes that scrape wait for prom-client's 5 s timeout
 * and answer 503.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Clock, Logger } from '../../core/util/index.js';
import { listenMetrics, type Health } from './metrics-server.js';
import { initialRestartState, nextRestart } from './restart.js';
import { isReadyMessage } from './worker.js';

/** How long stopping workers get before they are killed. */
const STOP_GRACE_MS = 30_000;

export interface PrimaryOptions {
  readonly workers: number;
  readonly metricsPort: number;
  readonly address: string;
  /** The script each worker runs, and its arguments (the command line that started the primary). */
  readonly exec: string;
  readonly args: readonly string[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Aborting stops the workers, then the metrics listener; runPrimary then resolves. */
  readonly signal: AbortSignal;
}

interface Slot {
  readonly worker: Worker;
  readonly startedAt: number;
  ready: { readonly httpPort: number; readonly httpsPort: number } | undefined;
}

/** What `/healthz` of the primary says: 200 once a worker serves, with each worker's pid and whether it serves. */
export function primaryHealth(slots: ReadonlyMap<number, Slot>): Health {
  const workers = [...slots].sort(([a], [b]) => a - b)
    .map(([slot, s]) => ({ slot, pid: s.worker.process.pid, ready: s.ready !== undefined, ...s.ready }));
  const ok = workers.some((w) => w.ready);
  return { status: ok ? 200 : 503, contentType: 'application/json', body: `${JSON.stringify({ status: ok ? 'ok' : 'starting', workers })}\n` };
}

export async function runPrimary(o: PrimaryOptions): Promise<void> {
  const log = o.log.child({ role: 'primary' });
  const aggregator = new AggregatorRegistry();
  const slots = new Map<number, Slot>();
  const alive = new Set<Worker>();
  let restart = initialRestartState;
  let allExited: (() => void) | undefined;
  const metrics = await listenMetrics(o.metricsPort, o.address, {
    metrics: async () => ({ contentType: aggregator.contentType, text: await aggregator.clusterMetrics() }),
    health: () => primaryHealth(slots),
  });
  log.info('ingress metrics listening', { metricsPort: metrics.port, workers: o.workers });
  cluster.setupPrimary({ exec: o.exec, args: [...o.args] });

  const fork = (slot: number): void => {
    const worker = cluster.fork({ SKIFF_INGRESS_WORKER: String(slot) });
    const s: Slot = { worker, startedAt: o.clock.now(), ready: undefined };
    slots.set(slot, s);
    alive.add(worker);
    log.info('ingress worker started', { slot, pid: worker.process.pid });
    worker.on('message', (m: unknown) => {
      if (!isReadyMessage(m)) return;
      s.ready = { httpPort: m.httpPort, httpsPort: m.httpsPort };
      log.info('ingress worker ready', { slot, pid: worker.process.pid });
    });
    worker.once('exit', (code: number | null, sig: string | null) => {
      alive.delete(worker);
      if (slots.get(slot) === s) slots.delete(slot);
      if (o.signal.aborted) {
        if (alive.size === 0) allExited?.();
        return;
      }
      const r = nextRestart(restart, o.clock.now() - s.startedAt);
      restart = r.state;
      log.error('ingress worker died, replacing it', { slot, pid: worker.process.pid, code, signal: sig, delayMs: r.delayMs });
      o.clock.sleep(r.delayMs, o.signal).then(() => fork(slot), () => undefined);
    });
  };

  for (let i = 0; i < o.workers; i++) fork(i);
  await new Promise<void>((r) => { if (o.signal.aborted) r(); else o.signal.addEventListener('abort', () => r(), { once: true }); });
  if (alive.size > 0) {
    const exited = new Promise<void>((r) => { allExited = r; });
    for (const w of alive) w.kill('SIGTERM');
    const grace = new AbortController();
    o.clock.sleep(STOP_GRACE_MS, grace.signal).then(() => {
      for (const w of alive) {
        log.warn('ingress worker did not stop, killing it', { pid: w.process.pid });
        w.process.kill('SIGKILL');
      }
    }, () => undefined);
    await exited;
    grace.abort();
  }
  await metrics.close();
  log.info('ingress workers stopped');
}
