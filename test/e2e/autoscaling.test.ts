/**
 * Acceptance for the autoscalers in `skiff up` (issue "autoscalers", end-to-end lines), on the fake
 * cloud: the echo Deployment (1 replica, 200m CPU) with ONE HPA carrying both metrics — CPU 50 %
 * and the pods' `http_requests` rate scraped from /metrics — because two HPAs on one Deployment
 * make the HPA controller refuse to act (AmbiguousSelector). Nodes are small (600m CPU: three echo
 * pods each, node group min 1 max 4), so replicas beyond one node go Pending and the cluster
 * autoscaler adds fake-cloud nodes. A step of load (an in-process open-loop generator at a fixed
 * rate through the Service's fake load balancer) must raise replicas within two sync periods, the
 * extra pods must get nodes and become Ready, and once load stops replicas and nodes come back
 * down after the stabilization window / unneeded time, without flapping.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Deployment, Event, HorizontalPodAutoscaler, Node, Pod, Service } from '../../core/api/index.js';
import { rawApi, type RawApi } from '../support/api.js';
import { eventually, kubectlFor, repoRoot, startSkiff, type RunningSkiff } from '../support/skiff.js';

const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);
const SYNC_MS = 2000;
const STABILIZATION_MS = 10_000;
/**
 * Slack on the two-sync-period bound: the request rate needs a scrape (1 s interval) after the step
 * before it moves, and our own poll of the Deployment runs every 500 ms.
 */
const DECISION_SLACK_MS = 1500;
const LOAD = { rps: 50, cpuMs: 12 };

interface Sample { t: number; replicas: number; ready: number; pending: number; nodes: number }

const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && !p.metadata.deletionTimestamp;
const isUnschedulable = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') === true;
const nodeReady = (n: Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Directions of change in a series of values (+1 up, -1 down), equal neighbours skipped. */
function directions(values: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1] ?? 0;
    const b = values[i] ?? 0;
    if (b !== a) out.push(Math.sign(b - a));
  }
  return out;
}
/** How often a series reverses direction. */
const reversals = (values: number[]): number => directions(values).filter((d, i, ds) => i > 0 && d !== ds[i - 1]).length;

