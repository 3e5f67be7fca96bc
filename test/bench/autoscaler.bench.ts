/**
 * bench:autoscaler — how fast the HPA in a real `skiff up` answers a load step: the time from the
 * step (an open-loop generator starting at --rps through the echo Service's fake load balancer) to
 * the HPA's scale decision (the Deployment's replicas rising, polled every 100 ms) and to every new
 * pod Ready. Several rounds, each starting from one idle replica; prints median/min/max with the
 * sync period (goal: decision ≤ 2 sync periods after the step), then re-runs
 * test/bench/autoscaler-ca.bench.ts for the cluster autoscaler's decision time on a large cluster.
 *
 *   node --import tsx test/bench/autoscaler.bench.ts [--rounds 3] [--sync-period 2] [--rps 50] [--ca-rounds 3]
 *
 * The HPA is test/e2e/fixtures/autoscaling-hpa.yaml (CPU 50 % and http_requests 10/s per pod, one
 * HPA). One 4-CPU local node holds every replica, so pod start-up, not node boot, is measured.
 */
import { spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Deployment, HorizontalPodAutoscaler, Pod, Service } from '../../core/api/index.js';
import { rawApi, type RawApi } from '../support/api.js';
import { eventually, kubectlFor, repoRoot, skiffCompiled, startSkiff } from '../support/skiff.js';
import { tsChild } from './support/compiled.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, 'sync-period': { type: 'string' }, rps: { type: 'string' }, 'ca-rounds': { type: 'string' } } });
const rounds = Number(values.rounds ?? 3);
const syncS = Number(values['sync-period'] ?? 2);
const rps = Number(values.rps ?? 50);
const caRounds = values['ca-rounds'] ?? '3';

const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && !p.metadata.deletionTimestamp;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function startLoad(url: string, rate: number): () => void {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const start = Date.now();
  let due = 0;
  const timer = setInterval(() => {
    for (const target = Math.floor(((Date.now() - start) / 1000) * rate); due < target; due++) {
      const req = request(url, { agent, timeout: 5000 }, (res) => res.resume());
      req.on('timeout', () => req.destroy());
      req.on('error', () => undefined);
      req.end();
    }
  }, 20);
  return () => (clearInterval(timer), agent.destroy());
}

async function get<T>(api: RawApi, path: string): Promise<T> {
  const r = await api.call('GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body}`);
  return r.json<T>();
}
const replicas = async (api: RawApi): Promise<number> => (await get<Deployment>(api, '/apis/apps/v1/namespaces/default/deployments/echo')).spec?.replicas ?? 0;
const readyPods = async (api: RawApi): Promise<number> => (await get<{ items: Pod[] }>(api, '/api/v1/namespaces/default/pods?labelSelector=app%3Decho')).items.filter(isReady).length;

const stats = (xs: number[]): { median: number; min: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? NaN, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
};
const row = (cols: string[]): string => cols.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(10))).join('');

async function hpaRounds(): Promise<{ decision: number[]; ready: number[]; peak: number[] }> {
  const skiff = await startSkiff({ cli: skiffCompiled, args: ['--nodes', '1', '--node-cpu', '4', '--sync-period', `${syncS}s`], timeoutMs: 60_000 });
  const api = rawApi(skiff.kubeconfig);
  const out = { decision: [] as number[], ready: [] as number[], peak: [] as number[] };
  try {
    const kubectl = kubectlFor(skiff);
    for (const f of ['autoscaling-app.yaml', 'autoscaling-hpa.yaml']) {
      const r = await kubectl(['apply', '-f', join(repoRoot, 'test/e2e/fixtures', f)]);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    const svc = await eventually(async () => {
      const s = await get<Service>(api, '/api/v1/namespaces/default/services/echo');
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined;
    }, { timeoutMs: 60_000, what: 'a load balancer for echo' });
    const url = `http://${svc.status?.loadBalancer?.ingress?.[0]?.ip ?? ''}:8080/?cpu_ms=12`;
    for (let r = 0; r < rounds; r++) {
      // Idle: one ready replica and both metrics reported (and low), so the step is all that moves it.
      await eventually(async () => {
        const h = await get<HorizontalPodAutoscaler>(api, '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/echo');
        return (await replicas(api)) === 1 && (await readyPods(api)) === 1 && (h.status?.currentMetrics?.length ?? 0) === 2 && h.status?.desiredReplicas === 1;
      }, { timeoutMs: 120_000, intervalMs: 500, what: 'one idle replica' });
      await sleep(2 * syncS * 1000);
      const t0 = Date.now();
      const stop = startLoad(url, rps);
      try {
        await eventually(async () => (await replicas(api)) > 1, { timeoutMs: 60_000, intervalMs: 100, what: 'a scale-up' });
        out.decision.push(Date.now() - t0);
        const n = await eventually(async () => {
          const want = await replicas(api);
          return (await readyPods(api)) >= want ? want : undefined;
        }, { timeoutMs: 60_000, intervalMs: 100, what: 'new pods Ready' });
        out.ready.push(Date.now() - t0);
        out.peak.push(n);
        console.log(`round ${r + 1}: decision ${out.decision.at(-1)} ms, ${n} pods ready ${out.ready.at(-1)} ms after the step`);
      } finally {
        stop();
      }
    }
  } finally {
    api.close();
    await skiff.stop();
  }
  return out;
}

function caFigure(): string {
  const r = spawnSync(process.execPath, tsChild(join(repoRoot, 'test/bench/autoscaler-ca.bench.ts'), '--rounds', caRounds), { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) return `autoscaler-ca.bench.ts failed: ${r.stderr}`;
  return r.stdout.trim();
}

const hpa = await hpaRounds();
const ca = caFigure();
const syncMs = syncS * 1000;
const d = stats(hpa.decision);
const rd = stats(hpa.ready);
console.log(`\nHPA: ${rounds} rounds, load step 0 → ${rps} req/s (12 ms CPU each), sync period ${syncMs} ms, peak replicas ${hpa.peak.join('/')}`);
console.log(row(['', 'median', 'min', 'max']));
console.log(row(['step → HPA scale decision', `${d.median} ms`, `${d.min} ms`, `${d.max} ms`]));
console.log(row(['  in sync periods', (d.median / syncMs).toFixed(2), (d.min / syncMs).toFixed(2), (d.max / syncMs).toFixed(2)]));
console.log(row(['step → new pods Ready', `${rd.median} ms`, `${rd.min} ms`, `${rd.max} ms`]));
console.log(`goal: decision ≤ 2 sync periods (${2 * syncMs} ms): ${d.max <= 2 * syncMs ? 'met' : d.median <= 2 * syncMs ? 'met at the median, not the max' : 'NOT met'}`);
console.log(`\nCluster autoscaler decision time (test/bench/autoscaler-ca.bench.ts --rounds ${caRounds}):\n${ca}`);
