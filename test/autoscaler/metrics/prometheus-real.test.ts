import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusMetricsSource } from '../../../autoscaler/metrics/index.js';
import type { PrometheusRule } from '../../../autoscaler/metrics/index.js';

const binary = spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).error === undefined ? 'prometheus' : undefined;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const rules: PrometheusRule[] = [
  {
    seriesQuery: 'http_requests_total{namespace!="",pod!=""}',
    resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
    name: { matches: '^(.*)_total$', as: '${1}' },
    metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[5s])) by (<<.GroupBy>>)',
  },
  { seriesQuery: 'queue_depth', resources: { overrides: { namespace: { resource: 'namespace' } } }, metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)' },
];

test('PrometheusMetricsSource against a real Prometheus scraping a loopback app', { skip: binary ? false : 'the prometheus binary is not installed (apt-get install prometheus)' }, async () => {
  // Every scrape of the app adds 10 requests to the counter; the gauge is constant.
  let requests = 0;
  const app = createServer((req, res) => {
    requests += 10;
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${requests}\n# TYPE queue_depth gauge\nqueue_depth 42\n`);
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  const appPort = (app.address() as AddressInfo).port;
  const dir = await mkdtemp(join(tmpdir(), 'skiff-prometheus-'));
  const port = await freePort();
  const config = [
    'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
    'scrape_configs:', '  - job_name: app', '    static_configs:',
    `      - targets: ['127.0.0.1:${appPort}']`, '        labels: { namespace: default, pod: web-0 }', '',
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  const proc = spawn(binary ?? 'prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  try {
    await poll('prometheus target up', async () => {
      const r = await fetch(`${url}/api/v1/targets`);
      const body = (await r.json()) as { data?: { activeTargets?: { health: string }[] } };
      return body.data?.activeTargets?.[0]?.health === 'up' ? true : undefined;
    }).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\nprometheus stderr:\n${stderr}`);
    });
    const source = new PrometheusMetricsSource({ url, rules });
    const rate = await poll('a request rate', async () => {
      const v = await source.object('default', { kind: 'Pod', name: 'web-0' }, { name: 'http_requests' });
      return v > 0 ? v : undefined;
    });
    assert.ok(Number.isFinite(rate) && rate > 0, `rate ${rate}`);
    assert.deepEqual(await source.external('default', { name: 'queue_depth' }), [42]);
    await assert.rejects(source.external('other-namespace', { name: 'queue_depth' }), /no matching metrics/);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    app.close();
    await rm(dir, { recursive: true, force: true });
  }
});