/** An open-loop HTTP load generator: `rps` requests per second (at most 64 in flight) until stopped. */
function startLoad(url: string, rps: number): { stop(): { sent: number; ok: number } } {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let inFlight = 0;
  let sent = 0;
  let ok = 0;
  const fire = (): void => {
    if (inFlight >= 64) return;
    inFlight++;
    sent++;
    const req = request(url, { agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => {
        inFlight--;
        if (res.statusCode === 200) ok++;
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => inFlight--);
    req.end();
  };
  const start = Date.now();
  let due = 0;
  const timer = setInterval(() => {
    const target = Math.floor(((Date.now() - start) / 1000) * rps);
    while (due < target) {
      fire();
      due++;
    }
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      agent.destroy();
      return { sent, ok };
    },
  };
}

async function list<T>(api: RawApi, path: string): Promise<T[]> {
  const r = await api.call('GET', path);
  assert.equal(r.status, 200, `GET ${path}: ${r.body}`);
  return r.json<{ items: T[] }>().items;
}

async function sample(api: RawApi): Promise<Sample> {
  const [dep, pods, nodes] = await Promise.all([
    api.call('GET', '/apis/apps/v1/namespaces/default/deployments/echo').then((r) => r.json<Deployment>()),
    list<Pod>(api, '/api/v1/namespaces/default/pods?labelSelector=app%3Decho'),
    list<Node>(api, '/api/v1/nodes'),
  ]);
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  return {
    t: Date.now(),
    replicas: dep.spec?.replicas ?? 0,
    ready: live.filter(isReady).length,
    pending: live.filter(isUnschedulable).length,
    nodes: nodes.filter(nodeReady).length,
  };
}

describe('autoscaling end to end: HPA on CPU and request rate, cluster autoscaler on the fake cloud', () => {
  let skiff: RunningSkiff;
  let api: RawApi;
  let lbUrl = '';
  const series: Sample[] = [];
  let poller: NodeJS.Timeout | undefined;
  let loadStart = 0;
  let loadStop = 0;

  before(async () => {
    skiff = await startSkiff({
      args: ['--nodes', '0', '--sync-period', `${SYNC_MS / 1000}s`, '--scan-interval', '1s', '--scale-down-unneeded-time', '10s'],
      timeoutMs: 60_000,
    });
    api = rawApi(skiff.kubeconfig);
    const kubectl = kubectlFor(skiff);
    for (const f of ['autoscaling-nodegroup.yaml', 'autoscaling-app.yaml']) {
      const r = await kubectl(['apply', '-f', fixture(f)]);
      assert.equal(r.code, 0, r.stderr);
    }
    await eventually(async () => (await sample(api)).ready === 1, { timeoutMs: 60_000, intervalMs: 500, what: 'one ready echo pod on the node group' });
    const svc = await eventually(async () => {
      const s = (await api.call('GET', '/api/v1/namespaces/default/services/echo')).json<Service>();
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined;
    }, { timeoutMs: 20_000, what: 'a load balancer for echo' });
    lbUrl = `http://${svc.status?.loadBalancer?.ingress?.[0]?.ip ?? ''}:8080/?cpu_ms=${LOAD.cpuMs}`;
    const r = await kubectl(['apply', '-f', fixture('autoscaling-hpa.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    // Wait until the HPA sees both metrics at rest, so the step is the only thing that moves it.
    await eventually(async () => {
      const h = (await api.call('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/echo')).json<HorizontalPodAutoscaler>();
      return (h.status?.currentMetrics?.length ?? 0) === 2;
    }, { timeoutMs: 30_000, intervalMs: 500, what: 'the HPA to report both metrics' });
    poller = setInterval(() => void sample(api).then((s) => series.push(s), () => undefined), 500);
    await eventually(() => series.length > 0, { timeoutMs: 10_000, what: 'a first sample' });
    // A starting Node.js process burns CPU for a moment; on a busy machine the HPA may react to that
    // before the step (as Kubernetes' would once the pod is Ready). Wait until it is back at rest.
    await eventually(() => {
      const last = series.slice(-4);
      return last.length === 4 && last.every((x) => x.replicas === 1 && x.ready === 1 && x.pending === 0);
    }, { timeoutMs: 90_000, intervalMs: 500, what: 'the HPA at rest on one replica before the load step' });
  });

  after(async () => {
    if (poller) clearInterval(poller);
    // The recorded series (seconds from the load step: replicas/ready/pending/nodes), for diagnosis.
    const t0 = loadStart || (series[0]?.t ?? 0);
    const changes = series.filter((s, i) => i === 0 || JSON.stringify({ ...s, t: 0 }) !== JSON.stringify({ ...series[i - 1], t: 0 }));
    process.stdout.write(`# series: ${changes.map((s) => `${((s.t - t0) / 1000).toFixed(1)}s ${s.replicas}/${s.ready}/${s.pending}/${s.nodes}`).join(', ')}\n`);
    api?.close();
    await skiff?.stop();
  });

  it('raises replicas within two sync periods of a load step; extra pods go Pending, the cluster autoscaler adds nodes, all pods become Ready', async () => {
    const before = series.at(-1);
    assert.equal(before?.replicas, 1, 'one replica before the load');
    loadStart = Date.now();
    const load = startLoad(lbUrl, LOAD.rps);
    try {
      const firstUp = await eventually(() => series.find((s) => s.t >= loadStart && s.replicas > 1), { timeoutMs: 30_000, intervalMs: 100, what: 'a scale-up' });
      const decisionMs = firstUp.t - loadStart;
      process.stdout.write(`# load step → first scale-up seen: ${decisionMs} ms (sync period ${SYNC_MS} ms)\n`);
      assert.ok(decisionMs <= 2 * SYNC_MS + DECISION_SLACK_MS, `scale-up ${decisionMs} ms after the step, bound ${2 * SYNC_MS} ms + ${DECISION_SLACK_MS} ms slack`);

      const events = await list<Event>(api, '/api/v1/namespaces/default/events');
      assert.ok(events.some((e) => e.reason === 'SuccessfulRescale' && e.involvedObject.name === 'echo'), 'a SuccessfulRescale event on the HPA');

      // A fast node boot can leave pods Pending for less than one 500 ms poll, so the scheduler's
      // FailedScheduling event on an echo pod counts as well.
      await eventually(async () => series.some((s) => s.t >= loadStart && s.pending > 0) ||
        (await list<Event>(api, '/api/v1/namespaces/default/events')).some((e) => e.reason === 'FailedScheduling' && e.involvedObject.name?.startsWith('echo-') === true),
      { timeoutMs: 20_000, intervalMs: 250, what: 'pods beyond capacity to go Pending' });
      await eventually(async () => (await list<Event>(api, '/api/v1/namespaces/default/events')).some((e) => e.reason === 'TriggeredScaleUp'), { timeoutMs: 20_000, intervalMs: 500, what: 'a TriggeredScaleUp event' });
      const settled = await eventually(async () => {
        const s = await sample(api);
        return s.nodes > 1 && s.replicas > 3 && s.ready === s.replicas && s.pending === 0 ? s : undefined;
      }, { timeoutMs: 45_000, intervalMs: 500, what: 'more nodes and every replica Ready' });
      process.stdout.write(`# under load: ${settled.replicas} replicas ready on ${settled.nodes} nodes, ${Date.now() - loadStart} ms after the step\n`);
      // Hold the load a little longer so a flap would show in the series.
      await new Promise((r) => setTimeout(r, 4000));
    } finally {
      loadStop = Date.now();
      const { sent, ok } = load.stop();
      assert.ok(ok > sent / 2, `most requests succeed (${ok}/${sent})`);
    }
    const phase = series.filter((s) => s.t >= loadStart && s.t <= loadStop).map((s) => s.replicas);
    assert.ok(reversals(phase) <= 1, `replicas changed direction at most once under load: ${phase.join(',')}`);
  });

  it('brings replicas back down after the stabilization window and removes the extra nodes, without flapping', async () => {
    assert.ok(loadStop > 0, 'the load phase ran');
    const peak = series.at(-1)?.replicas ?? 0;
    const firstDown = await eventually(() => series.find((s) => s.t >= loadStop && s.replicas < peak), { timeoutMs: 40_000, intervalMs: 250, what: 'a scale-down' });
    const downMs = firstDown.t - loadStop;
    process.stdout.write(`# load stop → first scale-down seen: ${downMs} ms (stabilization window ${STABILIZATION_MS} ms)\n`);
    assert.ok(downMs >= STABILIZATION_MS - 500, `scale-down ${downMs} ms after load stopped, not before the ${STABILIZATION_MS} ms window`);
    await eventually(() => (series.at(-1)?.replicas ?? 0) === 1, { timeoutMs: 40_000, intervalMs: 250, what: 'back to one replica' });
    await eventually(() => (series.at(-1)?.nodes ?? 0) === 1, { timeoutMs: 60_000, intervalMs: 500, what: 'the extra nodes removed' });
    const quiet = series.filter((s) => s.t > loadStop).map((s) => s.replicas);
    assert.ok(reversals(quiet) <= 1, `replicas changed direction at most once after load: ${quiet.join(',')}`);
    assert.ok(directions(quiet).every((d) => d < 0), `replicas only went down after load: ${quiet.join(',')}`);
    const nodeGroups = await api.call('GET', '/apis/skiff.dev/v1alpha1/nodegroups/small');
    assert.equal(nodeGroups.status, 200);
  });
});
