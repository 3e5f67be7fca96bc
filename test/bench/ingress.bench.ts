/**
 * bench:ingress — skiff's ingress proxy against nginx (1 worker, keep-alive upstream), same backends, with
 * wrk (`taskset -c 0 wrk -t1 -c64 -d10s --latency`) on core 0 and proxies and backends on core 1.
 * Alternating rounds (nginx, skiff, … ≥ 3 each); prints rps, p50/p99, the skiff/nginx ratio per round (median,
 * min–max), proxy CPU µs per request (/proc utime+stime of the proxy's process tree), 1 vs 10,000 rules, and
 * RSS across 1,000,000 requests. See /work/shared/BENCHMARKS.md.
 *
 *   node --import tsx test/bench/ingress.bench.ts [--seconds 10] [--rounds 3] [--skip-rss] [--only lookups,node,cheap,rules,rss]
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tsChild } from './support/compiled.js';
import { startNginxBackend, startNginxProxy } from './support/nginx.js';
import { benchTable } from './support/ingress-world.js';
import { cpuMicros, rssMiB, startChild, wrk, type Child, type WrkResult } from './support/procs.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, rounds: { type: 'string' }, 'skip-rss': { type: 'boolean' }, base: { type: 'string' }, only: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 10);
const ROUNDS = Number(values.rounds ?? 3);
const BASE = Number(values.base ?? 19100);
const PROXY_CPU = '1';
/** Sections to run (default all): lookups, node, cheap, rules, rss. */
const ONLY = new Set((values.only ?? 'lookups,node,cheap,rules,rss').split(','));
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

interface Target { name: string; child: Child; url: string }
interface Sample extends WrkResult { cpuUsPerReq: number }

async function measure(t: Target): Promise<Sample> {
  await wrk(t.url, 3); // warm-up (JIT)
  const c0 = cpuMicros(t.child.pid);
  const r = await wrk(t.url, SECONDS);
  const c1 = cpuMicros(t.child.pid);
  return { ...r, cpuUsPerReq: r.requests > 0 ? (c1 - c0) / r.requests : NaN };
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };
const f = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '-');

/** Runs the targets in alternating rounds; the first target is the baseline of the ratio. */
async function compare(title: string, targets: Target[]): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) {
      const s = await measure(t);
      samples.get(t.name)?.push(s);
      console.error(`  [${title}] round ${round + 1} ${t.name}: ${f(s.rps)} rps, p99 ${f(s.p99, 1)} ms, ${f(s.cpuUsPerReq, 1)} µs/req${s.errors > 0 ? `, ${s.errors} errors` : ''}`);
    }
  }
  const base = samples.get(targets[0]?.name ?? '') ?? [];
  console.log(`\n### ${title}\n`);
  console.log('| proxy | rps median | ratio to baseline (median, min–max) | p50 ms | p99 ms | p99 ratio | CPU µs/req | errors |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const t of targets) {
    const s = samples.get(t.name) ?? [];
    const ratios = s.map((x, i) => x.rps / (base[i]?.rps ?? NaN));
    const p99r = s.map((x, i) => x.p99 / (base[i]?.p99 ?? NaN));
    console.log(`| ${t.name} | ${f(median(s.map((x) => x.rps)))} | ${f(median(ratios), 2)} (${f(Math.min(...ratios), 2)}–${f(Math.max(...ratios), 2)}) | ` +
      `${f(median(s.map((x) => x.p50)), 2)} | ${f(median(s.map((x) => x.p99)), 2)} | ${f(median(p99r), 2)} | ${f(median(s.map((x) => x.cpuUsPerReq)), 1)} | ${s.reduce((a, x) => a + x.errors, 0)} |`);
  }
  return samples;
}

function skiff(port: number, backends: string, extra: string[] = [], pinned = true): Promise<Child> {
  return startChild(process.execPath, tsChild(here('./support/ingress-proxy.ts'), '--port', String(port), '--backends', backends, ...extra),
    { ...(pinned ? { cpu: PROXY_CPU } : {}), ready: 'ready' });
}

/**
 * Route lookup cost alone, 1 vs 10,000 rules, in this process: the same request shapes against both tables in
 * alternating rounds. End-to-end rps differ between two proxy processes by more than 5% from run to run (JIT
 * and GC state), so this is where "10,000 rules cost the same as 1" is shown to within a few percent.
 */
function lookups(cpuUsPerRequest: number): void {
  const backends = ['127.0.0.1:9001', '127.0.0.2:9001'];
  const t0 = performance.now();
  const big = benchTable(10_000, backends);
  const buildMs = performance.now() - t0;
  const small = benchTable(1, backends);
  const shapes: [string, string][] = [['127.0.0.1:19120', '/'], ['127.0.0.1:19120', '/api/v1/items/42'], ['bench.test', '/static/app.js'], ['h0.bench.test', '/r0/p50']];
  const N = 1_000_000;
  const time = (t: typeof big): number => {
    let hits = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const [host, path] = shapes[i & 3] ?? ['', '/'];
      if (t.lookup(host, path) !== undefined) hits++;
    }
    const ns = Number(process.hrtime.bigint() - start) / N;
    if (hits !== N) throw new Error(`only ${hits} of ${N} lookups matched`);
    return ns;
  };
  time(small); time(big); // warm-up
  const one: number[] = [];
  const tenK: number[] = [];
  for (let r = 0; r < 7; r++) { one.push(time(small)); tenK.push(time(big)); }
  const ratios = one.map((x, i) => (tenK[i] ?? NaN) / x);
  console.log('\n### route lookup alone (1,000,000 lookups × 7 alternating rounds, 4 request shapes)\n');
  console.log('| table | ns per lookup (median) | ratio to 1 rule (median, min–max) |');
  console.log('|---|---|---|');
  console.log(`| 1 rule | ${f(median(one), 1)} | 1.00 |`);
  console.log(`| 10,000 rules | ${f(median(tenK), 1)} | ${f(median(ratios), 3)} (${f(Math.min(...ratios), 3)}–${f(Math.max(...ratios), 3)}) |`);
  if (Number.isFinite(cpuUsPerRequest)) {
    const extra = median(tenK) - median(one);
    console.log(`\nThe 10,000-rule lookup costs ${f(extra, 1)} ns more than the 1-rule one: ${f((100 * extra) / (cpuUsPerRequest * 1000), 3)}% ` +
      `of the proxy's ${f(cpuUsPerRequest, 1)} µs CPU per request (cheap-backend median). Bigger maps, not longer walks: the cost does not grow further with rules.`);
  }
  console.log(`\nBuilding the 10,000-rule table took ${f(buildMs, 1)} ms.`);
}

