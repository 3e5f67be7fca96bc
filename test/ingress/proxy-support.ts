/** Helpers for proxy tests: echo backends on distinct loopback addresses, a proxy over a built table, requests. */
import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { silentLogger, systemClock } from '../../core/util/index.js';
import type { Endpoints, Ingress, IngressClass, Secret, Service } from '../../core/api/index.js';
import { buildRouteTable, startProxy, type IngressProxy, type ProxyOptions } from '../../ingress/index.js';
import { makeClass } from './fixtures.js';

export interface EchoSeen { name: string; method: string; url: string; headers: IncomingHttpHeaders; body: string }
export interface Echo { name: string; ip: string; port: number; server: Server; seen: EchoSeen[]; close(): Promise<void> }

let nextIp = 10 + Math.floor(Math.random() * 200);

/** A fresh loopback address (127.0.x.y) so backends of parallel suites never collide. */
export function loopback(): string {
  const n = nextIp++;
  return `127.${(process.pid % 200) + 10}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

/** An HTTP server answering `name` plus what it saw, as JSON. */
export async function startEcho(name: string, ip = loopback(), port = 0): Promise<Echo> {
  const seen: EchoSeen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: EchoSeen = { name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      if (seen.length > 5000) seen.splice(0, 1000);
      const body = JSON.stringify(s);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(port, ip, () => r()));
  const p = (server.address() as AddressInfo).port;
  return {
    name, ip, port: p, server, seen,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** Echo backends sharing one port number on distinct addresses, as the pods of one Service do. */
export async function startEchoes(...names: string[]): Promise<Echo[]> {
  const out: Echo[] = [];
  for (const n of names) out.push(await startEcho(n, loopback(), out[0]?.port ?? 0));
  return out;
}

/** Services + Endpoints for echo backends: each Service `name` targets its echoes' port (all share one port). */
export function serviceFor(name: string, echoes: readonly Echo[], namespace = 'default'): { svc: Service; eps: Endpoints } {
  const port = echoes[0]?.port ?? 1;
  return {
    svc: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'http', port: 80, targetPort: port }] } },
    eps: {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace },
      subsets: echoes.length === 0 ? [] : [{ addresses: echoes.map((e) => ({ ip: e.ip })), ports: [{ name: 'http', port }] }],
    },
  };
}

export interface World { ingresses: Ingress[]; services: Service[]; endpoints: Endpoints[]; secrets?: Secret[]; classes?: IngressClass[] }

export function tableOf(w: World): ReturnType<typeof buildRouteTable> {
  return buildRouteTable({
    ingresses: w.ingresses, services: w.services, endpoints: w.endpoints, secrets: w.secrets ?? [], ingressClasses: w.classes ?? [makeClass('skiff')],
  });
}

export async function proxyFor(w: World, extra: Partial<ProxyOptions> = {}): Promise<IngressProxy> {
  const p = await startProxy({ clock: systemClock, log: silentLogger, httpPort: 0, httpsPort: 0, ...extra });
  p.setTable(tableOf(w).table);
  return p;
}

export interface Res { status: number; headers: IncomingHttpHeaders; text: string; json: EchoSeen | undefined }

export const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

export function get(port: number, path: string, o: { host?: string; headers?: Record<string, string>; method?: string; body?: string | Buffer; agent?: Agent } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const r = request({
      host: '127.0.0.1', port, path, method: o.method ?? 'GET', agent: o.agent ?? keepAlive,
      headers: { host: o.host ?? 'example.com', ...o.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json: EchoSeen | undefined;
        try { json = JSON.parse(text) as EchoSeen; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    if (o.body !== undefined) r.write(o.body);
    r.end();
  });
}

/** Sends raw bytes and returns what came back until the server closed (or 2 s passed). */
export function rawRequest(port: number, data: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = netConnect(port, '127.0.0.1');
    let out = '';
    const done = (): void => { clearTimeout(t); s.destroy(); resolve(out); };
    const t = setTimeout(done, 2000);
    s.on('data', (c: Buffer) => { out += c.toString('latin1'); });
    s.on('error', done);
    s.on('close', done);
    s.write(data);
  });
}
