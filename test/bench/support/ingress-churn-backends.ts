/**
 * Benchmark child for bench:ingress-churn: echo "pods" on distinct loopback addresses sharing one port, as the
 * endpoints of one Service. Driven by lines on stdin, each answered by one JSON line on stdout:
 *   spawn N      → {"ips":["127.a.b.c",…],"port":P}   (N new backends)
 *   drain IP,IP  → {"drained":K}                      (graceful: stop accepting, finish in-flight, close idle)
 * Prints {"ready":true} first. Exits when stdin closes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

const pods = new Map<string, Server>();
let port = 0;
let next = 1;
const base = 20 + (process.pid % 200);

function nextIp(): string {
  const n = next++;
  return `127.${base}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

async function startPod(ip: string): Promise<void> {
  const body = Buffer.from(`{"name":"pod-${ip}"}\n`);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  pods.set(ip, server);
}

async function drain(ip: string): Promise<boolean> {
  const s = pods.get(ip);
  if (s === undefined) return false;
  pods.delete(ip);
  const closed = new Promise<void>((r) => s.close(() => r()));
  s.closeIdleConnections();
  await closed;
  return true;
}

// Lines are handled one at a time, in order.
let queue = Promise.resolve();
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  queue = queue.then(async () => {
    const [cmd = '', arg = ''] = line.trim().split(/\s+/);
    if (cmd === 'spawn') {
      const ips: string[] = [];
      for (let i = 0; i < Number(arg); i++) {
        const ip = nextIp();
        await startPod(ip);
        ips.push(ip);
      }
      process.stdout.write(`${JSON.stringify({ ips, port })}\n`);
    } else if (cmd === 'drain') {
      const done = await Promise.all(arg.split(',').filter(Boolean).map(drain));
      process.stdout.write(`${JSON.stringify({ drained: done.filter(Boolean).length })}\n`);
    } else {
      process.stdout.write(`${JSON.stringify({ error: `unknown command ${cmd}` })}\n`);
    }
  }).catch((e: unknown) => { process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`); });
});
rl.on('close', () => {
  for (const s of pods.values()) s.closeAllConnections();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