async function main(): Promise<void> {
  const children: Child[] = [];
  const keep = <T extends Child>(c: T): T => { children.push(c); return c; };
  try {
    const nodePort = BASE;
    const cheapPort = BASE + 1;
    const nodeBackends = ['127.0.0.1', '127.0.0.2'].map((ip) => `${ip}:${nodePort}`);
    const cheapBackends = ['127.0.0.3', '127.0.0.4'].map((ip) => `${ip}:${cheapPort}`);
    keep(await startChild(process.execPath, ['--import', 'tsx', here('./support/ingress-backend.ts'), ...nodeBackends], { cpu: PROXY_CPU, ready: 'ready' }));
    keep(await startNginxBackend(cheapBackends, PROXY_CPU));
    const t = (name: string, child: Child, port: number): Target => ({ name, child: keep(child), url: `http://127.0.0.1:${port}/` });
    const nginxNode = t('nginx, 1 worker', await startNginxProxy(`127.0.0.1:${BASE + 10}`, nodeBackends, PROXY_CPU), BASE + 10);
    const nginxCheap = t('nginx, 1 worker', await startNginxProxy(`127.0.0.1:${BASE + 11}`, cheapBackends, PROXY_CPU), BASE + 11);
    const nginxCheapHeaders = t("nginx, 1 worker, ingress-nginx's X-Forwarded-*/X-Request-ID headers",
      await startNginxProxy(`127.0.0.1:${BASE + 12}`, cheapBackends, PROXY_CPU, true), BASE + 12);
    const undiciNode = t('skiff undici', await skiff(BASE + 20, nodeBackends.join(',')), BASE + 20);
    const httpProxyNode = t('skiff http-proxy', await skiff(BASE + 21, nodeBackends.join(','), ['--engine', 'http-proxy']), BASE + 21);
    const undiciCheap = t('skiff undici', await skiff(BASE + 22, cheapBackends.join(',')), BASE + 22);
    // Two workers need two cores: this one is not pinned (it shares core 0 with wrk).
    const clusterCheap = t('skiff undici, cluster ×2 (unpinned)', await skiff(BASE + 23, cheapBackends.join(','), ['--workers', '2'], false), BASE + 23);
    const unpinnedCheap = t('skiff undici, 1 process (unpinned)', await skiff(BASE + 25, cheapBackends.join(','), [], false), BASE + 25);
    const rules10k = t('skiff undici, 10,000 rules', await skiff(BASE + 24, nodeBackends.join(','), ['--rules', '10000']), BASE + 24);
    const directNode: Target = { name: 'backend, direct', child: children[0] as Child, url: `http://${nodeBackends[0] ?? ''}/` };

    console.log(`# bench:ingress — wrk -t1 -c64 -d${SECONDS}s on core 0; proxies and backends on core ${PROXY_CPU}; ${ROUNDS} alternating rounds`);
    if (ONLY.has('node')) await compare('Node keep-alive backends (13-byte body)', [nginxNode, undiciNode, httpProxyNode, directNode]);
    const cheap = ONLY.has('cheap') ? await compare('cheap backend (nginx return 200): the proxy is the bottleneck', [nginxCheap, nginxCheapHeaders, undiciCheap, unpinnedCheap, clusterCheap]) : undefined;
    if (ONLY.has('lookups')) lookups(median((cheap?.get(undiciCheap.name) ?? []).map((x) => x.cpuUsPerReq)));
    if (ONLY.has('rules')) await compare('rules: 1 vs 10,000 (Node backends)', [undiciNode, rules10k]);

    if (values['skip-rss'] !== true && ONLY.has('rss')) {
      // RSS across 1,000,000 requests, then across a second 1,000,000: stable when the second adds ~nothing.
      const until = async (n: number): Promise<number> => {
        let done = 0;
        while (done < n) done += (await wrk(undiciCheap.url, 10)).requests;
        return done;
      };
      const before = rssMiB(undiciCheap.child.pid);
      const n1 = await until(1_000_000);
      const mid = rssMiB(undiciCheap.child.pid);
      const n2 = await until(1_000_000);
      const after = rssMiB(undiciCheap.child.pid);
      console.log('\n### RSS of skiff undici (cheap backend)\n');
      console.log('| RSS before MiB | after 1st million MiB | after 2nd million MiB | requests |');
      console.log('|---|---|---|---|');
      console.log(`| ${f(before, 1)} | ${f(mid, 1)} | ${f(after, 1)} | ${n1} + ${n2} |`);
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

await main();
