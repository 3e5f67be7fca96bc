/**
 * The ingress controller: watches Ingress, IngressClass, Service, Endpoints and Secret objects, rebuilds the
 * route table (right away for an isolated change, spaced out under a storm: see controller/schedule.ts) and swaps it
 * into the proxy, reports problems as events, and publishes the
 * controller's address in the status of the Ingresses it serves (never of ignored ones).
 */
import type { Registry } from 'prom-client';
import type { Endpoints, Ingress, IngressClass, KubeObject, Secret, Service } from '../core/api/index.js';
import { isAlreadyExists } from '../core/api/index.js';
import type { EventRecorder, Informer, KubeClient, SharedInformerFactory } from '../core/client/index.js';
import type { Clock, Logger } from '../core/util/index.js';
import { buildRouteTable, DEFAULT_CONTROLLER_NAME, DEFAULT_CLASS_ANNOTATION, type RouteTableBuild } from './routes.js';
import { startProxy, type IngressProxy } from './proxy.js';
import type { EngineName } from './proxy/engine.js';
import { ProxyMetrics } from './proxy/metrics.js';
import { publishedAddresses, statusMatches, StatusWriter } from './controller/status.js';
import { RebuildScheduler } from './controller/schedule.js';
import { endpointsTarget, ingressClassTarget, ingressTarget, secretTarget, serviceTarget } from './controller/targets.js';

export interface IngressOptions {
  readonly client: KubeClient;
  readonly informers: SharedInformerFactory;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly log: Logger;
  /** Stops the controller (the proxy keeps running until `close()`). */
  readonly signal: AbortSignal;
  /** Default 8080 / 8443; 0 picks free ports; null disables HTTPS. */
  readonly httpPort?: number;
  readonly httpsPort?: number | null;
  /** Listen address; default 127.0.0.1. */
  readonly address?: string;
  readonly metricsRegistry?: Registry;
  /** IngressClass `spec.controller` this controller serves. Default `skiff.dev/ingress-controller`. */
  readonly controllerName?: string;
  /** Creates IngressClass `className` (default-annotated, for this controller) when it does not exist. */
  readonly ensureDefaultClass?: boolean;
  /** Name of the IngressClass `ensureDefaultClass` creates. Default `skiff`. */
  readonly className?: string;
  readonly publishService?: string;
  readonly publishAddress?: string;
  /**
   * Least time between the starts of two table rebuilds. An isolated change still rebuilds right away.
   * Default 5 ms.
   */
  readonly debounceMs?: number;
  /** Rebuilds are also spaced by this factor × the last rebuild's duration (caps rebuilds near 1/factor of a CPU). Default 3. */
  readonly rebuildCostFactor?: number;
  readonly engine?: EngineName;
  readonly accessLog?: boolean;
  /** Port written into HTTPS redirects when the public port differs from the listener's. */
  readonly publicHttpsPort?: number;
  readonly watchIngressWithoutClass?: boolean;
}

export interface RunningIngress {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Stops watching and closes the listeners. */
  close(): Promise<void>;
  /** Number of route tables swapped in so far. */
  tableGeneration(): number;
}

interface Watched {
  ingresses: Informer<Ingress>;
  classes: Informer<IngressClass>;
  services: Informer<Service>;
  endpoints: Informer<Endpoints>;
  secrets: Informer<Secret>;
}

export async function startIngress(o: IngressOptions): Promise<RunningIngress> {
  const stop = new AbortController();
  const signal = AbortSignal.any([o.signal, stop.signal]);
  const log = o.log.child({ component: 'ingress' });
  const metrics = o.metricsRegistry === undefined ? undefined : new ProxyMetrics(o.metricsRegistry);
  const address = o.address ?? '127.0.0.1';
  if (o.ensureDefaultClass === true) await ensureClass(o.client, o.className ?? 'skiff', o.controllerName ?? DEFAULT_CONTROLLER_NAME, signal);
  const proxy = await startProxy({
    clock: o.clock, log, address, httpPort: o.httpPort ?? 8080, httpsPort: o.httpsPort === undefined ? 8443 : o.httpsPort,
    ...(o.engine === undefined ? {} : { engine: o.engine }), ...(metrics === undefined ? {} : { metrics }),
    ...(o.accessLog === undefined ? {} : { accessLog: o.accessLog }), ...(o.publicHttpsPort === undefined ? {} : { publicHttpsPort: o.publicHttpsPort }),
  });
  const w: Watched = {
    ingresses: o.informers.informerFor<Ingress>(ingressTarget),
    classes: o.informers.informerFor<IngressClass>(ingressClassTarget),
    services: o.informers.informerFor<Service>(serviceTarget),
    endpoints: o.informers.informerFor<Endpoints>(endpointsTarget),
    secrets: o.informers.informerFor<Secret>(secretTarget),
  };
  const c = new Controller(o, w, proxy, metrics, log, signal, address);
  const removers = [w.ingresses, w.classes, w.services, w.endpoints, w.secrets].map((inf) =>
    (inf as Informer<KubeObject>).addHandlers({ onAdd: () => c.schedule(), onUpdate: (a, b) => { if (a !== b) c.schedule(); }, onDelete: () => c.schedule() }));
  // A factory the caller has not started yet runs for the caller's lifetime, not just the controller's.
  o.informers.start(o.signal);
  await o.informers.waitForSync(signal);
  c.ready();
  return {
    httpPort: proxy.httpPort,
    httpsPort: proxy.httpsPort,
    tableGeneration: () => c.generation,
    async close() {
      for (const r of removers) r();
      stop.abort();
      await proxy.close();
    },
  };
}

