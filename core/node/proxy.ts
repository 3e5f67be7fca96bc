/**
 * The service proxy (skiff's kube-proxy): each Service's ClusterIP is a loopback address that
 * really forwards TCP to the Service's ready endpoints, and each NodePort listens on every
 * node address. Endpoint changes swap the backend list in place; listeners only open and close
 * when a Service's ports change. A failed connect is retried on another endpoint, so a pod
 * that just went away costs no request.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Endpoints, Service } from '../api/index.js';
import type { Informer, SharedInformerFactory } from '../client/index.js';
import type { Logger } from '../util/index.js';

interface Backend { ip: string; port: number }

interface Listener {
  key: string;
  server: Server;
  backends: Backend[];
  next: number;
}

export interface ServiceProxyOptions {
  informers: SharedInformerFactory;
  /** Node addresses NodePorts listen on. */
  nodeAddresses: () => readonly string[];
  log: Logger;
}

const targets = {
  services: { apiVersion: 'v1', plural: 'services', namespaced: true },
  endpoints: { apiVersion: 'v1', plural: 'endpoints', namespaced: true },
} as const;

/** Ready backends for one service port, from the Endpoints object (pure). */
export function backendsFor(svc: Service, portName: string | undefined, ep: Endpoints | undefined): Backend[] {
  const out: Backend[] = [];
  for (const subset of ep?.subsets ?? []) {
    const port = subset.ports?.find((p) => (p.name ?? '') === (portName ?? '')) ?? (subset.ports?.length === 1 && !portName ? subset.ports[0] : undefined);
    if (!port) continue;
    for (const a of subset.addresses ?? []) out.push({ ip: a.ip, port: port.port });
  }
  void svc;
  return out;
}

/** Every (address, port) a Service should listen on, keyed stably (pure). */
export function listenAddresses(svc: Service, nodeAddresses: readonly string[]): { key: string; host: string; port: number; portName: string | undefined }[] {
  const out: { key: string; host: string; port: number; portName: string | undefined }[] = [];
  const ip = svc.spec?.clusterIP;
  for (const p of svc.spec?.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP') continue;
    if (ip && ip !== 'None' && ip.startsWith('127.')) out.push({ key: `${ip}:${p.port}`, host: ip, port: p.port, portName: p.name });
    if (p.nodePort && (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer')) {
      for (const a of nodeAddresses) out.push({ key: `${a}:${p.nodePort}`, host: a, port: p.nodePort, portName: p.name });
    }
  }
  return out;
}

export class ServiceProxy {
  private readonly listeners = new Map<string, Listener>();
  private readonly byService = new Map<string, Set<string>>();
  private services: Informer<Service> | undefined;
  private endpoints: Informer<Endpoints> | undefined;

  constructor(private readonly o: ServiceProxyOptions) {}

  start(): void {
    this.services = this.o.informers.informerFor<Service>(targets.services);
    this.endpoints = this.o.informers.informerFor<Endpoints>(targets.endpoints);
    const key = (o: { metadata: { namespace?: string; name?: string } }): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    this.services.addHandlers({ onAdd: (s) => this.sync(key(s)), onUpdate: (_, s) => this.sync(key(s)), onDelete: (s) => this.sync(key(s)) });
    this.endpoints.addHandlers({ onAdd: (e) => this.sync(key(e)), onUpdate: (_, e) => this.sync(key(e)), onDelete: (e) => this.sync(key(e)) });
  }

  /** Re-derives the listeners and backends of one Service from the caches. */
  sync(key: string): void {
    const svc = this.services?.get(key);
    const ep = this.endpoints?.get(key);
    const want = svc ? listenAddresses(svc, this.o.nodeAddresses()) : [];
    const wantKeys = new Set(want.map((w) => w.key));
    for (const k of this.byService.get(key) ?? []) if (!wantKeys.has(k)) this.close(k);
    this.byService.set(key, wantKeys);
    for (const w of want) {
      const backends = svc ? backendsFor(svc, w.portName, ep) : [];
      const l = this.listeners.get(w.key);
      if (l) l.backends = backends;
      else this.open(w.key, w.host, w.port, backends);
    }
    if (!svc) this.byService.delete(key);
  }

  private open(key: string, host: string, port: number, backends: Backend[]): void {
    const server = createServer((client) => this.forward(l, client));
    const l: Listener = { key, server, backends, next: 0 };
    this.listeners.set(key, l);
    server.on('error', (e) => {
      this.o.log.warn('service listener failed', { address: key, error: e.message });
      this.listeners.delete(key);
    });
    server.listen(port, host);
  }

  private close(key: string): void {
    const l = this.listeners.get(key);
    this.listeners.delete(key);
    l?.server.close();
  }

  private forward(l: Listener, client: Socket, tried = new Set<number>()): void {
    const n = l.backends.length;
    if (n === 0 || tried.size >= n) {
      client.destroy();
      return;
    }
    let i = l.next++ % n;
    while (tried.has(i)) i = (i + 1) % n;
    tried.add(i);
    const b = l.backends[i];
    if (!b) {
      client.destroy();
      return;
    }
    client.pause();
    const upstream = connect({ host: b.ip, port: b.port });
    const onConnectError = (): void => {
      upstream.destroy();
      this.forward(l, client, tried);
    };
    upstream.once('error', onConnectError);
    upstream.once('connect', () => {
      upstream.off('error', onConnectError);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }

  /** Closes every listener. */
  async stop(): Promise<void> {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map((l) => new Promise<void>((r) => l.server.close(() => r()))));
  }
}
