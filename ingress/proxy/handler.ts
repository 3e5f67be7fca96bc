/** One HTTP request through the proxy: normalise, route, apply annotations, balance, forward with one retry. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/util/index.js';
import { chooseBackend, DEFAULT_NOT_FOUND, needsHttpsRedirect, normalizePath, rewritePath } from '../routes.js';
import type { RouteTable } from '../routes.js';
import type { RouteMatch } from '../routes/types.js';
import { affinityValue, type Balancer } from './balancer.js';
import { BodyLimit } from './body.js';
import { corsHeaders, isPreflight } from './cors.js';
import type { Engine, ForwardOutcome } from './engine.js';
import { appendHeader, clientAddress, parseCookies, setHeader, upstreamRequestHeaderList, type HeaderList } from './headers.js';
import type { ProxyMetrics, RequestLabels } from './metrics.js';
import type { RateLimiter } from './ratelimit.js';
import { answer, hostWithoutPort } from './respond.js';
import type { Upstream, Upstreams } from './upstreams.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface HandlerDeps {
  /** The table to use; read once per request, so a swap never changes a request's table halfway. */
  readonly table: () => RouteTable;
  readonly engine: Engine;
  readonly balancer: Balancer;
  readonly upstreams: Upstreams;
  readonly limiter: RateLimiter;
  readonly rand: () => number;
  /** Port put into redirects to HTTPS (omitted when 443). */
  readonly httpsPort: () => number;
  readonly metrics: ProxyMetrics | undefined;
  readonly accessLog: Logger | undefined;
}

export interface Conn {
  readonly tls: boolean;
  readonly port: number;
}

