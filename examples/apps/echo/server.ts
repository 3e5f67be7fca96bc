/**
 * skiff's sample app: `node --import tsx examples/apps/echo/server.ts`.
 * Env: PORT (default 8080, 0 picks a free one), HOST (default 0.0.0.0), POD_NAME (default the hostname),
 * NODE_NAME (optional). Prints one JSON line `{"msg":"listening","address":…,"port":…}` once listening.
 * SIGTERM/SIGINT: stop accepting, finish in-flight requests, exit 0.
 */
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { createEchoApp } from './app.js';

const port = Number.parseInt(process.env.PORT ?? '8080', 10);
const host = process.env.HOST || '0.0.0.0';
const pod = process.env.POD_NAME || hostname();
const GRACE_MS = 25_000;

const log = (msg: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), msg, pod, ...fields }) + '\n');
};

const app = createEchoApp({
  pod,
  node: process.env.NODE_NAME || undefined,
  exit: (code) => {
    log('exiting on request', { code });
    process.exit(code);
  },
});

const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
  if (stopping) res.setHeader('connection', 'close');
  app.handle(req, res);
});
let stopping = false;

function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log('shutting down', { signal });
  server.close(() => {
    log('stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    log('grace period over, exiting');
    process.exit(0);
  }, GRACE_MS).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.listen(port, host, () => {
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  log('listening', { address: host, port: actual });
});
