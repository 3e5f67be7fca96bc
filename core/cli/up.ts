/** `skiff up`: the all-in-one control plane in the foreground. */
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { KindRegistry, registerBuiltins, type Node, type Pod, type VerticalPodAutoscaler } from '../api/index.js';
import { createApiServer, ensurePki, type AdmissionPlugin } from '../apiserver/index.js';
import { vpaAdmit } from '../../autoscaler/index.js';
import { EventRecorder, KubeClient, SharedInformerFactory, writeKubeconfig } from '../client/index.js';
import { startCoreControllers } from '../controllers/index.js';
import { startWorkloadControllers } from '../controllers/workloads/index.js';
import { createLogsProvider, createMetricsApi } from '../metrics-server/index.js';
import { createScheduler } from '../scheduler/index.js';
import { openStore, type ObjectStore } from '../store/index.js';
import { codeRoot, systemClock, type Logger } from '../util/index.js';
import { UsageError } from './args.js';
import { openDataDir } from './datadir.js';
import { startAutoscalers } from './components/autoscalers.js';
import { startDemo } from './components/demo.js';
import { startIngressComponent } from './components/ingress.js';
import { startCloud } from './components/cloud.js';
import { startDashboard } from './components/dashboard.js';
import type { Step, UpContext } from './components/context.js';
import { LocalNodes } from './local-nodes.js';
import { takeSlot } from './slot.js';
import { parseUp, upUsage, type UpConfig } from './up-config.js';

/** Explains a taken port in the words a user can act on. */
function listenError(e: unknown, what: string, port: number, flag: string): Error {
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return new UsageError(`port ${port} for the ${what} is already in use; choose another with ${flag} PORT (or stop what is using it)`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** A component `skiff up` starts once the core runs (cloud, ingress, autoscalers, dashboard, demo). */
type Component = (ctx: UpContext) => Promise<void>;
const components: ReadonlyArray<readonly [string, Component]> = [
  ['cloud', startCloud], ['ingress', startIngressComponent], ['autoscalers', startAutoscalers], ['dashboard', startDashboard], ['demo', startDemo],
];

/**
 * Start-up timing for `--log-level debug`: `phase(name)` logs how long the phase since the previous call
 * took. The first call covers the time since the process started (Node itself and loading the modules).
 */
function phaseTimer(log: Logger, now: () => number = () => performance.now()): (phase: string) => void {
  let last = 0;
  return (phase) => {
    const t = now();
    log.debug('start-up phase done', { phase, ms: Math.round(t - last), sinceProcessStartMs: Math.round(t) });
    last = t;
  };
}

function metricsHandler(registry: Registry) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname !== '/metrics' || req.method !== 'GET') return false;
    res.writeHead(200, { 'Content-Type': registry.contentType });
    res.end(await registry.metrics());
    return true;
  };
}

/** VPA's admission: new pods of a target in mode Initial, Recreate or Auto get the recommended requests. */
function vpaAdmission(store: ObjectStore): AdmissionPlugin {
  const vpas = { group: 'autoscaling.k8s.io', plural: 'verticalpodautoscalers', namespaced: true };
  return {
    name: 'vpa',
    mutate: async (op, obj, _old, info) => {
      if (op !== 'CREATE' || info.group !== '' || info.kind !== 'Pod' || !info.namespace) return undefined;
      const { items } = await store.list(vpas, { namespace: info.namespace });
      return items.length === 0 ? undefined : vpaAdmit(obj as Pod, items as VerticalPodAutoscaler[]);
    },
  };
}

