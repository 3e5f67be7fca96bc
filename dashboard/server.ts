/**
 * The dashboard's HTTP server: read-only (GET/HEAD only), loopback. `/` and the static files,
 * `/api/snapshot` (one JSON), `/api/events` (Server-Sent Events: the snapshot on connect, then each
 * published change — the hub publishes at most once a second).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { SnapshotHub } from './hub.js';

export interface DashboardServerOptions {
  hub: SnapshotHub;
  /** Folder of the front-end files (flat: index.html, *.js, *.css). */
  staticDir: string;
  /** SSE keep-alive comment period; default 15 s. */
  keepAliveMs?: number;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const securityHeaders = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** Host names a browser on this machine uses; anything else (DNS rebinding) is refused. */
export function allowedHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

function loadStatic(dir: string): Map<string, { type: string; body: Buffer }> {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of readdirSync(dir)) {
    const type = types[extname(name)];
    if (type) files.set(`/${name}`, { type, body: readFileSync(join(dir, name)) });
  }
  return files;
}

export class DashboardServer {
  private readonly server: Server;
  private readonly files: Map<string, { type: string; body: Buffer }>;
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly o: DashboardServerOptions) {
    this.files = loadStatic(o.staticDir);
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Listens on `host:port` (0 = a free port); resolves with the bound port, rejects with the listen error (EADDRINUSE). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Ends the event streams and closes the server. */
  async close(): Promise<void> {
    for (const s of this.streams) s.end();
    this.streams.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (!allowedHost(req.headers.host)) return this.send(res, 403, 'text/plain', 'forbidden host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.send(res, 405, 'text/plain', 'read-only: GET only\n');
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/events') return this.stream(req, res);
    if (path === '/api/snapshot') {
      const snap = this.o.hub.current();
      return snap ? this.send(res, 200, 'application/json', JSON.stringify(snap)) : this.send(res, 503, 'text/plain', 'starting\n');
    }
    const file = this.files.get(path === '/' ? '/index.html' : path);
    if (!file) return this.send(res, 404, 'text/plain', 'not found\n');
    this.send(res, 200, file.type, req.method === 'HEAD' ? '' : file.body);
  }

  private send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
    res.writeHead(status, { ...securityHeaders, 'Content-Type': type });
    res.end(body);
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    const write = (data: unknown): void => void res.write(`event: snapshot\ndata: ${JSON.stringify(data)}\n\n`);
    const first = this.o.hub.current();
    if (first) write(first);
    const unsubscribe = this.o.hub.subscribe(write);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), this.o.keepAliveMs ?? 15_000);
    this.streams.add(res);
    const done = (): void => {
      clearInterval(keepAlive);
      unsubscribe();
      this.streams.delete(res);
    };
    req.once('close', done);
    res.once('close', done);
  }
}
