/**
 * bench:apiserver — the API server's write, list and watch figures, on sqlite and on memory.
 * Runs sqlite and memory rounds alternately (A B A B A B) in one run and prints medians with
 * min–max, plus the sqlite/memory ratio (memory is the baseline: what durability costs).
 *
 *   npm run bench:apiserver [-- --rounds 3 --creates 6000]
 *   npm run bench:apiserver -- --only watch         (just the watch-delivery section, on a fresh server)
 *   npm run bench:apiserver -- --only list,watch    (sections: creates, steady, list, watch; in that order)
 */
import { parseArgs } from 'node:util';
import { rawApi, type RawApi } from '../support/api.js';
import { skiffCompiled, startSkiff } from '../support/skiff.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, creates: { type: 'string' }, pods: { type: 'string' }, only: { type: 'string' } } });
const rounds = Number(values.rounds ?? 3);
const createCount = Number(values.creates ?? 6000);
const podCount = Number(values.pods ?? 10000);
const sections = ['creates', 'steady', 'list', 'watch'] as const;
type Section = (typeof sections)[number];
const isSection = (x: string): x is Section => (sections as readonly string[]).includes(x);
const only = new Set<Section>((values.only ?? sections.join(',')).split(',').map((x) => {
  if (!isSection(x)) throw new Error(`--only: unknown section "${x}" (known: ${sections.join(', ')})`);
  return x;
}));

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const median = (xs: number[]): number => pct([...xs].sort((a, b) => a - b), 50);

async function createsPerSecond(api: RawApi, ns: string, n: number, concurrency: number, prefix: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const r = await api.call('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${i}` }, data: { i: String(i) } });
      if (r.status !== 201) throw new Error(`create failed ${r.status} ${r.body}`);
    }
  }));
  return n / ((performance.now() - t0) / 1000);
}

/** Open-loop: one create every 1 ms for `seconds`; latency of each. */
async function steadyLatency(api: RawApi, ns: string, seconds: number, rate: number): Promise<number[]> {
  const lat: number[] = [];
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  const total = seconds * rate;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const start = performance.now();
    inflight.push(api.call('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `s-${i}` } }).then((r) => {
      if (r.status !== 201) throw new Error(`create failed ${r.status}`);
      lat.push(performance.now() - start);
    }));
  }
  await Promise.all(inflight);
  return lat.sort((a, b) => a - b);
}

async function listPods(api: RawApi, ns: string, n: number): Promise<number> {
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < n) {
      const i = next++;
      const r = await api.call('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'skiff/echo' }] } });
      if (r.status !== 201) throw new Error(`pod create failed ${r.status} ${r.body}`);
    }
  }));
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await api.call('GET', `/api/v1/namespaces/${ns}/pods`);
    if (r.status !== 200 || r.json<{ items: unknown[] }>().items.length !== n) throw new Error('list failed');
    times.push(performance.now() - t);
  }
  return median(times);
}

