/**
 * Benchmark proxy child: skiff's ingress proxy over a route table of `--rules` rules whose catch-all for host
 * `bench.test` (and any host) balances over `--backends`. Prints `ready` once listening.
 *   node --import tsx ingress-proxy.ts --port 8082 --backends 127.0.0.1:9001,127.0.0.2:9001 --rules 1 --engine undici --workers 1
 * The backends must share one port (as a Service's endpoints do). `--no-metrics` leaves the Prometheus metrics out.
 */
import cluster from 'node:cluster';
import { Registry } from 'prom-client';
import { parseArgs } from 'node:util';
import type { Endpoints, Ingress, IngressClass, Service } from '../../../core/api/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { buildRouteTable, ProxyMetrics, startProxy, type EngineName } from '../../../ingress/index.js';

const { values } = parseArgs({ options: {
  port: { type: 'string' }, backends: { type: 'string' }, rules: { type: 'string' }, engine: { type: 'string' }, workers: { type: 'string' }, 'no-metrics': { type: 'boolean' },
} });
const port = Number(values.port ?? 8082);
const backends = (values.backends ?? '127.0.0.1:9001,127.0.0.2:9001').split(',').map((b) => b.split(':'));
const backendPort = Number(backends[0]?.[1] ?? 9001);
const rules = Number(values.rules ?? 1);
const engine = (values.engine ?? 'undici') as EngineName;
const workers = Number(values.workers ?? 1);

function world(): { ingresses: Ingress[]; services: Service[]; endpoints: Endpoints[] } {
  const services: Service[] = [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'be', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: backendPort }] } }];
  const addresses = backends.map(([ip = '127.0.0.1']) => ({ ip }));
  const endpoints: Endpoints[] = [{ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'be', namespace: 'default' }, subsets: [{ addresses, ports: [{ name: 'http', port: backendPort }] }] }];
  const path = (p: string): { path: string; pathType: 'Prefix'; backend: { service: { name: string; port: { number: number } } } } =>
    ({ path: p, pathType: 'Prefix', backend: { service: { name: 'be', port: { number: 80 } } } });
  const ingresses: Ingress[] = [{
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'main', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { ingressClassName: 'skiff', rules: [{ http: { paths: [path('/')] } }] },
  }];
  // The other rules: 100 paths per host on distinct hosts, plus paths on the benchmarked (host-less) rule set.
  const extra = rules - 1;
  for (let i = 0; i * 100 < extra; i++) {
    const n = Math.min(100, extra - i * 100);
    ingresses.push({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: `r${i}`, namespace: 'default', creationTimestamp: '2024-01-02T00:00:00Z' },
      spec: { ingressClassName: 'skiff', rules: [{ host: i % 2 === 0 ? `h${i}.bench.test` : undefined, http: { paths: Array.from({ length: n }, (_, j) => path(`/r${i}/p${j}`)) } }]
        .map((r) => (r.host === undefined ? { http: r.http } : r)) },
    });
  }
  return { ingresses, services, endpoints };
}

async function serve(): Promise<void> {
  const cls: IngressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'skiff' }, spec: { controller: 'skiff.dev/ingress-controller' } };
  const w = world();
  const b = buildRouteTable({ ...w, secrets: [], ingressClasses: [cls] });
  if (b.table.size < rules) throw new Error(`table has ${b.table.size} routes, wanted ${rules}: ${JSON.stringify(b.problems.slice(0, 3))}`);
  // Metrics on, as in `skiff up` and `skiff ingress` (the registry is never scraped here).
  const metrics = values['no-metrics'] === true ? {} : { metrics: new ProxyMetrics(new Registry()) };
  await startProxy({ clock: systemClock, log: silentLogger, httpPort: port, httpsPort: null, engine, initialTable: b.table, ...metrics });
  process.stdout.write(`ready ${b.table.size}\n`);
}

if (workers > 1 && cluster.isPrimary) {
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork();
    w.process.stdout?.on('data', () => undefined);
    w.on('message', () => { if (++ready === workers) process.stdout.write('ready\n'); });
  }
} else if (workers > 1) {
  const out = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => { process.send?.('ready'); return out(s); }) as typeof process.stdout.write;
  await serve();
} else {
  await serve();
}