async function ensureClass(client: KubeClient, name: string, controller: string, signal: AbortSignal): Promise<void> {
  const cls: IngressClass = {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    spec: { controller },
  };
  try {
    await client.create(ingressClassTarget, cls, { signal });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

class Controller {
  generation = 0;
  #isReady = false;
  readonly #reported = new Set<string>();
  readonly #status: StatusWriter;
  readonly #scheduler: RebuildScheduler;

  constructor(private readonly o: IngressOptions, private readonly w: Watched, private readonly proxy: IngressProxy,
    private readonly metrics: ProxyMetrics | undefined, private readonly log: Logger, private readonly signal: AbortSignal,
    private readonly address: string) {
    this.#status = new StatusWriter(o.client, log, signal);
    this.#scheduler = new RebuildScheduler({
      clock: o.clock, signal, minGapMs: o.debounceMs ?? 5, costFactor: o.rebuildCostFactor ?? 3, run: () => this.rebuild(),
    });
  }

  ready(): void {
    this.#isReady = true;
    this.#scheduler.runNow();
  }

  /** Rebuilds once (soon, see RebuildScheduler), however many changes arrive meanwhile. */
  schedule(): void {
    if (!this.#isReady) return;
    this.#scheduler.schedule();
  }

  rebuild(): void {
    let build: RouteTableBuild;
    try {
      build = buildRouteTable({
        ingresses: this.w.ingresses.list(), ingressClasses: this.w.classes.list(), services: this.w.services.list(),
        endpoints: this.w.endpoints.list(), secrets: this.w.secrets.list(),
        ...(this.o.controllerName === undefined ? {} : { controllerName: this.o.controllerName }),
        ...(this.o.watchIngressWithoutClass === undefined ? {} : { watchIngressWithoutClass: this.o.watchIngressWithoutClass }),
      });
    } catch (e) {
      this.metrics?.reloadOk.set(0);
      this.log.error('route table build failed', { error: (e as Error).message });
      return;
    }
    this.proxy.setTable(build.table, this.#liveAddresses());
    this.generation++;
    this.metrics?.reloadOk.set(1);
    this.metrics?.reloadTimestamp.set(this.o.clock.now() / 1000);
    this.metrics?.generation.set(this.generation);
    this.metrics?.retain(new Set(build.accepted.map((r) => `${r.namespace}/${r.name}`)));
    this.#report(build);
    this.#publish(build);
  }

  #liveAddresses(): Set<string> {
    const live = new Set<string>();
    for (const ep of this.w.endpoints.list()) {
      for (const s of ep.subsets ?? []) {
        for (const a of [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]) {
          for (const p of s.ports ?? []) live.add(a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
        }
      }
    }
    return live;
  }

  /** One Warning event per distinct problem (until the set grows past 10,000 and is forgotten). */
  #report(build: RouteTableBuild): void {
    for (const p of build.problems) {
      const key = `${p.ingress.namespace}/${p.ingress.name}\0${p.ingress.uid ?? ''}\0${p.reason}\0${p.message}`;
      if (this.#reported.has(key)) continue;
      const ing = this.w.ingresses.get(`${p.ingress.namespace}/${p.ingress.name}`);
      if (ing === undefined) continue;
      if (this.#reported.size > 10_000) this.#reported.clear();
      this.#reported.add(key);
      this.o.recorder.event(ing, 'Warning', p.reason, p.message);
    }
  }

  #publish(build: RouteTableBuild): void {
    const want = publishedAddresses(
      { listenAddress: this.address, ...(this.o.publishService === undefined ? {} : { publishService: this.o.publishService }),
        ...(this.o.publishAddress === undefined ? {} : { publishAddress: this.o.publishAddress }) },
      (ns, name) => this.w.services.get(`${ns}/${name}`),
    );
    if (want === undefined) return;
    for (const ref of build.accepted) {
      const ing = this.w.ingresses.get(`${ref.namespace}/${ref.name}`);
      if (ing !== undefined && !statusMatches(ing, want)) this.#status.want(ing, want);
    }
  }
}
