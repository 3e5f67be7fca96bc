/**
 * Zero downtime: under steady keep-alive load, 1,000 Ingress changes through the API plus endpoint churn
 * (2 → 8 → 2, three times, with a drain delay before removed backends shut down) fail no request on the
 * route that stayed valid; newly created routes serve soon after the API write (p99 printed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import type { Endpoints } from '../../core/api/index.js';
import { ingressTarget } from '../../ingress/index.js';
import { makeIngress } from './fixtures.js';
import { get, loopback, serviceFor, startEcho, type Echo } from './proxy-support.js';
import { eventually, startCluster } from './controller-support.js';

const svcT = { apiVersion: 'v1', plural: 'services', namespaced: true };
const epT = { apiVersion: 'v1', plural: 'endpoints', namespaced: true };
const DRAIN_MS = 300;

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Graceful shutdown as a pod's: stop accepting, let in-flight requests finish, close idle connections. */
async function drainAndClose(e: Echo): Promise<void> {
  const closed = new Promise<void>((r) => e.server.close(() => r()));
  e.server.closeIdleConnections();
  await closed;
}

describe('ingress: zero downtime under load', () => {
  it('1,000 route changes and endpoint churn fail no request on a stable route', async () => {
    const c = await startCluster();
    let port = 0;
    const pool: Echo[] = [];
    const spawn = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const e = await startEcho(`pool-${pool.length}`, loopback(), port);
        port = e.port;
        pool.push(e);
      }
    };
    await spawn(2);
    const s = serviceFor('pool', pool);
    await c.client.create(svcT, s.svc);
    let eps = await c.client.create<Endpoints>(epT, s.eps);
    const setEndpoints = async (list: readonly Echo[]): Promise<void> => {
      eps = await c.client.update<Endpoints>(epT, { ...eps, subsets: [{ addresses: list.map((e) => ({ ip: e.ip })), ports: [{ name: 'http', port }] }] });
    };
    await c.client.create(ingressTarget, makeIngress({ name: 'stable', rules: [{ host: 'stable.test', paths: [{ path: '/', service: 'pool' }] }] }));
    await eventually(async () => (await get(c.ingress.httpPort, '/', { host: 'stable.test' })).status === 200, 5000, 'stable route');

    // Steady load on the stable route.
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    let running = true;
    let ok = 0;
    const failures: string[] = [];
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (running) {
        try {
          const r = await get(c.ingress.httpPort, `/load?i=${ok}`, { host: 'stable.test', agent });
          if (r.status === 200 && r.json?.name.startsWith('pool-') === true) ok++;
          else failures.push(`status ${r.status}: ${r.text.slice(0, 80)}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    };
    const load = Array.from({ length: 16 }, () => worker());
    const deadline = setTimeout(() => { running = false; }, 55_000); // the loop stops by itself

    // Endpoint churn: 2 → 8 → 2, three times; removed backends drain before they close.
    const churnEndpoints = async (): Promise<void> => {
      for (let round = 0; round < 3; round++) {
        await spawn(6);
        const live = pool.slice(-8);
        await setEndpoints(live);
        await new Promise((r) => setTimeout(r, 400));
        const keep = live.slice(-2);
        await setEndpoints(keep);
        await new Promise((r) => setTimeout(r, DRAIN_MS));
        await Promise.all(live.slice(0, 6).map(drainAndClose));
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const churn = churnEndpoints();
    const latencies: number[] = [];
    let writes = 0;
    try {

    // 1,000 Ingress writes: create (measured until it serves), edit, delete, in turn.
    for (let k = 0; writes < 1000; k++) {
      const name = `churn-${k}`;
      const host = `${name}.test`;
      await c.client.create(ingressTarget, makeIngress({ name, rules: [{ host, paths: [{ path: '/v1', service: 'pool' }] }] }));
      const t0 = performance.now();
      writes++;
      await eventually(async () => (await get(c.ingress.httpPort, '/v1', { host, agent })).status === 200, 5000, `route ${host}`);
      latencies.push(performance.now() - t0);
      if (writes >= 1000) break;
      await c.client.patch(ingressTarget, 'default', name, {
        spec: { rules: [{ host, http: { paths: [{ path: '/v2', pathType: 'Prefix', backend: { service: { name: 'pool', port: { number: 80 } } } }] } }] },
      }, 'merge');
      writes++;
      if (writes >= 1000) break;
      await c.client.delete(ingressTarget, 'default', name);
      writes++;
    }
    await churn;
    } finally {
      running = false;
      clearTimeout(deadline);
      await Promise.all(load);
    }
    const seconds = (Date.now() - started) / 1000;
    agent.destroy();
    const rate = ok / seconds;
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`zero-downtime: ${ok} ok requests in ${seconds.toFixed(1)} s (${rate.toFixed(0)} req/s), ${failures.length} failed; ` +
      `${writes} Ingress writes; new route serves after write: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; table generations ${c.ingress.tableGeneration()}`);
    await c.close();
    await Promise.all(pool.map((e) => e.close()));
    assert.deepEqual(failures.slice(0, 10), []);
    assert.equal(writes, 1000);
    // The load ran across the churn (speed itself is bench:ingress-churn's to measure, not a test's).
    assert.ok(ok > writes, `only ${ok} requests were answered during ${writes} writes`);
  });
});
