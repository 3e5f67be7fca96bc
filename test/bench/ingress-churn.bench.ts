/**
 * bench:ingress-churn — issue #5's zero-downtime goal as separate processes: the API server + ingress
 * controller + proxy in one child, echo "pods" in another, and a steady wrk load (`taskset -c 0 wrk -t1 -c16`)
 * on the stable route from a third. This process makes `--writes` Ingress writes through the API (create →
 * poll the new host through the proxy with a keep-alive agent every ~1 ms until it answers 200, timed from the
 * moment the create call returned; edit the path /v1 → /v2 → poll /v2 until 200; delete → poll until 404)
 * while the pool's endpoints churn 2 → 8 → 2, `--rounds` times (removed pods drain before they close).
 * Prints the load's rate and failures (wrk's non-2xx responses + socket errors), p50/p90/p99/max of the
 * time from API write to the changed route serving, and the number of route tables swapped in.
 *
 * `--background-rules N` first adds N unrelated rules (Ingresses of 100 paths each) so every rebuild pays for a
 * big table.
 *
 *   node --import tsx test/bench/ingress-churn.bench.ts [--writes 1000] [--rounds 3] [--connections 16] [--warmup 30]
 *     [--background-rules 0] [--debounce-ms 5] [--cost-factor 3]
 */
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Endpoints, Ingress, Service } from '../../core/api/index.js';
import { KubeClient } from '../../core/client/index.js';
import { ingressTarget } from '../../ingress/index.js';
import { percentile, startLineChild, startWrk, status, summary, untilStatus, type LineChild } from './support/ingress-churn-procs.js';

const { values } = parseArgs({ options: {
  writes: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' }, 'background-rules': { type: 'string' },
  'debounce-ms': { type: 'string' }, 'cost-factor': { type: 'string' },
} });
const WRITES = Number(values.writes ?? 1000);
const ROUNDS = Number(values.rounds ?? 3);
const CONNECTIONS = Number(values.connections ?? 16);
const WARMUP = Number(values.warmup ?? 30);
const BACKGROUND_RULES = Number(values['background-rules'] ?? 0);
const DRAIN_MS = 300;
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const svcT = { apiVersion: 'v1', plural: 'services', namespaced: true };
const epT = { apiVersion: 'v1', plural: 'endpoints', namespaced: true };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface ClusterInfo { apiPort: number; caCert: string; token: string; httpPort: number }
interface Spawned { ips: string[]; port: number }

function ingress(name: string, host: string, path: string): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default' },
    spec: { ingressClassName: 'skiff', rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: 'pool', port: { number: 80 } } } }] } }] },
  };
}

/** `rules` paths on hosts bg-0.test, bg-1.test, … (100 per Ingress), all to the pool. */
async function addBackground(client: KubeClient, rules: number): Promise<void> {
  for (let i = 0; i * 100 < rules; i++) {
    const ing = ingress(`bg-${i}`, `bg-${i}.test`, '/');
    const paths = Array.from({ length: Math.min(100, rules - i * 100) }, (_, j) =>
      ({ path: `/bg/p${j}`, pathType: 'Prefix' as const, backend: { service: { name: 'pool', port: { number: 80 } } } }));
    await client.create(ingressTarget, { ...ing, spec: { ingressClassName: 'skiff', rules: [{ host: `bg-${i}.test`, http: { paths } }] } });
  }
}

interface Latencies { create: number[]; edit: number[]; del: number[] }

/** `count` writes cycling create → edit → delete over fresh names; each write is timed until the proxy reflects it. */
async function churnRoutes(client: KubeClient, httpPort: number, count: number, prefix: string, agent: Agent): Promise<Latencies> {
  const out: Latencies = { create: [], edit: [], del: [] };
  let writes = 0;
  for (let k = 0; writes < count; k++) {
    const name = `${prefix}-${k}`;
    const host = `${name}.test`;
    await client.create(ingressTarget, ingress(name, host, '/v1'));
    out.create.push(await untilStatus(httpPort, '/v1', host, 200, agent));
    if (++writes >= count) break;
    await client.patch(ingressTarget, 'default', name, { spec: ingress(name, host, '/v2').spec }, 'merge');
    out.edit.push(await untilStatus(httpPort, '/v2', host, 200, agent));
    if (++writes >= count) break;
    await client.delete(ingressTarget, 'default', name);
    out.del.push(await untilStatus(httpPort, '/v2', host, 404, agent));
    writes++;
  }
  return out;
}

