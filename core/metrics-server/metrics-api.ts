/**
 * `metrics.k8s.io/v1beta1` (what metrics-server serves, so `kubectl top` works): NodeMetrics and
 * PodMetrics assembled from each node agent's usage report, cached for a second.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { compileSelector, parseLabelSelector, type Node } from '../api/index.js';
import { nodeEndpoint, nodeJson } from './kubelet.js';

/** What a node agent reports at `/metrics/resource`. */
export interface UsageReport {
  timestamp: string;
  window: string;
  node: { cpuCores: number; memoryBytes: number };
  pods: { namespace: string; name: string; containers: { name: string; cpuCores: number; memoryBytes: number }[] }[];
}

export interface MetricsApiOptions {
  listNodes(): Promise<Node[]>;
  /** Pod labels by `namespace/name`, so `labelSelector` can be honoured (PodMetrics carry the pod's labels). */
  podLabels?(): Promise<Map<string, Record<string, string>>>;
  token: string;
  now(): number;
}

const cpu = (cores: number): string => `${Math.max(0, Math.round(cores * 1e9))}n`;
const mem = (bytes: number): string => `${Math.max(0, Math.round(bytes / 1024))}Ki`;

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function notFound(res: ServerResponse, what: string, name: string): void {
  send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${what} "${name}" not found`, reason: 'NotFound', code: 404 });
}

export function createMetricsApi(o: MetricsApiOptions): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> {
  let cache: { at: number; reports: { node: Node; report: UsageReport }[] } | undefined;

  async function reports(): Promise<{ node: Node; report: UsageReport }[]> {
    if (cache && o.now() - cache.at < 1000) return cache.reports;
    const nodes = await o.listNodes();
    const out = await Promise.all(nodes.map(async (node) => {
      const ep = nodeEndpoint(node);
      if (!ep) return undefined;
      try {
        return { node, report: await nodeJson<UsageReport>(ep, '/metrics/resource', o.token, AbortSignal.timeout(3000)) };
      } catch {
        return undefined;
      }
    }));
    cache = { at: o.now(), reports: out.filter((x): x is { node: Node; report: UsageReport } => x !== undefined) };
    return cache.reports;
  }

  return async (req, res, url) => {
    const m = /^\/apis\/metrics\.k8s\.io\/v1beta1\/(?:namespaces\/([^/]+)\/)?(nodes|pods)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m || req.method !== 'GET') return false;
    const [, ns, kind, name] = m;
    const all = await reports();
    if (kind === 'nodes') {
      const items = all.map(({ node, report }) => ({
        kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: node.metadata.name, labels: node.metadata.labels ?? {}, creationTimestamp: new Date(o.now()).toISOString() },
        timestamp: report.timestamp, window: report.window,
        usage: { cpu: cpu(report.node.cpuCores), memory: mem(report.node.memoryBytes) },
      })).filter((i) => !name || i.metadata.name === name);
      if (name) {
        if (items[0]) send(res, 200, items[0]);
        else notFound(res, 'nodemetrics.metrics.k8s.io', name);
      } else send(res, 200, { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
      return true;
    }
    const sel = url.searchParams.get('labelSelector');
    let matches: ((labels: Record<string, string>) => boolean) | undefined;
    try {
      matches = sel ? compileSelector(parseLabelSelector(sel)) : undefined;
    } catch (e) {
      send(res, 400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `invalid labelSelector: ${(e as Error).message}`, reason: 'BadRequest', code: 400 });
      return true;
    }
    const labels = await o.podLabels?.();
    const items = all.flatMap(({ report }) => report.pods.map((p) => ({
      kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: p.name, namespace: p.namespace, labels: labels?.get(`${p.namespace}/${p.name}`) ?? {}, creationTimestamp: new Date(o.now()).toISOString() },
      timestamp: report.timestamp, window: report.window,
      containers: p.containers.map((c) => ({ name: c.name, usage: { cpu: cpu(c.cpuCores), memory: mem(c.memoryBytes) } })),
    }))).filter((i) => (!ns || i.metadata.namespace === ns) && (!name || i.metadata.name === name) && (!matches || matches(i.metadata.labels)));
    if (name) {
      if (items[0]) send(res, 200, items[0]);
      else notFound(res, 'podmetrics.metrics.k8s.io', name);
    } else send(res, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
    return true;
  };
}

