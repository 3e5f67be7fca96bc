/**
 * `Upgrade` requests (WebSocket, h2c, …). Node hands the client connection over raw; the proxy routes the
 * request like any other, forwards it with its `Upgrade`, and only when the backend answers `101 Switching
 * Protocols` for a protocol the client offered does the connection become a byte pipe to that backend (as
 * nginx's proxy module sets `u->upgrade` only on a 101). Any other answer is relayed as an ordinary response and
 * the connection goes back to the proxy's HTTP server, so the next request on it is routed and rewritten like
 * any request. Requests the proxy would not forward (no route, no endpoint, HTTPS redirect, a request body) go
 * back to the HTTP server without their `Upgrade` (RFC 9110 §7.8 lets a server ignore it) and are answered there.
 * Table swaps never touch an open pipe: it lives until either side closes.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { chooseBackend, needsHttpsRedirect, normalizePath, rewritePath, type RouteTable } from '../routes.js';
import type { Balancer } from './balancer.js';
import { clientAddress, downstreamResponseHeaderList, parseCookies, upstreamRequestHeaderList } from './headers.js';
import { hostWithoutPort, STATUS_TEXT } from './respond.js';
import type { Upstream } from './upstreams.js';
import {
  bodiless, ChunkedEncoder, clientKeepsAlive, requestHead, responseHead, switchAllowed, withoutUpgrade,
} from './upgrade-wire.js';

export interface UpgradeDeps {
  readonly table: () => RouteTable;
  readonly balancer: Balancer;
  readonly rand: () => number;
  /** Client connections held here (waiting or piped), so `close()` can end them. */
  readonly open: Set<Duplex>;
  /** Gives a client connection (with any unread bytes put back) to the HTTP server the request came from. */
  readonly reinject: (socket: Duplex) => void;
}

export interface UpgradeConn {
  readonly tls: boolean;
  readonly port: number;
}

/** How long a closing connection's input is drained before it is cut (nginx's lingering_timeout is 5 s). */
const LINGER_MS = 5000;

function onSocketError(this: Duplex): void { this.destroy(); }

/** Returns the connection to the HTTP server with `pending` bytes to be parsed first. */
function handBack(d: UpgradeDeps, socket: Duplex, pending: Buffer | string): void {
  d.open.delete(socket);
  socket.off('error', onSocketError);
  if (socket.destroyed) return;
  if (pending.length > 0) socket.unshift(typeof pending === 'string' ? Buffer.from(pending, 'latin1') : pending);
  d.reinject(socket);
}

/**
 * Ends a connection the client asked to close: Node's HTTP server no longer watches it, so input is drained
 * until the client's FIN (closing with unread input would reset the connection under the response).
 */