/** Endpoint churn: 2 → 8 → 2 pods, `rounds` times; removed pods drain (DRAIN_MS after leaving the endpoints) before they close. */
async function churnEndpoints(client: KubeClient, pods: LineChild, live: string[], port: number, rounds: number): Promise<void> {
  let eps = await client.get<Endpoints>(epT, 'default', 'pool');
  const set = async (ips: readonly string[]): Promise<void> => {
    eps = await client.update<Endpoints>(epT, { ...eps, subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port }] }] });
  };
  let current = live;
  for (let round = 0; round < rounds; round++) {
    const added = await pods.ask<Spawned>('spawn 6');
    const eight = [...current, ...added.ips];
    await set(eight);
    await sleep(400);
    const keep = eight.slice(-2);
    await set(keep);
    await sleep(DRAIN_MS);
    await pods.ask<{ drained: number }>(`drain ${eight.slice(0, 6).join(',')}`);
    current = keep;
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const extra = [
    ...(values['debounce-ms'] === undefined ? [] : ['--debounce-ms', values['debounce-ms']]),
    ...(values['cost-factor'] === undefined ? [] : ['--cost-factor', values['cost-factor']]),
  ];
  const cluster = await startLineChild(here('./support/ingress-churn-cluster.ts'), extra);
  const pods = await startLineChild(here('./support/ingress-churn-backends.ts'));
  const info = cluster.first as ClusterInfo;
  const client = new KubeClient({ server: `https://127.0.0.1:${info.apiPort}`, caCert: info.caCert, token: info.token });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    const first = await pods.ask<Spawned>('spawn 2');
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'pool', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: first.port }] } };
    await client.create(svcT, svc);
    await client.create<Endpoints>(epT, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'pool', namespace: 'default' },
      subsets: [{ addresses: first.ips.map((ip) => ({ ip })), ports: [{ name: 'http', port: first.port }] }] });
    await client.create(ingressTarget, ingress('stable', 'stable.test', '/'));
    if (!Number.isFinite(await untilStatus(info.httpPort, '/', 'stable.test', 200, agent))) {
      const last = await status(info.httpPort, '/', 'stable.test', agent).catch((e: unknown) => String(e));
      throw new Error(`stable route never served (last answer: ${last})`);
    }
    if (BACKGROUND_RULES > 0) {
      await addBackground(client, BACKGROUND_RULES);
      const last = `bg-${Math.ceil(BACKGROUND_RULES / 100) - 1}.test`;
      if (!Number.isFinite(await untilStatus(info.httpPort, '/bg/p0', last, 200, agent, 60_000))) throw new Error('background rules never served');
    }
    if (WARMUP > 0) await churnRoutes(client, info.httpPort, WARMUP, 'warmup', agent);

    const gen0 = (await cluster.ask<{ generation: number }>('stats')).generation;
    const load = startWrk(`http://127.0.0.1:${info.httpPort}/load`, 'stable.test', CONNECTIONS);
    await sleep(500);
    const t0 = performance.now();
    const [lat] = await Promise.all([
      churnRoutes(client, info.httpPort, WRITES, 'churn', agent),
      churnEndpoints(client, pods, first.ips, first.port, ROUNDS),
    ]);
    const elapsed = (performance.now() - t0) / 1000;
    await sleep(200);
    const w = await load.stop();
    const gen1 = (await cluster.ask<{ generation: number }>('stats')).generation;

    const all = [...lat.create, ...lat.edit, ...lat.del];
    const failures = w.non2xx + w.socketErrors;
    console.log(`ingress-churn: ${WRITES} Ingress writes in ${elapsed.toFixed(1)} s + endpoint churn 2 → 8 → 2 ×${ROUNDS}, ` +
      `under wrk -c${CONNECTIONS} on the stable route${BACKGROUND_RULES > 0 ? `, ${BACKGROUND_RULES} background rules` : ''}`);
    console.log(`  load: ${w.rps.toFixed(0)} req/s (${w.requests} requests in ${w.seconds.toFixed(1)} s), failed ${failures} ` +
      `(non-2xx ${w.non2xx}, socket errors ${w.socketErrors})${w.rps >= 500 ? '' : ' — BELOW 500 req/s'}`);
    console.log(`  new route serves after write (create):  ${summary(lat.create)}`);
    console.log(`  edited route serves after write:        ${summary(lat.edit)}`);
    console.log(`  deleted route gone after write:         ${summary(lat.del)}`);
    console.log(`  any change, all writes:                 ${summary(all)}`);
    console.log(`  table generations during the run: ${gen1 - gen0} (${gen1} in all)`);
    console.log(`  goal (issue #5): 0 failed, load ≥ 500 req/s, p99 ≤ 50 ms → ` +
      `${failures === 0 && w.rps >= 500 && percentile(lat.create, 99) <= 50 ? 'met' : 'NOT met'}`);
    if (failures > 0) console.error(w.raw);
  } finally {
    agent.destroy();
    client.close();
    await pods.stop();
    await cluster.stop();
  }
}

await main();
