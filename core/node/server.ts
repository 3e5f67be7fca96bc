/**
 * The node agent's own small HTTP endpoint on its node address (the kubelet's port): container
 * logs for `kubectl logs` and resource usage for `metrics.k8s.io`. Only the API server calls it,
 * with the bearer token it was given.
 */
import { timingSafeEqual } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../util/index.js';
import type { LogQuery, LogStore } from './logs.js';
import type { PodRunner } from './pod.js';

export interface NodeUsage {
  timestamp: string;
  window: string;
  node: { cpuCores: number; memoryBytes: number };
  pods: { namespace: string; name: string; containers: { name: string; cpuCores: number; memoryBytes: number }[] }[];
}

interface AgentView {
  runnerFor(namespace: string, name: string): PodRunner | undefined;
  allRunners(): PodRunner[];
}

export interface NodeServerOptions {
  address: string;
  token: string;
  agent: AgentView;
  logs: LogStore;
  clock: Clock;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization ?? '';
  const want = Buffer.from(`Bearer ${token}`);
  const got = Buffer.from(h);
  return got.length === want.length && timingSafeEqual(got, want);
}

function parseLogQuery(q: URLSearchParams): LogQuery {
  const num = (k: string): number | undefined => (q.has(k) && /^\d+$/.test(q.get(k) ?? '') ? Number(q.get(k)) : undefined);
  const since = q.get('sinceTime');
  const sinceSeconds = num('sinceSeconds');
  const out: LogQuery = { previous: q.get('previous') === 'true', timestamps: q.get('timestamps') === 'true', follow: q.get('follow') === 'true' };
  const tail = num('tailLines');
  if (tail !== undefined) out.tailLines = tail;
  const limit = num('limitBytes');
  if (limit !== undefined) out.limitBytes = limit;
  if (since && !Number.isNaN(Date.parse(since))) out.sinceTime = Date.parse(since);
  else if (sinceSeconds !== undefined) out.sinceTime = Date.now() - sinceSeconds * 1000;
  return out;
}

export class NodeServer {
  private server: Server | undefined;

  constructor(private readonly o: NodeServerOptions) {}

  async listen(): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(e instanceof Error ? e.message : 'internal error');
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.o.address, () => resolve());
    });
    const a = server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return Promise.resolve();
    s.closeAllConnections();
    return new Promise((r) => s.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req, this.o.token)) {
      res.writeHead(401).end('Unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://node');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'containerLogs' && parts.length >= 3) return this.logs(parts[1] ?? '', parts[2] ?? '', parts[3], url.searchParams, req, res);
    if (url.pathname === '/metrics/resource') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.usage()));
      return;
    }
    res.writeHead(404).end('not found');
  }

  private async logs(ns: string, name: string, container: string | undefined, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const runner = this.o.agent.runnerFor(ns, name);
    const names = runner?.containerNames() ?? [];
    if (!runner) {
      res.writeHead(404).end(`pods "${name}" not found on this node`);
      return;
    }
    if (!container && names.length > 1) {
      res.writeHead(400).end(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
      return;
    }
    const target = runner.logTarget(container ?? names[0]);
    if (!target) {
      res.writeHead(400).end(`container ${container ?? ''} is not valid for pod ${name}`);
      return;
    }
    const query = parseLogQuery(q);
    const cname = container ?? names[0] ?? '';
    const file = this.o.logs.file(runner.uid, cname, target.run, query.previous === true);
    if (!file) {
      const msg = query.previous ? `previous terminated container "${cname}" in pod "${name}" not found` : `container "${cname}" in pod "${name}" is waiting to start`;
      res.writeHead(400).end(msg);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'transfer-encoding': 'chunked' });
    const size = statSync(file).size;
    res.write(this.o.logs.read(file, query));
    if (!query.follow || query.previous) {
      res.end();
      return;
    }
    const ac = new AbortController();
    req.on('close', () => ac.abort());
    await this.o.logs.follow(file, size, query, (s) => res.write(s), () => !target.running(), ac.signal);
    res.end();
  }

  private usage(): NodeUsage {
    const pods = this.o.agent.allRunners().map((r) => ({ namespace: r.pod.metadata.namespace ?? '', name: r.pod.metadata.name ?? '', containers: r.usage() }));
    const podCpu = pods.reduce((a, p) => a + p.containers.reduce((b, c) => b + c.cpuCores, 0), 0);
    const podMem = pods.reduce((a, p) => a + p.containers.reduce((b, c) => b + c.memoryBytes, 0), 0);
    // A node reports the sum of its pods: the agents share one skiff process, so no per-node overhead exists to add.
    return { timestamp: new Date(this.o.clock.now()).toISOString(), window: '1s', node: { cpuCores: podCpu, memoryBytes: podMem }, pods };
  }
}