/** 100 watchers; objects carry their send time; p99 of (receive − send) across all deliveries. */
async function watchDelivery(kubeconfig: string, ns: string, watchers: number, events: number): Promise<number[]> {
  const { request } = await import('node:https');
  const api = rawApi(kubeconfig, { maxSockets: 8 });
  const base = new URL(api.server);
  const lat: number[] = [];
  const reqs: { destroy(): void }[] = [];
  let ready = 0;
  await new Promise<void>((resolve) => {
    for (let w = 0; w < watchers; w++) {
      const req = request({ hostname: base.hostname, port: base.port, ca: api.ca, method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps?watch=true`, headers: { authorization: `Bearer ${api.token}` } }, (res) => {
        let buf = '';
        if (++ready === watchers) resolve();
        res.on('data', (d: Buffer) => {
          const now = performance.timeOrigin + performance.now();
          buf += d.toString();
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const ev = JSON.parse(line) as { type: string; object: { data?: { sent?: string } } };
            if (ev.type === 'ADDED' && ev.object.data?.sent) lat.push(now - Number(ev.object.data.sent));
          }
        });
      });
      req.end();
      reqs.push(req);
    }
  });
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < events; i++) {
    await api.call('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `w-${i}` }, data: { sent: String(performance.timeOrigin + performance.now()) } });
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const r of reqs) r.destroy();
  api.close();
  return lat.sort((a, b) => a - b);
}

interface Round { creates: number; p50: number; p99: number; list: number; watchP50: number; watchP99: number; watchN: number }

async function round(store: 'sqlite' | 'memory'): Promise<Round> {
  const s = await startSkiff({ cli: skiffCompiled, args: ['--store', store] });
  const api = rawApi(s.kubeconfig, { maxSockets: 64 });
  try {
    for (const ns of ['c', 's', 'l', 'w']) await api.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const r: Round = { creates: NaN, p50: NaN, p99: NaN, list: NaN, watchP50: NaN, watchP99: NaN, watchN: 0 };
    if (only.has('creates')) {
      await createsPerSecond(api, 'c', 500, 32, 'warm'); // warm-up
      r.creates = await createsPerSecond(api, 'c', createCount, 32, 'c');
    }
    if (only.has('steady')) {
      const lat = await steadyLatency(api, 's', 5, 1000);
      r.p50 = pct(lat, 50);
      r.p99 = pct(lat, 99);
    }
    if (only.has('list')) r.list = await listPods(api, 'l', podCount);
    if (only.has('watch')) {
      const w = await watchDelivery(s.kubeconfig, 'w', 100, 200);
      r.watchP50 = pct(w, 50);
      r.watchP99 = pct(w, 99);
      r.watchN = w.length;
    }
    return r;
  } finally {
    api.close();
    await s.stop();
  }
}

const results: Record<'sqlite' | 'memory', Round[]> = { sqlite: [], memory: [] };
for (let i = 0; i < rounds; i++) {
  for (const store of ['sqlite', 'memory'] as const) {
    const r = await round(store);
    results[store].push(r);
    console.error(`round ${i + 1} ${store}: ${JSON.stringify(r, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
  }
}
const fmt = (xs: number[], digits = 1): string => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const ratio = (k: keyof Round): string => fmt(results.sqlite.map((r, i) => r[k] / (results.memory[i]?.[k] ?? NaN)), 2);
console.log(`\nbench:apiserver — ${rounds} alternating rounds, median (min–max); 32 concurrent clients; ${createCount} creates; list of ${podCount} pods; 100 watchers\n`);
console.log('| measure | sqlite | memory | sqlite/memory | goal |');
console.log('|---|---|---|---|---|');
console.log(`| creates/s | ${fmt(results.sqlite.map((r) => r.creates), 0)} | ${fmt(results.memory.map((r) => r.creates), 0)} | ${ratio('creates')} | ≥ 5,000 durable |`);
console.log(`| create p50 at 1,000/s (ms) | ${fmt(results.sqlite.map((r) => r.p50))} | ${fmt(results.memory.map((r) => r.p50))} | ${ratio('p50')} | |`);
console.log(`| create p99 at 1,000/s (ms) | ${fmt(results.sqlite.map((r) => r.p99))} | ${fmt(results.memory.map((r) => r.p99))} | ${ratio('p99')} | < 20 ms |`);
console.log(`| list 10,000 pods (ms) | ${fmt(results.sqlite.map((r) => r.list))} | ${fmt(results.memory.map((r) => r.list))} | ${ratio('list')} | |`);
console.log(`| watch delivery p50 (ms) | ${fmt(results.sqlite.map((r) => r.watchP50))} | ${fmt(results.memory.map((r) => r.watchP50))} | ${ratio('watchP50')} | |`);
console.log(`| watch delivery p99 (ms) | ${fmt(results.sqlite.map((r) => r.watchP99))} | ${fmt(results.memory.map((r) => r.watchP99))} | ${ratio('watchP99')} | < 10 ms |`);
