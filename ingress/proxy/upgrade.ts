/**
 * WebSocket (and other `Upgrade`) requests: routed like any request, then a raw byte pipe to one endpoint.
 * Table swaps never touch an open pipe: it lives until either side closes.
 */
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { chooseBackend, normalizePath, rewritePath, type RouteTable } from '../routes.js';
import type { Balancer } from './balancer.js';
import { clientAddress, parseCookies, upstreamRequestHeaderList } from './headers.js';
import { hostWithoutPort, STATUS_TEXT } from './respond.js';

export interface UpgradeDeps {
  readonly table: () => RouteTable;
  readonly balancer: Balancer;
  readonly rand: () => number;
  /** Open pipes, so `close()` can end them. */
  readonly open: Set<Duplex>;
}

function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function handleUpgrade(d: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, conn: { tls: boolean; port: number }): void {
  socket.on('error', () => socket.destroy());
  const n = normalizePath(req.url ?? '');
  if (!n.ok) { refuse(socket, 400); return; }
  const table = d.table();
  const match = table.lookup(req.headers.host, n.path);
  if (match === undefined) { refuse(socket, 404); return; }
  const { backend } = chooseBackend(match, { headers: req.headers, cookies: parseCookies(req.headers.cookie) }, d.rand);
  const up = d.balancer.pick(backend, { policy: match.annotations.loadBalance });
  if (up === undefined) { refuse(socket, 503); return; }
  const client = clientAddress(req.socket.remoteAddress);
  const headers = upstreamRequestHeaderList(req.rawHeaders, {
    clientIp: client, proto: conn.tls ? 'https' : 'http', port: conn.port, host: req.headers.host ?? hostWithoutPort(undefined), upgrade: true,
  });
  const path = `${rewritePath(match, n.path)}${n.query === '' ? '' : `?${n.query}`}`;
  let lines = `${req.method ?? 'GET'} ${path} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) lines += `${headers[i] ?? ''}: ${headers[i + 1] ?? ''}\r\n`;
  const upstream: Socket = connect({ host: up.host, port: up.port });
  let connected = false;
  const timer = setTimeout(() => { if (!connected) { upstream.destroy(); refuse(socket, 504); } }, match.annotations.proxyConnectTimeoutSeconds * 1000);
  upstream.once('connect', () => {
    connected = true;
    clearTimeout(timer);
    upstream.setNoDelay(true);
    upstream.write(`${lines}\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  d.open.add(socket);
  upstream.on('error', () => { if (!connected) { clearTimeout(timer); refuse(socket, 502); } else socket.destroy(); });
  upstream.on('close', () => { d.open.delete(socket); socket.destroy(); });
  socket.on('close', () => { d.open.delete(socket); upstream.destroy(); });
}