/** Paths normalizePath returns unchanged: non-empty segments of characters it keeps as they are, none starting with a dot. */
const CLEAN_PATH = /^(?=\/)(?:\/(?!\.)[A-Za-z0-9\-_~!$&'()*+,;=:@.]+)*\/?$/;

/** normalizePath, skipping its work for paths it would return unchanged (most requests). */
function normalize(url: string): ReturnType<typeof normalizePath> {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (CLEAN_PATH.test(path)) return { ok: true, path, query: q < 0 ? '' : url.slice(q + 1) };
  return normalizePath(url);
}

/** Serves one request; the promise (undefined when answered at once) settles when the response is done. */
export function handleRequest(d: HandlerDeps, req: IncomingMessage, res: ServerResponse, conn: Conn): Promise<void> | undefined {
  const table = d.table();
  const started = performance.now();
  const n = normalize(req.url ?? '');
  if (!n.ok) { answer(res, 400); return; }
  const match = table.lookup(req.headers.host, n.path);
  if (match === undefined) { answer(res, DEFAULT_NOT_FOUND.status, DEFAULT_NOT_FOUND.body); return; }
  const host = hostWithoutPort(req.headers.host);
  if (needsHttpsRedirect(match, table.hasTls(host), conn.tls)) {
    const port = d.httpsPort();
    const location = `https://${host}${port === 443 ? '' : `:${port}`}${n.path}${n.query === '' ? '' : `?${n.query}`}`;
    answer(res, 308, '', { location });
    return;
  }
  return route(d, req, res, conn, match, `${rewritePath(match, n.path)}${n.query === '' ? '' : `?${n.query}`}`, host)
    .then((outcome) => observe(d, req, match, outcome, started));
}

interface Served { status: number; bytes: number; service: string; upstreamMs: number | undefined }

async function route(d: HandlerDeps, req: IncomingMessage, res: ServerResponse, conn: Conn, match: RouteMatch, path: string, host: string): Promise<Served> {
  const ann = match.annotations;
  const client = clientAddress(req.socket.remoteAddress);
  if (ann.limitRps !== undefined && !d.limiter.allow(`${match.ingress.namespace}/${match.ingress.name}\0${client}`, ann.limitRps, ann.limitBurstMultiplier)) return refused(res, 503, match.backend);
  const cors = ann.cors;
  if (cors !== undefined && isPreflight(req.method, req.headers)) {
    answer(res, 204, '', corsHeaders(cors, req.headers.origin, true));
    return { status: 204, bytes: 0, service: match.backend.serviceName, upstreamMs: undefined };
  }
  const limit = ann.proxyBodySizeBytes;
  const cl = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (limit !== null && cl !== undefined && cl > limit) return refused(res, 413, match.backend, true);
  const affinity = ann.affinity;
  // Cookies and the canary choice only for the routes that use them (most use neither).
  const cookies = affinity === undefined && match.canary === undefined ? undefined : parseCookies(req.headers.cookie);
  const backend = match.canary === undefined ? match.backend : chooseBackend(match, { headers: req.headers, cookies: cookies ?? {} }, d.rand).backend;
  if (backend.endpoints.length === 0) return refused(res, 503, match.backend);
  const hasBody = req.headers['transfer-encoding'] !== undefined || (cl !== undefined && cl > 0);
  const counter = hasBody && limit !== null && cl === undefined ? new BodyLimit(limit) : undefined;
  const body = !hasBody ? null : counter === undefined ? req : req.pipe(counter);
  const headers = upstreamRequestHeaderList(req.rawHeaders, { clientIp: client, proto: conn.tls ? 'https' : 'http', port: conn.port, host: req.headers.host ?? host });
  const sticky = affinity === undefined ? undefined : cookies?.[affinity.cookieName];
  const method = req.method ?? 'GET';
  let tried: Set<string> | undefined;
  let last: ForwardOutcome | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    // A retry goes to another endpoint; after a reset (a kept-alive socket the server closed) with no other
    // endpoint left, the same endpoint gets one fresh connection.
    const up = d.balancer.pick(backend, { policy: ann.loadBalance, ...(tried === undefined ? {} : { exclude: tried }), ...(sticky === undefined ? {} : { sticky }) })
      ?? (last !== undefined && !last.ok && last.kind === 'reset' ? d.balancer.pick(backend, { policy: ann.loadBalance }) : undefined);
    if (up === undefined) break;
    (tried ??= new Set()).add(up.address);
    const t0 = performance.now();
    // Only routes with CORS or affinity change the response headers (no closure per request otherwise).
    const onHeaders = cors === undefined && affinity === undefined ? undefined : (_s: number, h: HeaderList): HeaderList => {
      if (cors !== undefined) for (const [k, v] of Object.entries(corsHeaders(cors, req.headers.origin, false))) setHeader(h, k, String(v));
      if (affinity !== undefined) addAffinityCookie(h, affinity, match, up, sticky);
      return h;
    };
    up.inflight++;
    last = await d.engine.forward(up, {
      method, path, headers, body, incoming: req,
      connectTimeoutMs: ann.proxyConnectTimeoutSeconds * 1000, readTimeoutMs: ann.proxyReadTimeoutSeconds * 1000, onHeaders,
    }, res);
    up.inflight--;
    if (last.ok) {
      d.upstreams.succeeded(up, last.headersAt - t0);
      return { status: last.status, bytes: last.bytes, service: backend.serviceName, upstreamMs: last.headersAt - t0 };
    }
    if (counter?.exceeded === true) return refused(res, 413, backend, true);
    if (last.kind !== 'other') d.upstreams.failed(up);
    if (last.responded) { res.destroy(); return { status: res.statusCode, bytes: 0, service: backend.serviceName, upstreamMs: last.headersAt - t0 }; }
    if (last.kind === 'timeout') return refused(res, 504, backend);
    const retryable = !hasBody && IDEMPOTENT.has(method) && (last.kind === 'connect' || last.kind === 'reset');
    if (!retryable || res.destroyed) break;
  }
  // nginx answers 504 when the last upstream try timed out connecting, 502 for other failures.
  const code = last === undefined || last.ok ? '' : (last.error as { code?: string }).code;
  return refused(res, code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ECONNECTTIMEOUT' ? 504 : 502, backend);
}

/** An answer of the proxy's own instead of the upstream's. */
function refused(res: ServerResponse, status: number, backend: { readonly serviceName: string }, close = false): Served {
  answer(res, status, undefined, {}, close);
  return { status, bytes: 0, service: backend.serviceName, upstreamMs: undefined };
}

function addAffinityCookie(h: HeaderList, a: NonNullable<RouteMatch['annotations']['affinity']>, match: RouteMatch, up: Upstream, sticky: string | undefined): void {
  const value = affinityValue(up.address);
  if (sticky === value) return;
  const path = a.path ?? (match.path === '' || match.matchKind === 'Regex' ? '/' : match.path);
  appendHeader(h, 'set-cookie', `${a.cookieName}=${value}; Path=${path}; HttpOnly${a.maxAgeSeconds === undefined ? '' : `; Max-Age=${a.maxAgeSeconds}`}`);
}

function observe(d: HandlerDeps, req: IncomingMessage, match: RouteMatch, s: Served, started: number): void {
  if (d.metrics === undefined && d.accessLog === undefined) return;
  const seconds = (performance.now() - started) / 1000;
  d.metrics?.record(match, s.status, req.method ?? '', s.service, seconds, s.bytes, s.upstreamMs === undefined ? undefined : s.upstreamMs / 1000);
  if (d.accessLog === undefined) return;
  const labels: RequestLabels = {
    status: String(s.status), method: req.method ?? '', host: match.host, path: match.path,
    namespace: match.ingress.namespace, ingress: match.ingress.name, service: s.service,
  };
  d.accessLog.info('request', { ...labels, uri: req.url, remote: clientAddress(req.socket.remoteAddress), seconds, bytes: s.bytes });
}
