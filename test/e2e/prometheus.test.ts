/**
 * Acceptance for External HPA metrics through a real Prometheus (Debian's `prometheus` package):
 * the test starts Prometheus on a free loopback port, scraping the echo pods every second through a
 * file_sd targets file it keeps in step with the pods' IPs; `skiff up --prometheus-url
 * --adapter-config` maps `sum(rate(http_requests_total[10s]))` to the External metric
 * `echo_requests_per_second`; an HPA targets 10 requests/s per replica. Under 40 requests/s the
 * HPA must show the external value in currentMetrics and scale up; when load stops, back down.
 * Skips (with a message) only when /usr/bin/prometheus is missing.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Deployment, HorizontalPodAutoscaler, Pod, Service } from '../../core/api/index.js';
import { rawApi, type RawApi } from '../support/api.js';
import { eventually, kubectlFor, repoRoot, startSkiff, tempDir, type RunningSkiff } from '../support/skiff.js';

const PROMETHEUS = '/usr/bin/prometheus';
const missing = existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is missing (apt-get install prometheus); CI installs it`;
const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);
const RPS = 40;

const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && !p.metadata.deletionTimestamp;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** An open-loop HTTP load generator: `rps` requests per second until stopped. */
function startLoad(url: string, rps: number): { stop(): number } {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let ok = 0;
  let due = 0;
  const start = Date.now();
  const timer = setInterval(() => {
    for (const target = Math.floor(((Date.now() - start) / 1000) * rps); due < target; due++) {
      const req = request(url, { agent, timeout: 5000 }, (res) => {
        res.resume();
        if (res.statusCode === 200) ok++;
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => undefined);
      req.end();
    }
  }, 20);
  return { stop: () => (clearInterval(timer), agent.destroy(), ok) };
}

async function getJson<T>(api: RawApi, path: string): Promise<T> {
  const r = await api.call('GET', path);
  assert.equal(r.status, 200, `GET ${path}: ${r.body}`);
  return r.json<T>();
}

const hpaPath = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/echo';
const externalValue = (h: HorizontalPodAutoscaler): number | undefined => {
  const v = h.status?.currentMetrics?.find((m) => m.type === 'External')?.external?.current;
  const q = v?.averageValue ?? v?.value;
  if (q === undefined) return undefined;
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
};

describe('HPA on an External metric from a real Prometheus', { skip: missing }, () => {
  let skiff: RunningSkiff;
  let api: RawApi;
  let prom: ChildProcess | undefined;
  let targets: NodeJS.Timeout | undefined;
  let promUrl = '';
  let lbUrl = '';

  before(async () => {
    const dir = tempDir('skiff-prometheus-');
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const targetsFile = join(dir, 'echo-targets.json');
    writeFileSync(targetsFile, '[]');
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: echo',
      '    scrape_interval: 1s',
      '    file_sd_configs:',
      `      - files: [${JSON.stringify(targetsFile)}]`,
      '        refresh_interval: 1s',
      '',
    ].join('\n'));
    prom = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    await eventually(async () => (await fetch(`${promUrl}/-/ready`)).ok, { timeoutMs: 30_000, intervalMs: 250, what: 'prometheus to be ready' });

    skiff = await startSkiff({
      args: ['--nodes', '1', '--sync-period', '2s', '--prometheus-url', promUrl, '--adapter-config', fixture('autoscaling-prometheus-adapter.yaml')],
      timeoutMs: 60_000,
    });
    api = rawApi(skiff.kubeconfig);
    // Keep Prometheus' targets in step with the ready echo pods (written atomically).
    const refresh = async (): Promise<void> => {
      const pods = (await getJson<{ items: Pod[] }>(api, '/api/v1/namespaces/default/pods?labelSelector=app%3Decho')).items.filter(isReady);
      const t = [{ targets: pods.map((p) => `${p.status?.podIP ?? ''}:8080`).filter((a) => !a.startsWith(':')), labels: { app: 'echo' } }];
      writeFileSync(`${targetsFile}.tmp`, JSON.stringify(t));
      renameSync(`${targetsFile}.tmp`, targetsFile);
    };
    targets = setInterval(() => void refresh().catch(() => undefined), 1000);

    const r = await kubectlFor(skiff)(['apply', '-f', fixture('autoscaling-app.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => {
      const pods = (await getJson<{ items: Pod[] }>(api, '/api/v1/namespaces/default/pods?labelSelector=app%3Decho')).items;
      return pods.filter(isReady).length === 1;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'a ready echo pod' });
    const svc = await eventually(async () => {
      const s = await getJson<Service>(api, '/api/v1/namespaces/default/services/echo');
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined;
    }, { timeoutMs: 20_000, what: 'a load balancer for echo' });
    lbUrl = `http://${svc.status?.loadBalancer?.ingress?.[0]?.ip ?? ''}:8080/`;
    // Prometheus scrapes the pod before the HPA exists, so the series is there from the start.
    await eventually(async () => {
      const q = await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('up{job="echo"}')}`)).json() as { data?: { result?: unknown[] } };
      return (q.data?.result?.length ?? 0) > 0;
    }, { timeoutMs: 20_000, intervalMs: 500, what: 'prometheus to scrape the echo pod' });
    const h = await kubectlFor(skiff)(['apply', '-f', fixture('autoscaling-external-hpa.yaml')]);
    assert.equal(h.code, 0, h.stderr);
  });

  after(async () => {
    if (targets) clearInterval(targets);
    api?.close();
    await skiff?.stop();
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom?.once('exit', r));
      prom.kill('SIGTERM');
      await exited;
    }
  });

  it('shows the external value in currentMetrics and scales up under load, back down after', async () => {
    const idle = await eventually(async () => {
      const hpa = await getJson<HorizontalPodAutoscaler>(api, hpaPath);
      return externalValue(hpa) !== undefined ? hpa : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, what: 'the HPA to read the external metric' });
    assert.equal(idle.status?.desiredReplicas, 1, 'one replica while idle');
    assert.ok((externalValue(idle) ?? Infinity) < 10, `idle request rate below target: ${JSON.stringify(idle.status?.currentMetrics)}`);

    const load = startLoad(lbUrl, RPS);
    let ok = 0;
    try {
      const busy = await eventually(async () => {
        const hpa = await getJson<HorizontalPodAutoscaler>(api, hpaPath);
        const v = externalValue(hpa) ?? 0;
        const dep = await getJson<Deployment>(api, '/apis/apps/v1/namespaces/default/deployments/echo');
        return v > 10 && (dep.spec?.replicas ?? 0) >= 3 ? { hpa, v, replicas: dep.spec?.replicas ?? 0 } : undefined;
      }, { timeoutMs: 40_000, intervalMs: 500, what: 'the external value to rise and replicas to follow' });
      process.stdout.write(`# under ${RPS} req/s: external value ${busy.v}/replica, ${busy.replicas} replicas\n`);
      assert.ok(busy.replicas <= 5, 'never above maxReplicas');
      const m = busy.hpa.status?.currentMetrics?.find((x) => x.type === 'External');
      assert.equal(m?.external?.metric.name, 'echo_requests_per_second');
    } finally {
      ok = load.stop();
    }
    assert.ok(ok > 0, 'requests got answers');
    await eventually(async () => (await getJson<Deployment>(api, '/apis/apps/v1/namespaces/default/deployments/echo')).spec?.replicas === 1, {
      timeoutMs: 60_000, intervalMs: 500, what: 'back to one replica after the load',
    });
  });
});
