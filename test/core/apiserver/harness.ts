/** Test harness: an in-process API server over HTTPS (generated CA) on an ephemeral port, and a request helper. */
import { request } from 'node:https';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KindRegistry, registerBuiltins } from '../../../core/api/index.js';
import { createApiServer, ensurePki } from '../../../core/apiserver/index.js';
import type { ApiServer, ApiServerOptions, Pki } from '../../../core/apiserver/index.js';
import { openStore } from '../../../core/store/index.js';
import type { ObjectStore } from '../../../core/store/index.js';
import { systemClock } from '../../../core/util/index.js';

export const token = 'test-token-0123456789';

export interface Harness {
  port: number;
  pki: Pki;
  dir: string;
  store: ObjectStore;
  registry: KindRegistry;
  server: ApiServer;
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  /** Opens a streaming GET; returns parsed lines as they arrive. */
  stream(path: string, headers?: Record<string, string>): Promise<Stream>;
  close(): Promise<void>;
}

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON shapes
  body: any;
}

export interface Stream {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- watch events of any kind
  events: any[];
  /** Resolves when at least `n` events have arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

let pkiCache: { dir: string; pki: Pki } | undefined;

async function sharedPki(): Promise<{ dir: string; pki: Pki }> {
  if (!pkiCache) {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-apiserver-pki-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    pkiCache = { dir, pki: await ensurePki(dir) };
  }
  return pkiCache;
}

export async function startServer(extra: Partial<ApiServerOptions> = {}, storeOpts: { historySize?: number } = {}): Promise<Harness> {
  const { pki } = await sharedPki();
  const dir = await mkdtemp(join(tmpdir(), 'skiff-apiserver-'));
  const { store } = openStore('memory', undefined, { ...storeOpts, ...(extra.clock ? { clock: extra.clock } : {}) });
  const registry = new KindRegistry();
  registerBuiltins(registry);
  const server = createApiServer({ store, registry, token, tls: { cert: pki.cert, key: pki.key }, clock: systemClock, ...extra });
  const port = await server.listen(0);
  const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : typeof body === 'string' ? body : JSON.stringify(body);
      const r = request({
        host: '127.0.0.1', port, method, path, ca: pki.caCert,
        headers: {
          Authorization: `Bearer ${token}`, 'Content-Type': 'application/json',
          ...(data === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(data)) }), ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try { parsed = JSON.parse(text); } catch { parsed = undefined; }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
        res.on('error', reject);
      });
      r.on('error', reject);
      if (data !== undefined) r.write(data);
      r.end();
    });
  const stream = (path: string, headers: Record<string, string> = {}): Promise<Stream> =>
    new Promise((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port, method: 'GET', path, ca: pki.caCert, headers: { Authorization: `Bearer ${token}`, ...headers } }, (res) => {
        const events: unknown[] = [];
        let buf = '';
        const waiters: (() => void)[] = [];
        let endResolve: () => void = () => undefined;
        const ended = new Promise<void>((r2) => (endResolve = r2));
        res.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim()) events.push(JSON.parse(line));
          }
          for (const w of waiters.splice(0)) w();
        });
        res.on('end', () => { endResolve(); for (const w of waiters.splice(0)) w(); });
        res.on('error', () => endResolve());
        res.on('close', () => endResolve());
        resolve({
          status: res.statusCode ?? 0,
          events,
          ended,
          close: () => r.destroy(),
          waitFor: (n, ms = 5000) => new Promise<void>((ok, fail) => {
            const deadline = setTimeout(() => fail(new Error(`timed out waiting for ${n} events, have ${events.length}: ${JSON.stringify(events)}`)), ms);
            const check = (): void => {
              if (events.length >= n) { clearTimeout(deadline); ok(); } else waiters.push(check);
            };
            check();
          }),
        } as Stream);
      });
      r.on('error', reject);
      r.end();
    });
  return {
    port, pki, dir, store, registry, server, req, stream,
    close: async () => {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A valid Deployment, with overrides merged at the top level of spec. */
export function makeDeployment(name: string, opts: { replicas?: number; ns?: string; image?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: opts.ns ?? 'default', labels: { app: name } },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: opts.image ?? 'nginx:1.27' }] } },
    },
  };
}

export async function createNamespace(h: Harness, name: string): Promise<void> {
  const r = await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (r.status !== 201) throw new Error(`namespace create failed: ${r.text}`);
}