function closeAfterAnswer(d: UpgradeDeps, socket: Duplex): void {
  d.open.add(socket);
  socket.once('close', () => d.open.delete(socket));
  socket.end();
  socket.resume();
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** The same request without its upgrade, answered by the ordinary request path. */
function asPlainRequest(d: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const line = requestHead(req.method ?? 'GET', req.url ?? '/', req.httpVersion, withoutUpgrade(req.rawHeaders));
  handBack(d, socket, Buffer.concat([Buffer.from(line, 'latin1'), head]));
}

/** An answer of the proxy's own; the connection stays open when the client keeps it alive. */
function answerRaw(d: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, status: number): void {
  const keep = clientKeepsAlive(req.httpVersion, req.headers.connection);
  const body = `${status} ${STATUS_TEXT[status] ?? ''}\n`;
  const headers = ['content-type', 'text/plain; charset=utf-8', 'content-length', String(Buffer.byteLength(body))];
  if (!keep) headers.push('connection', 'close');
  socket.write(responseHead(status, STATUS_TEXT[status] ?? '', headers) + body);
  if (keep) handBack(d, socket, head); else closeAfterAnswer(d, socket);
}

export function handleUpgrade(d: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, conn: UpgradeConn): void {
  socket.on('error', onSocketError);
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  const n = normalizePath(req.url ?? '');
  const table = d.table();
  const match = n.ok && !hasBody ? table.lookup(req.headers.host, n.path) : undefined;
  if (!n.ok || match === undefined || needsHttpsRedirect(match, table.hasTls(hostWithoutPort(req.headers.host)), conn.tls)) {
    asPlainRequest(d, req, socket, head);
    return;
  }
  const { backend } = chooseBackend(match, { headers: req.headers, cookies: parseCookies(req.headers.cookie) }, d.rand);
  const up = d.balancer.pick(backend, { policy: match.annotations.loadBalance });
  if (up === undefined) { asPlainRequest(d, req, socket, head); return; }
  const headers = upstreamRequestHeaderList(req.rawHeaders, {
    clientIp: clientAddress(req.socket.remoteAddress), proto: conn.tls ? 'https' : 'http', port: conn.port,
    host: req.headers.host ?? '', upgrade: true,
  });
  const path = `${rewritePath(match, n.path)}${n.query === '' ? '' : `?${n.query}`}`;
  d.open.add(socket);
  forward(d, req, socket, head, up, { path, headers, connectMs: match.annotations.proxyConnectTimeoutSeconds * 1000, readMs: match.annotations.proxyReadTimeoutSeconds * 1000 });
}

interface Outbound { path: string; headers: string[]; connectMs: number; readMs: number }

/** Sends the upgrade request to `up` and acts on the answer: a tunnel on an agreed 101, else an ordinary response. */
function forward(d: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, up: Upstream, o: Outbound): void {
  const method = req.method ?? 'GET';
  const preq = httpRequest({ host: up.host, port: up.port, method, path: o.path, headers: o.headers, setHost: false, agent: false });
  let settled = false;
  const fail = (status: number): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    preq.destroy();
    if (!socket.destroyed) answerRaw(d, req, socket, head, status);
  };
  let timer = setTimeout(() => fail(504), o.connectMs);
  preq.once('socket', (s: Socket) => s.once('connect', () => { clearTimeout(timer); timer = setTimeout(() => fail(504), o.readMs); }));
  preq.on('error', () => fail(502));
  const clientClosed = (): void => { settled = true; clearTimeout(timer); preq.destroy(); d.open.delete(socket); };
  socket.once('close', clientClosed);
  preq.on('upgrade', (res: IncomingMessage, upstream: Socket, upstreamHead: Buffer) => {
    if (settled) { upstream.destroy(); return; }
    if (!switchAllowed(req.headers.upgrade, res.headers.upgrade)) { upstream.destroy(); fail(502); return; }
    settled = true;
    clearTimeout(timer);
    socket.off('close', clientClosed);
    tunnel(d, socket, head, res, upstream, upstreamHead);
  });
  preq.on('response', (res: IncomingMessage) => {
    if (settled) { res.destroy(); return; }
    // A 101 without the Upgrade/Connection pair Node needs to call it a switch: not a switch the client agreed to.
    if ((res.statusCode ?? 0) < 200) { res.destroy(); fail(502); return; }
    settled = true;
    clearTimeout(timer);
    socket.off('close', clientClosed);
    relay(d, req, socket, head, res);
  });
  preq.end();
}

/** The agreed switch: the 101 goes to the client, then bytes flow both ways until either side closes. */
function tunnel(d: UpgradeDeps, socket: Duplex, head: Buffer, res: IncomingMessage, upstream: Socket, upstreamHead: Buffer): void {
  const headers = downstreamResponseHeaderList(res.rawHeaders);
  headers.push('connection', 'upgrade', 'upgrade', res.headers.upgrade ?? '');
  upstream.setNoDelay(true);
  socket.write(responseHead(101, 'Switching Protocols', headers));
  if (upstreamHead.length > 0) socket.write(upstreamHead);
  if (head.length > 0) upstream.write(head);
  upstream.pipe(socket);
  socket.pipe(upstream);
  upstream.on('error', () => socket.destroy());
  upstream.on('close', () => { d.open.delete(socket); socket.destroy(); });
  socket.on('close', () => { d.open.delete(socket); upstream.destroy(); });
  if (socket.destroyed) upstream.destroy();
}

/** A non-101 answer: relayed as an ordinary response; then the connection goes back to the HTTP server. */
function relay(d: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, res: IncomingMessage): void {
  const status = res.statusCode ?? 502;
  const keep = clientKeepsAlive(req.httpVersion, req.headers.connection);
  const headers = downstreamResponseHeaderList(res.rawHeaders);
  const noBody = bodiless(req.method ?? 'GET', status);
  const sized = res.headers['content-length'] !== undefined && res.headers['transfer-encoding'] === undefined;
  const chunked = !noBody && !sized && keep;
  if (chunked) headers.push('transfer-encoding', 'chunked');
  if (!keep) headers.push('connection', 'close');
  socket.write(responseHead(status, res.statusMessage ?? STATUS_TEXT[status] ?? '', headers));
  const clientGone = (): void => { res.destroy(); };
  const done = (): void => {
    socket.off('close', clientGone);
    res.socket?.destroy();
    if (keep) handBack(d, socket, head); else closeAfterAnswer(d, socket);
  };
  // An upstream that closes before the end of its body: the client cannot tell a cut body from a whole one.
  res.on('error', () => undefined);
  res.once('close', () => { if (!res.complete) { socket.off('close', clientGone); d.open.delete(socket); socket.destroy(); } });
  socket.once('close', clientGone);
  if (noBody) { res.resume(); res.once('end', done); return; }
  const body = chunked ? res.pipe(new ChunkedEncoder()) : res;
  body.pipe(socket, { end: false });
  body.once('end', done);
}
