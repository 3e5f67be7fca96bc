/**
 * How long buildRouteTable takes for 10,000 rules (what the controller pays per rebuild), in three shapes:
 * 100 Ingresses × 100 paths (as bench:ingress's proxy builds it), 1,000 × 10 and 10,000 × 1.
 *   node --import tsx test/bench/support/ingress-churn-buildtime.ts [--runs 30]
 */
import { parseArgs } from 'node:util';
import type { Endpoints, Ingress, IngressClass, Service } from '../../../core/api/index.js';
import { buildRouteTable } from '../../../ingress/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string' } } });
const RUNS = Number(values.runs ?? 30);

const cls: IngressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'skiff' }, spec: { controller: 'skiff.dev/ingress-controller' } };
const services: Service[] = [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'be', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 9001 }] } }];
const endpoints: Endpoints[] = [{
  apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'be', namespace: 'default' },
  subsets: [{ addresses: [{ ip: '127.0.0.1' }, { ip: '127.0.0.2' }], ports: [{ name: 'http', port: 9001 }] }],
}];
const path = (p: string): { path: string; pathType: 'Prefix'; backend: { service: { name: string; port: { number: number } } } } =>
  ({ path: p, pathType: 'Prefix', backend: { service: { name: 'be', port: { number: 80 } } } });

function world(ingressCount: number, pathsEach: number): Ingress[] {
  return Array.from({ length: ingressCount }, (_, i): Ingress => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name: `r${i}`, namespace: 'default', creationTimestamp: '2024-01-02T00:00:00Z', resourceVersion: String(i + 1) },
    spec: { ingressClassName: 'skiff', rules: [{ host: `h${i}.bench.test`, http: { paths: Array.from({ length: pathsEach }, (_, j) => path(`/r${i}/p${j}`)) } }] },
  }));
}

for (const [n, each] of [[100, 100], [1000, 10], [10_000, 1]] as const) {
  const ingresses = world(n, each);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const b = buildRouteTable({ ingresses, services, endpoints, secrets: [], ingressClasses: [cls] });
    times.push(performance.now() - t);
    if (b.table.size !== n * each) throw new Error(`table has ${b.table.size} routes, wanted ${n * each}`);
  }
  const first = times[0] ?? NaN;
  times.sort((a, b) => a - b);
  const at = (q: number): string => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN).toFixed(1);
  console.log(`buildRouteTable, ${n} Ingresses × ${each} paths = ${n * each} rules: first ${first.toFixed(1)} ms, ` +
    `median ${at(0.5)} ms, p90 ${at(0.9)} ms (${RUNS} runs)`);
}
