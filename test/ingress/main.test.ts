/**
 * `runIngress` / `skiff ingress`: the standalone entry against an in-process API server, through a kubeconfig —
 * alone in this process, and with `--ingress-workers 2` as a real `skiff` process whose primary aggregates the
 * workers' metrics and replaces a worker that dies.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { Logger, LogFields } from '../../core/util/index.js';
import { ingressTarget, ProxyMetrics, runIngress } from '../../ingress/index.js';
import { nextRestart, STABLE_MS, MAX_DELAY_MS } from '../../ingress/main/restart.js';
import { KubeClient } from '../../core/client/index.js';
import { createNamespace, startServer, token } from '../core/apiserver/harness.js';
import { makeIngress } from './fixtures.js';
import { get, serviceFor, startEchoes } from './proxy-support.js';
import { eventually } from './controller-support.js';
import { skiffCli } from '../support/skiff.js';

type Harness = Awaited<ReturnType<typeof startServer>>;
type Echoes = Awaited<ReturnType<typeof startEchoes>>;

/** An API server with Service `m` and Ingresses `m` (host m.test, measured) and `ready` (host ready.test, for warming up). */
async function world(): Promise<{ h: Harness; client: KubeClient; echoes: Echoes; kubeconfig: string; close(): Promise<void> }> {
  const h = await startServer();
  await createNamespace(h, 'default');
  const kubeconfig = join(h.dir, 'kubeconfig');
  await writeFile(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 't',
    clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${h.port}`, 'certificate-authority-data': Buffer.from(h.pki.caCert).toString('base64') } }],
    users: [{ name: 'u', user: { token } }], contexts: [{ name: 't', context: { cluster: 'c', user: 'u' } }],
  }));
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const echoes = await startEchoes('m-1');
  const s = serviceFor('m', echoes);
  await client.create({ apiVersion: 'v1', plural: 'services', namespaced: true }, s.svc);
  await client.create({ apiVersion: 'v1', plural: 'endpoints', namespaced: true }, s.eps);
  await client.create(ingressTarget, makeIngress({ name: 'm', rules: [{ host: 'm.test', paths: [{ path: '/', service: 'm' }] }] }));
  await client.create(ingressTarget, makeIngress({ name: 'ready', rules: [{ host: 'ready.test', paths: [{ path: '/', service: 'm' }] }] }));
  return {
    h, client, echoes, kubeconfig,
    async close() { client.close(); await Promise.all(echoes.map((e) => e.close())); await h.close(); },
  };
}

/** A logger that keeps the fields of every info line, by message. */
function capturingLogger(): { log: Logger; fields(msg: string): LogFields | undefined } {
  const seen = new Map<string, LogFields>();
  const log: Logger = {
    debug: () => undefined, warn: () => undefined, error: () => undefined,
    info: (msg, f) => { seen.set(msg, f ?? {}); },
    child: () => log,
  };
  return { log, fields: (msg) => seen.get(msg) };
}

/** The sum of every sample of `name` whose labels contain all of `labels` (`k="v"` strings). */
function total(text: string, name: string, labels: readonly string[]): number {
  let n = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = m[2] ?? '';
    if (labels.every((l) => have.includes(l))) n += Number(m[3]);
  }
  return n;
}

describe('runIngress', () => {
  it('serves routes from the kubeconfig cluster and exposes /metrics on a free port; rejects bad flags', async () => {
    const cases = [
      { desc: 'non-numeric port', argv: ['--ingress-http-port', 'x'], error: /not a port/ },
      { desc: 'metrics port out of range', argv: ['--metrics-port', '70000'], error: /--metrics-port: not a port/ },
      { desc: 'zero workers', argv: ['--ingress-workers', '0'], error: /not a positive integer/ },
      { desc: 'unknown engine', argv: ['--engine', 'nginx'], error: /undici or http-proxy/ },
      { desc: 'unreadable kubeconfig fails in the primary, before forking', argv: ['--kubeconfig', '/nonexistent/kubeconfig', '--ingress-workers', '2'], error: /ENOENT/ },
    ];
    for (const c of cases) await assert.rejects(runIngress(c.argv), c.error, c.desc);
    const w = await world();
    const { log, fields } = capturingLogger();
    const ac = new AbortController();
    const run = runIngress(['--kubeconfig', w.kubeconfig, '--ingress-http-port', '0', '--ingress-https-port', '0', '--metrics-port', '0'],
      { signal: ac.signal, log });
    try {
      await eventually(() => fields('ingress controller running') !== undefined, 10_000, 'running');
      const f = fields('ingress controller running') ?? {};
      const [http, metrics] = [Number(f.httpPort), Number(f.metricsPort)];
      assert.ok(http > 0 && metrics > 0 && metrics !== http, `bound ports logged: ${JSON.stringify(f)}`);
      await eventually(async () => (await get(http, '/', { host: 'm.test' }).catch(() => ({ status: 0 }))).status === 200, 10_000, 'route');
      const m = await get(metrics, '/metrics');
      assert.match(m.text, /nginx_ingress_controller_requests\{status="200"/);
      assert.equal((await get(metrics, '/healthz')).text, 'ok');
    } finally {
      ac.abort();
      await run;
      await w.close();
    }
  });
});

describe('ingress metrics across workers (AggregatorRegistry.aggregate)', () => {
  const route = { host: 'a.test', path: '/', ingress: { namespace: 'default', name: 'web' } };
  const rl = ['host="a.test"', 'status="200"'];

  it('sums counters and histogram buckets, sums and counts; takes min/max of the reload gauges', async () => {
    const regs = [new Registry(), new Registry()];
    const [a, b] = regs.map((r) => new ProxyMetrics(r));
    assert.ok(a !== undefined && b !== undefined);
    for (let i = 0; i < 3; i++) a.record(route, 200, 'GET', 'svc', 0.002, 50, 0.001);
    for (let i = 0; i < 5; i++) b.record(route, 200, 'GET', 'svc', 0.2, 5000, 0.1);
    a.reloadOk.set(1);
    b.reloadOk.set(0);
    a.reloadTimestamp.set(1000);
    b.reloadTimestamp.set(2000);
    a.generation.set(7);
    b.generation.set(4);
    const text = await AggregatorRegistry.aggregate(await Promise.all(regs.map((r) => r.getMetricsAsJSON()))).metrics();
    const d = 'nginx_ingress_controller_request_duration_seconds';
    const cases = [
      { desc: 'request counter', name: 'nginx_ingress_controller_requests', labels: rl, want: 8 },
      { desc: 'duration count', name: `${d}_count`, labels: rl, want: 8 },
      { desc: 'duration sum', name: `${d}_sum`, labels: rl, want: 3 * 0.002 + 5 * 0.2 },
      { desc: 'duration bucket le=0.005 (only a)', name: `${d}_bucket`, labels: [...rl, 'le="0.005"'], want: 3 },
      { desc: 'duration bucket le=0.25 (cumulative, both)', name: `${d}_bucket`, labels: [...rl, 'le="0.25"'], want: 8 },
      { desc: 'duration bucket le=+Inf', name: `${d}_bucket`, labels: [...rl, 'le="+Inf"'], want: 8 },
      { desc: 'response size le=1000 (only a)', name: 'nginx_ingress_controller_response_size_bucket', labels: [...rl, 'le="1000"'], want: 3 },
      { desc: 'upstream latency count', name: 'nginx_ingress_controller_upstream_latency_seconds_count', labels: ['host="a.test"'], want: 8 },
      { desc: 'reload ok: one failing worker shows 0', name: 'nginx_ingress_controller_config_last_reload_successful', labels: [], want: 0 },
      { desc: 'reload timestamp: the latest', name: 'nginx_ingress_controller_config_last_reload_successful_timestamp_seconds', labels: [], want: 2000 },
      { desc: 'generation: the newest', name: 'skiff_ingress_controller_config_generation', labels: [], want: 7 },
    ];
    for (const c of cases) assert.ok(Math.abs(total(text, c.name, c.labels) - c.want) < 1e-9, `${c.desc}: ${total(text, c.name, c.labels)} != ${c.want}`);
  });
});

describe('worker restart backoff', () => {
  it('replaces a long-lived worker at once and backs off on quick deaths in a row', () => {
    const cases = [
      { desc: 'stable worker', quick: 0, lived: STABLE_MS, delay: 0, next: 0 },
      { desc: 'stable worker resets the run of quick deaths', quick: 4, lived: STABLE_MS + 1, delay: 0, next: 0 },
      { desc: 'first quick death', quick: 0, lived: 5, delay: 1000, next: 1 },
      { desc: 'third quick death in a row', quick: 2, lived: 5, delay: 4000, next: 3 },
      { desc: 'capped', quick: 20, lived: 5, delay: MAX_DELAY_MS, next: 21 },
    ];
    for (const c of cases) {
      const r = nextRestart({ quickDeaths: c.quick }, c.lived);
      assert.deepEqual([r.delayMs, r.state.quickDeaths], [c.delay, c.next], c.desc);
    }
  });
});

interface WorkerInfo { slot: number; pid: number; ready: boolean; httpPort?: number }

/** `skiff ingress --ingress-workers 2` as its own process (the primary re-runs its command line in the workers). */
describe('skiff ingress --ingress-workers 2', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const fresh = new Agent({ keepAlive: false });
  const m = ['host="m.test"', 'status="200"'];
  let w: Awaited<ReturnType<typeof world>>;
  let proc: ChildProcess;
  let logs = '';
  let metricsPort = 0;

  const workers = async (): Promise<WorkerInfo[]> => {
    const r = await get(metricsPort, '/healthz').catch(() => undefined);
    return r === undefined ? [] : (JSON.parse(r.text) as { workers: WorkerInfo[] }).workers;
  };
  /** Waits until both slots have a serving worker and 10 fresh connections in a row got 200 (so both route). */
  const allServing = async (): Promise<WorkerInfo[]> => {
    let ws: WorkerInfo[] = [];
    await eventually(async () => { ws = await workers(); return ws.length === 2 && ws.every((x) => x.ready); }, 60_000, 'two ready workers');
    const port = ws[0]?.httpPort ?? 0;
    let inRow = 0;
    await eventually(async () => {
      const r = await get(port, '/', { host: 'ready.test', agent: fresh }).catch(() => ({ status: 0 }));
      inRow = r.status === 200 ? inRow + 1 : 0;
      return inRow >= 10;
    }, 30_000, 'both workers routing');
    return ws;
  };
  const scrape = async (): Promise<string> => {
    const r = await get(metricsPort, '/metrics');
    assert.equal(r.status, 200, r.text);
    return r.text;
  };
  const send = async (port: number, n: number): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await get(port, `/r${i}`, { host: 'm.test', agent: fresh })).status);
    return statuses;
  };

  before(async () => {
    w = await world();
    proc = spawn(process.execPath, [...skiffCli, 'ingress', '--kubeconfig', w.kubeconfig, '--ingress-http-port', '0',
      '--ingress-https-port', '0', '--metrics-port', '0', '--ingress-workers', '2'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (c: Buffer) => { logs += c.toString(); });
    await eventually(() => /ingress metrics listening .*metricsPort=(\d+)/.test(logs), 60_000, 'primary metrics port');
    metricsPort = Number(/ingress metrics listening .*metricsPort=(\d+)/.exec(logs)?.[1]);
  });

  after(async () => {
    const pids = (await workers()).map((x) => x.pid);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    const code = await exited;
    await w.close();
    assert.equal(code, 0, logs);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} stopped with the primary`);
  });

  it('counts every request served by any worker once, and does not sum the gauges', async () => {
    const ws = await allServing();
    const statuses = await send(ws[0]?.httpPort ?? 0, 200);
    assert.deepEqual(statuses.filter((s) => s !== 200), [], 'every request answered 200');
    const text = await scrape();
    const cases = [
      { desc: 'request counter', name: 'nginx_ingress_controller_requests', want: 200 },
      { desc: 'duration histogram count', name: 'nginx_ingress_controller_request_duration_seconds_count', want: 200 },
      { desc: 'duration histogram +Inf bucket', name: 'nginx_ingress_controller_request_duration_seconds_bucket', labels: ['le="+Inf"'], want: 200 },
      { desc: 'last reload successful (1 per worker, not 2)', name: 'nginx_ingress_controller_config_last_reload_successful', want: 1, unlabelled: true },
    ];
    for (const c of cases) assert.equal(total(text, c.name, c.unlabelled === true ? [] : [...m, ...(c.labels ?? [])]), c.want, c.desc);
    const ts = total(text, 'nginx_ingress_controller_config_last_reload_successful_timestamp_seconds', []);
    assert.ok(ts > 0 && ts <= Date.now() / 1000 + 1, `reload timestamp is one worker's, not a sum: ${ts}`);
  });

  it('replaces a worker that dies; the proxy keeps serving and the survivor keeps its counts', async () => {
    const [victim] = await allServing();
    assert.ok(victim !== undefined);
    const port = victim.httpPort ?? 0;
    assert.deepEqual((await send(port, 100)).filter((s) => s !== 200), [], 'every request answered 200');
    const sent = total(await scrape(), 'nginx_ingress_controller_requests', m);
    process.kill(victim.pid, 'SIGKILL');
    await eventually(async () => (await workers()).some((x) => x.slot === victim.slot && x.pid !== victim.pid && x.ready), 60_000, 'replacement');
    assert.match(logs, /ingress worker died, replacing it/);
    const ws = await allServing();
    assert.deepEqual(ws.map((x) => x.httpPort), [port, port], 'the replacement serves the same port');
    const survivor = total(await scrape(), 'nginx_ingress_controller_requests', m);
    assert.ok(survivor > 0 && survivor < sent, `both workers had served (the survivor counted ${survivor} of ${sent})`);
    const statuses = await send(port, 50);
    assert.deepEqual(statuses.filter((s) => s !== 200), [], 'every request answered 200');
    assert.equal(total(await scrape(), 'nginx_ingress_controller_requests', m), survivor + 50);
  });
});
