/** `createApiServer`: authentication, routing, error handling and the HTTPS listener. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { ApiError } from '../api/index.js';
import { silentLogger, systemClock } from '../util/index.js';
import type { Ctx, ServerDeps } from './context.js';
import { findKind, refOf } from './context.js';
import { loadCrds } from './crd.js';
import { hpaV1View, servedKinds } from './hpa-v1.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, serverVersion } from './discovery.js';
import { openApiDoc, openApiIndex, openApiV2 } from './openapi.js';
import { noRoute, serveResource } from './resource.js';
import { sendJson, sendStatus } from './respond.js';
import { route } from './router.js';
import type { ResourcePath } from './router.js';
import type { ApiRegistry, ApiServerOptions } from './types.js';
import { WatchMetrics } from './watch-metrics.js';

export interface ApiServer {
  /** Registers CRDs already in the store, then listens; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops listening and ends open watches and connections. */
  close(): Promise<void>;
  /** The request handler, for mounting elsewhere or testing without a socket. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const healthPaths = new Set(['/healthz', '/livez', '/readyz']);

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time bearer token check. */
function authorized(req: IncomingMessage, tokenDigest: Buffer): boolean {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m !== null && timingSafeEqual(digest(m[1] ?? ''), tokenDigest);
}

/**
 * Makes Node's HTTP server feed this TLS socket's bytes to its parser through JavaScript 'data'
 * events instead of reading the TLS stream natively (Node leaves that fast path as soon as the
 * socket has a 'data' listener). In the native path, when a kept-alive client sends its next request
 * while the previous response is still draining, Node pauses the socket and the parser — but a TLS
 * stream goes on delivering the records it already decrypted, the paused parser answers
 * `HPE_PAUSED`, and Node drops the connection unanswered (kubectl: "Unable to connect to the
 * server: EOF" on back-to-back 20 KB writes). The JavaScript path honours the pause.
 */
function parseInJs(sock: Socket): void {
  sock.on('data', () => undefined);
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const closing = new AbortController();
  // Every open request (watches included) listens for server shutdown.
  setMaxListeners(0, closing.signal);
  const deps: ServerDeps = {
    store: opts.store, registry: opts.registry, clock: opts.clock ?? systemClock, log: opts.log ?? silentLogger,
    maxBodyBytes: opts.maxBodyBytes ?? 3 * 1024 * 1024, admission: opts.admission ?? [], bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5000, closing: closing.signal,
    maxWatchBufferBytes: opts.maxWatchBufferBytes ?? 16 * 1024 * 1024, watchMetrics: new WatchMetrics(opts.metrics),
    ...(opts.logs ? { logs: opts.logs } : {}),
  };
  // What discovery and OpenAPI list: the registered kinds and the version views served beside them.
  const served: ApiRegistry = { all: () => servedKinds(deps.registry.all()), register: (i) => deps.registry.register(i), unregister: (g, k, v) => deps.registry.unregister(g, k, v) };
  const tokenDigest = digest(opts.token);
  const publicPaths = new Set(opts.publicPaths ?? []);

  async function dispatch(req: IncomingMessage, res: ServerResponse, url: URL, signal: AbortSignal): Promise<void> {
    // The URL parser resolves dot segments, turns backslashes into slashes and reads `//x` as a
    // host; Kubernetes never normalises an API path, so a path the parser changed addresses nothing.
    const exact = url.pathname === (req.url ?? '/').split('?')[0];
    const pathname = url.pathname;
    if (exact && (healthPaths.has(pathname) || /^\/(healthz|livez|readyz)\//.test(pathname))) {
      // Like kube-apiserver's etcd readiness check: not ready while the store refuses writes.
      const failure = pathname.startsWith('/readyz') ? opts.storeWriteFailure?.() : undefined;
      if (failure !== undefined) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end(`[-]store failed: ${failure}\nreadyz check failed\n`);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (!(exact && publicPaths.has(pathname)) && !authorized(req, tokenDigest)) throw new ApiError('Unauthorized', 'Unauthorized');
    if (!exact) throw noRoute();
    for (const h of opts.extraHandlers ?? []) if (await h(req, res, url)) return;
    const r = route(pathname);
    const pretty = url.searchParams.get('pretty') === 'true';
    const found = (doc: Record<string, unknown> | undefined): void => {
      if (!doc) throw noRoute();
      sendJson(res, 200, doc, pretty);
    };
    switch (r.type) {
      case 'version': return found(serverVersion);
      case 'api': return found(apiVersions());
      case 'apis': return found(apiGroupList(served));
      case 'group': return found(apiGroup(served, r.group));
      case 'groupVersion': return found(apiResourceList(served, r.group, r.version));
      case 'openapiV3': return found(r.path === undefined ? openApiIndex(served) : openApiDoc(served, r.path));
      case 'openapiV2': {
        const v2 = openApiV2(req.headers.accept);
        res.writeHead(200, { 'Content-Type': v2.contentType, 'Content-Length': v2.body.length });
        res.end(v2.body);
        return;
      }
      case 'resource': return serveResource(contextFor(req, res, url, r.path, signal));
      default: throw noRoute();
    }
  }

  function contextFor(req: IncomingMessage, res: ServerResponse, url: URL, path: ResourcePath, signal: AbortSignal): Ctx {
    const info = findKind(deps.registry, path.group, path.version, path.plural);
    if (info) return { deps, req, res, url, query: url.searchParams, path, info, ref: refOf(info), signal };
    const v1 = hpaV1View(deps.registry.all(), path.group, path.version, path.plural);
    if (!v1) throw noRoute();
    return { deps, req, res, url, query: url.searchParams, path, info: v1.info, ref: refOf(v1.view.storage), signal, view: v1.view };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ac = new AbortController();
    const abort = (): void => ac.abort();
    res.on('close', abort);
    closing.signal.addEventListener('abort', abort, { once: true });
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      await dispatch(req, res, url, ac.signal);
    } catch (e) {
      if (e instanceof ApiError) {
        sendStatus(res, e);
      } else {
        deps.log.error('request failed', { method: req.method, path: (req.url ?? '').split('?')[0], err: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        sendStatus(res, new ApiError('InternalError', 'an error on the server has prevented the request from succeeding'));
      }
      if (!req.complete) req.resume();
    } finally {
      closing.signal.removeEventListener('abort', abort);
    }
  }

  let server: Server | undefined;
  const sockets = new Set<Socket>();

  return {
    handle,
    async listen(port, host = '127.0.0.1') {
      await loadCrds(deps.store, deps.registry, deps.log);
      const onRequest = (req: IncomingMessage, res: ServerResponse): void => void handle(req, res);
      const s = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : createHttpServer(onRequest);
      server = s;
      s.on('connection', (sock: Socket) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
      });
      s.on('secureConnection', (sock: Socket) => {
        parseInJs(sock);
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => resolve());
      });
      const addr = s.address();
      const bound = typeof addr === 'object' && addr ? addr.port : port;
      deps.log.info('api server listening', { host, port: bound, tls: opts.tls !== undefined });
      return bound;
    },
    async close() {
      closing.abort();
      const s = server;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        for (const sock of sockets) sock.destroy();
      });
    },
  };
}
