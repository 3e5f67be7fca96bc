/**
 * bench:pods — startup latency of a 50-replica Deployment of the echo app on `skiff up` (2 nodes of
 * 16 CPUs): time from the create to each pod Ready, p50/p99 per pod and time to all Ready.
 * Baseline in the same run: starting the same 50 echo processes directly (no control plane),
 * time to each answering /readyz. Rounds alternate (skiff, direct, skiff, direct, …).
 *
 *   npm run bench:pods [-- --rounds 3 --replicas 50]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rawApi } from '../support/api.js';
import { repoRoot, skiffCompiled, startSkiff } from '../support/skiff.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, replicas: { type: 'string' } } });
const rounds = Number(values.rounds ?? 3);
const replicas = Number(values.replicas ?? 50);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

interface Round { p50: number; p99: number; all: number }

async function skiffRound(): Promise<Round> {
  const s = await startSkiff({ cli: skiffCompiled, args: ['--nodes', '2', '--node-cpu', '16', '--node-memory', '32Gi', '--log-level', 'error'] });
  const api = rawApi(s.kubeconfig);
  try {
    const t0 = Date.now();
    const dep = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench' },
      spec: {
        replicas, selector: { matchLabels: { app: 'bench' } },
        template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'echo', image: 'skiff/echo', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '10m' } }, readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1 } }] } },
      },
    };
    const r = await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body}`);
    const readyAt = new Map<string, number>();
    while (readyAt.size < replicas) {
      const pods = (await api.call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dbench')).json<{ items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } }[] }>().items;
      for (const p of pods) {
        const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
        if (ready && !readyAt.has(p.metadata.name)) readyAt.set(p.metadata.name, Date.now() - t0);
      }
      if (Date.now() - t0 > 120_000) throw new Error(`only ${readyAt.size}/${replicas} ready after 120 s`);
      await new Promise((res) => setTimeout(res, 50));
    }
    const lat = [...readyAt.values()];
    return { p50: pct(lat, 50), p99: pct(lat, 99), all: Math.max(...lat) };
  } finally {
    api.close();
    await s.stop();
  }
}

function ready(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/readyz', timeout: 500, agent: false }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

async function directRound(): Promise<Round> {
  const procs: ChildProcess[] = [];
  const t0 = Date.now();
  const lat: number[] = [];
  try {
    const waits = Array.from({ length: replicas }, async (_, i) => {
      const host = `127.222.0.${i + 2}`;
      procs.push(spawn(process.execPath, ['--enable-source-maps', join(repoRoot, 'dist/examples/apps/echo/server.js')], { env: { ...process.env, HOST: host, PORT: '8080' }, stdio: 'ignore' }));
      while (!(await ready(host, 8080))) await new Promise((res) => setTimeout(res, 50));
      lat.push(Date.now() - t0);
    });
    await Promise.all(waits);
    return { p50: pct(lat, 50), p99: pct(lat, 99), all: Math.max(...lat) };
  } finally {
    for (const p of procs) p.kill('SIGKILL');
  }
}

const res: { skiff: Round[]; direct: Round[] } = { skiff: [], direct: [] };
for (let i = 0; i < rounds; i++) {
  res.skiff.push(await skiffRound());
  res.direct.push(await directRound());
  console.error(`round ${i + 1}: skiff ${JSON.stringify(res.skiff[i])} direct ${JSON.stringify(res.direct[i])}`);
}
const med = (xs: number[]): number => pct(xs, 50);
const f = (xs: number[]): string => `${(med(xs) / 1000).toFixed(2)} s (${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)})`;
const ratio = (k: keyof Round): string => {
  const r = res.skiff.map((x, i) => x[k] / (res.direct[i]?.[k] ?? NaN));
  return `${med(r).toFixed(2)} (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`;
};
console.log(`\nbench:pods — ${replicas} replicas, ${rounds} alternating rounds, median (min–max)\n`);
console.log('| measure | skiff | direct processes | skiff/direct | goal |');
console.log('|---|---|---|---|---|');
console.log(`| pod ready p50 | ${f(res.skiff.map((r) => r.p50))} | ${f(res.direct.map((r) => r.p50))} | ${ratio('p50')} | |`);
console.log(`| pod ready p99 | ${f(res.skiff.map((r) => r.p99))} | ${f(res.direct.map((r) => r.p99))} | ${ratio('p99')} | < 2 s |`);
console.log(`| all ready | ${f(res.skiff.map((r) => r.all))} | ${f(res.direct.map((r) => r.all))} | ${ratio('all')} | |`);
