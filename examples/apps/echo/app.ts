/**
 * The echo app's request handling: JSON echo, Prometheus metrics, health and readiness, and the knobs
 * tests and autoscaling demos use (CPU burn, latency, body size, crash).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface EchoOptions {
  pod: string;
  node?: string;
  /** Called by `/admin/exit` after the answer is sent. */
  exit: (code: number) => void;
}

/** Upper bounds that keep one request from hogging the process forever. */
export const MAX_CPU_MS = 10_000;
export const MAX_SLEEP_MS = 60_000;
export const MAX_SIZE = 10 * 1024 * 1024;

export interface EchoApp {
  handle(req: IncomingMessage, res: ServerResponse): void;
  readonly registry: Registry;
}

function clampInt(v: string | string[] | null | undefined, max: number): number {
  const s = Array.isArray(v) ? v[0] : v;
  const n = s === undefined || s === null ? 0 : Number.parseInt(s, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : 0;
}

/** Busy-loops until the process has used `ms` more CPU time (wall-clock capped at 10× as a safety net). */
export function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  const wallEnd = Date.now() + ms * 10;
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x = (x * 31 + i) % 1_000_003;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms || Date.now() > wallEnd) break;
  }
  if (x < 0) throw new Error('unreachable');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function createEchoApp(opts: EchoOptions): EchoApp {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests served', labelNames: ['method', 'path', 'code'], registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request duration in seconds', labelNames: ['method', 'path', 'code'], registers: [registry],
  });
  let ready = true;

  const send = (res: ServerResponse, code: number, type: string, body: string): void => {
    res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const echo = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const cpuMs = clampInt(url.searchParams.get('cpu_ms') ?? req.headers['x-burn-cpu-ms'], MAX_CPU_MS);
    const sleepMs = clampInt(url.searchParams.get('sleep_ms'), MAX_SLEEP_MS);
    const size = clampInt(url.searchParams.get('size'), MAX_SIZE);
    if (cpuMs > 0) burnCpu(cpuMs);
    if (sleepMs > 0) await sleep(sleepMs);
    const answer: Record<string, unknown> = { pod: opts.pod, host: req.headers.host ?? '', path: url.pathname, method: req.method ?? 'GET', headers: req.headers };
    if (opts.node) answer.node = opts.node;
    let body = JSON.stringify(answer);
    if (size > body.length) {
      const overhead = JSON.stringify({ ...answer, padding: '' }).length;
      body = JSON.stringify({ ...answer, padding: 'x'.repeat(Math.max(0, size - overhead)) });
    }
    send(res, 200, 'application/json', body);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    switch (url.pathname) {
      case '/metrics':
        return send(res, 200, registry.contentType, await registry.metrics());
      case '/healthz':
        return send(res, 200, 'text/plain', 'ok\n');
      case '/readyz':
        return ready ? send(res, 200, 'text/plain', 'ok\n') : send(res, 503, 'text/plain', 'not ready\n');
      case '/admin/ready':
        if (method !== 'POST') return send(res, 405, 'text/plain', 'use POST\n');
        ready = url.searchParams.get('value') !== 'false';
        return send(res, 200, 'application/json', JSON.stringify({ ready }));
      case '/admin/exit': {
        if (method !== 'POST' && method !== 'GET') return send(res, 405, 'text/plain', 'use POST\n');
        const code = Number.parseInt(url.searchParams.get('code') ?? '0', 10) || 0;
        res.on('finish', () => opts.exit(code));
        return send(res, 200, 'application/json', JSON.stringify({ exiting: code }));
      }
      default:
        return echo(req, res, url);
    }
  };

  return {
    registry,
    handle(req, res) {
      const end = duration.startTimer();
      const url = new URL(req.url ?? '/', 'http://echo.invalid');
      res.on('finish', () => {
        const labels = { method: req.method ?? 'GET', path: url.pathname, code: String(res.statusCode) };
        requests.inc(labels);
        end(labels);
      });
      route(req, res, url).catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, 'text/plain', `${e instanceof Error ? e.message : String(e)}\n`);
        else res.destroy();
      });
    },
  };
}
