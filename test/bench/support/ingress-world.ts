/** The benchmark's route table: `rules` routes, one catch-all balancing over `backends` (`ip:port`, one shared port). */
import type { Endpoints, Ingress, IngressClass, Service } from '../../../core/api/index.js';
import { buildRouteTable, type RouteTable } from '../../../ingress/index.js';

function world(rules: number, backends: readonly string[][]): { ingresses: Ingress[]; services: Service[]; endpoints: Endpoints[] } {
  const backendPort = Number(backends[0]?.[1] ?? 9001);
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

/** Builds the table and checks it has (at least) `rules` routes. */
export function benchTable(rules: number, backends: readonly string[]): RouteTable {
  const cls: IngressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'skiff' }, spec: { controller: 'skiff.dev/ingress-controller' } };
  const b = buildRouteTable({ ...world(rules, backends.map((x) => x.split(':'))), secrets: [], ingressClasses: [cls] });
  if (b.table.size < rules) throw new Error(`table has ${b.table.size} routes, wanted ${rules}: ${JSON.stringify(b.problems.slice(0, 3))}`);
  return b.table;
}