/** Starts the core (store, API server, controllers, scheduler, local nodes), then every component. */
async function start(cfg: UpConfig, dataDir: string, token: string, kubeconfig: string, signal: AbortSignal, cleanup: Step[]): Promise<string> {
  const { log } = cfg;
  const phase = phaseTimer(log);
  phase('node and modules');
  const progress = (line: string): void => void process.stdout.write(line + '\n');
  const pki = await ensurePki(dataDir);
  phase('pki');
  const { store, backend } = openStore(cfg.store, dataDir);
  cleanup.unshift(() => store.close());
  phase('store');
  const registry = new KindRegistry();
  registerBuiltins(registry);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const lookup = {
    getPod: (ns: string, name: string) => store.get({ group: '', plural: 'pods', namespaced: true }, ns, name) as Promise<Pod>,
    getNode: (name: string) => store.get({ group: '', plural: 'nodes', namespaced: false }, undefined, name) as Promise<Node>,
  };
  const server = createApiServer({
    store,
    storeWriteFailure: () => backend.writeFailure?.(),
    registry,
    token,
    tls: { cert: pki.cert, key: pki.key },
    log: log.child({ component: 'apiserver' }),
    clock: systemClock,
    logs: createLogsProvider(lookup, token),
    admission: [vpaAdmission(store)],
    metrics,
    extraHandlers: [
      metricsHandler(metrics),
      createMetricsApi({
        token,
        now: () => systemClock.now(),
        listNodes: async () => (await store.list({ group: '', plural: 'nodes', namespaced: false })).items as Node[],
        podLabels: async () => new Map((await store.list({ group: '', plural: 'pods', namespaced: true })).items.map((p) => [`${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`, p.metadata.labels ?? {}])),
      }),
    ],
  });
  let port: number;
  try {
    port = await server.listen(cfg.apiPort, cfg.address);
  } catch (e) {
    throw listenError(e, 'API server', cfg.apiPort, '--api-port');
  }
  cleanup.unshift(() => server.close());
  phase('apiserver');
  const host = cfg.address === '0.0.0.0' ? '127.0.0.1' : cfg.address.includes(':') ? `[${cfg.address}]` : cfg.address;
  const apiUrl = `https://${host}:${port}`;
  await writeKubeconfig(kubeconfig, { server: apiUrl, caCert: pki.caCert, token });

  const client = new KubeClient({ server: apiUrl, caCert: pki.caCert, token, userAgent: 'skiff-controller-manager' });
  cleanup.unshift(() => client.close());
  const informers = new SharedInformerFactory({ client, clock: systemClock, log: log.child({ component: 'informers' }) });
  // Events are best effort: at shutdown a recorder drops its backlog instead of retrying it against a closed server.
  const recorder = (component: string): EventRecorder => new EventRecorder({ client, component, clock: systemClock, log: log.child({ component }), signal });
  const ctl = { client, informers, clock: systemClock, signal };
  startCoreControllers({ ...ctl, log: log.child({ component: 'controllers' }) });
  startWorkloadControllers({ ...ctl, recorder: recorder('controller-manager'), log: log.child({ component: 'workloads' }) });
  void createScheduler({ ...ctl, recorder: recorder('default-scheduler'), log: log.child({ component: 'scheduler' }) }).start(signal);
  informers.start(signal);
  cleanup.unshift(() => informers.stopped());
  phase('controllers');

  // Local nodes: --nodes of them now; node groups of the fake cloud boot more through the same object.
  if (cfg.nodes > 0) progress(`starting ${cfg.nodes} local node${cfg.nodes === 1 ? '' : 's'}…`);
  // This skiff's block of loopback addresses, so that several can run on one machine.
  const slot = takeSlot(dataDir);
  cleanup.push(() => slot.release());
  const nodes = new LocalNodes({ count: cfg.nodes, cpu: cfg.nodeCpu, memory: cfg.nodeMemory, client, informers, recorder: recorder('kubelet'), dataDir, token, clock: systemClock, log: log.child({ component: 'node' }), slot: slot.n });
  // Pods stop before the API server and store close, so their final state is written.
  cleanup.unshift(() => nodes.stop());
  await nodes.start(signal);
  phase('nodes');
  const ctx: UpContext = {
    cfg, dataDir, codeRoot: codeRoot(), apiUrl, kubeconfig, token, client, informers, recorder, clock: systemClock, log, signal, metrics, nodes, slot: slot.n,
    onShutdown: (step) => cleanup.unshift(step),
    progress,
  };
  for (const [name, c] of components) {
    if (signal.aborted) break;
    await c(ctx);
    phase(name);
  }
  return apiUrl;
}

export async function up(argv: string[]): Promise<number> {
  const cfg = parseUp(argv);
  if (!cfg) {
    process.stdout.write(upUsage + '\n');
    return 0;
  }
  const dir = openDataDir(cfg.dataDir);
  const stop = new AbortController();
  // Every informer, controller and node agent listens on this one signal.
  setMaxListeners(1000, stop.signal);
  const cleanup: Step[] = [() => dir.release()];
  // Test hook (not a user setting): leave a timer running after clean-up, as a component that forgets
  // one would, so the tests can show that the last-resort exit below is seen as a failure.
  if (process.env.SKIFF_TEST_HANG_AFTER_SHUTDOWN === '1') cleanup.push(() => void setInterval(() => undefined, 60_000));
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  // Handlers stay installed until shutdown is over: a second Ctrl-C must not cut the clean-up
  // short and leave pod processes behind.
  let signals = 0;
  const onSignal = (): void => {
    if (signals++ > 0) {
      process.stderr.write('still shutting down: stopping pods…\n');
      return;
    }
    stop.abort(new DOMException('shutting down', 'AbortError'));
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const apiUrl = await start(cfg, dir.path, dir.token, dir.kubeconfig, stop.signal, cleanup);
    if (!stop.signal.aborted) {
      process.stdout.write(`skiff ready: ${apiUrl} kubeconfig=${dir.kubeconfig}\n`);
      process.stdout.write(`  export KUBECONFIG=${dir.kubeconfig}\n`);
      await stopped;
    }
    cfg.log.info('shutting down');
    return 0;
  } finally {
    stop.abort(new Error('shutting down'));
    for (const step of cleanup) {
      try {
        await step();
      } catch (e) {
        cfg.log.warn('shutdown step failed', { err: e });
      }
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    exitDeadline(cfg.log);
  }
}

/** How long the process may linger once every shutdown step has run (the store is closed by then). */
const LINGER_MS = 10_000;

/** The exit code of the last-resort exit: a shutdown that needed it is a bug, never a success. */
export const HUNG_SHUTDOWN_EXIT = 70;

/** What keeps the event loop alive, counted by kind, e.g. `Timeout×1,TCPSocketWrap×2`. */
export function activeResources(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => `${n}×${c}`).join(',');
}

/**
 * Last resort: if something still keeps the event loop alive `LINGER_MS` after clean-up (a timer or
 * socket some component forgot), say what it is and exit non-zero (EX_SOFTWARE) instead of hanging,
 * so a hang cannot pass for a clean stop. The timer is unref'd: a clean shutdown exits at once and
 * never sees it.
 */
function exitDeadline(log: UpConfig['log']): void {
  setTimeout(() => {
    log.error('still running after shutdown; exiting', { lingeringMs: LINGER_MS, exitCode: HUNG_SHUTDOWN_EXIT, active: activeResources(process.getActiveResourcesInfo()) });
    process.exit(HUNG_SHUTDOWN_EXIT);
  }, LINGER_MS).unref();
}
