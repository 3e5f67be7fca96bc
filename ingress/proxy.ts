/**
 * The ingress proxy: HTTP and HTTPS listeners serving the current route table. `setTable` is one reference
 * swap: requests and WebSockets already in flight keep the table (and connections) they started with.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock, Logger } from '../core/util/index.js';
import { RouteTable } from './routes.js';
import { Balancer } from './proxy/balancer.js';
import type { Engine, EngineName } from './proxy/engine.js';
import { UndiciEngine } from './proxy/engine-undici.js';
import { HttpProxyEngine } from './proxy/engine-http-proxy.js';
import { handleRequest, type HandlerDeps } from './proxy/handler.js';
import type { ProxyMetrics } from './proxy/metrics.js';
import { RateLimiter } from './proxy/ratelimit.js';
import { SniContexts } from './proxy/sni.js';
import { handleUpgrade } from './proxy/upgrade.js';
import { Upstreams, type HealthOptions } from './proxy/upstreams.js';

export interface ProxyOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** Listen address. Default 127.0.0.1. */
  readonly address?: string;
  /** Default 8080; 0 picks a free port. */
  readonly httpPort?: number;
  /** Default 8443; 0 picks a free port; null disables HTTPS. */
  readonly httpsPort?: number | null;
  /** Port written into redirects to HTTPS; default the HTTPS listener's port. */
  readonly publicHttpsPort?: number;
  /** Default 'undici' (faster in test/bench/ingress.bench.ts). */
  readonly engine?: EngineName;
  readonly metrics?: ProxyMetrics;
  /** JSON access log lines (off by default). */
  readonly accessLog?: boolean;
  /** Uniform in [0, 1); default Math.random. */
  readonly rand?: () => number;
  readonly health?: HealthOptions;
  /** Max request header bytes (→ 431). Default 16 KiB. */
  readonly maxHeaderSize?: number;
  /** Slow-client guards: time to the full headers (default 10 s) and the whole request (default 60 s). */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly initialTable?: RouteTable;
}

export interface IngressProxy {
  readonly httpPort: number;
  /** 0 when HTTPS is disabled. */
  readonly httpsPort: number;
  /**
   * Atomically replaces the route table. `liveAddresses` (every endpoint `ip:port` any backend may use), when
   * given, lets the proxy drop state and idle connections of endpoints that are gone.
   */
  setTable(table: RouteTable, liveAddresses?: ReadonlySet<string>): void;
  table(): RouteTable;
  close(): Promise<void>;
}

export const EMPTY_TABLE = new RouteTable({ exactHosts: new Map(), wildcardHosts: new Map(), anyHost: undefined, tls: { exact: new Map(), wildcard: new Map() }, routeCount: 0 });

function createEngine(name: EngineName): Engine {
  return name === 'http-proxy' ? new HttpProxyEngine() : new UndiciEngine();
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => { server.off('error', reject); resolve((server.address() as AddressInfo).port); });
  });
}

function clientErrorHandler(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) { socket.destroy(); return; }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
}

/** A bug in the request path: answer 500 (or cut a response already under way) and log it. */
function requestFailed(log: Logger, res: ServerResponse, e: unknown): void {
  log.error('proxy request failed', { error: (e as Error).message });
  if (!res.headersSent) { res.statusCode = 500; res.end(); } else res.destroy();
}

export async function startProxy(o: ProxyOptions): Promise<IngressProxy> {
  let current = o.initialTable ?? EMPTY_TABLE;
  const table = (): RouteTable => current;
  const upstreams = new Upstreams(o.clock, o.health);
  const balancer = new Balancer(upstreams);
  const engine = createEngine(o.engine ?? 'undici');
  const rand = o.rand ?? Math.random;
  const open = new Set<Duplex>();
  let httpsPort = 0;
  const deps: HandlerDeps = {
    table, engine, balancer, upstreams, rand, limiter: new RateLimiter(o.clock),
    httpsPort: () => o.publicHttpsPort ?? httpsPort, metrics: o.metrics,
    accessLog: o.accessLog === true ? o.log.child({ component: 'access' }) : undefined,
  };
  const headersTimeout = o.headersTimeoutMs ?? 10_000;
  const serverOpts = {
    maxHeaderSize: o.maxHeaderSize ?? 16 * 1024, insecureHTTPParser: false,
    headersTimeout, requestTimeout: o.requestTimeoutMs ?? 60_000, keepAliveTimeout: 65_000,
    // Node checks the two timeouts only this often (default 30 s).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 2))),
  };
  const onRequest = (tls: boolean) => (req: IncomingMessage, res: ServerResponse): void => {
    const port = req.socket.localPort ?? 0;
    try {
      handleRequest(deps, req, res, { tls, port })?.catch((e: unknown) => requestFailed(o.log, res, e));
    } catch (e) {
      requestFailed(o.log, res, e);
    }
  };
  const address = o.address ?? '127.0.0.1';
  const servers: Server[] = [];
  const http = createHttpServer(serverOpts, onRequest(false));
  servers.push(http);
  const sni = new SniContexts(table);
  const https = o.httpsPort === null ? undefined : createHttpsServer({ ...serverOpts, SNICallback: sni.callback }, onRequest(true));
  if (https !== undefined) servers.push(https);
  for (const s of servers) {
    clientErrorHandler(s);
    const tls = s === https;
    // https.Server parses HTTP on 'secureConnection' (its 'connection' is the TCP socket before TLS).
    const reinject = (socket: Duplex): void => { s.emit(tls ? 'secureConnection' : 'connection', socket); };
    s.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      handleUpgrade({ table, balancer, rand, open, reinject }, req, socket, head, { tls, port: req.socket.localPort ?? 0 }));
  }
  const httpPort = await listen(http, o.httpPort ?? 8080, address);
  if (https !== undefined) httpsPort = await listen(https, o.httpsPort ?? 8443, address);
  return {
    httpPort,
    httpsPort,
    table,
    setTable(t, live) {
      current = t;
      if (live !== undefined) for (const gone of upstreams.retain(live)) engine.forget(gone);
    },
    async close() {
      for (const s of open) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); })));
      await engine.close();
    },
  };
}
