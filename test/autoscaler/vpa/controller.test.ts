import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VpaRecommender, VpaUpdater, vpaTarget } from '../../../autoscaler/index.js';
import type { PodUsage, ResourceMetricsReader } from '../../../autoscaler/metrics/index.js';
import { quantityToInt, quantityToMilli } from '../../../core/api/index.js';
import type { VerticalPodAutoscaler } from '../../../core/api/index.js';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { createNamespace, startServer, token, type Harness } from '../../core/apiserver/harness.js';

const NS = 'default';

async function ok(h: Harness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await h.req(method, path, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

const requests = { cpu: '100m', memory: '200Mi' };

async function setup(h: Harness, pods: number, extraStatus: (i: number) => Record<string, unknown> = () => ({})): Promise<void> {
  await createNamespace(h, NS);
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'echo', resources: { requests } }] } };
  await ok(h, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: pods, selector: { matchLabels: { app: 'web' } }, template },
  });
  for (let i = 0; i < pods; i++) {
    const created = await ok(h, 'POST', `/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: NS, labels: { app: 'web' } }, spec: template.spec });
    await ok(h, 'PUT', `/api/v1/namespaces/${NS}/pods/web-${i}/status`, { ...created, status: { phase: 'Running', podIP: '127.0.0.1', ...extraStatus(i) } });
  }
}

async function createVpa(h: Harness, spec: Record<string, unknown>, status?: Record<string, unknown>): Promise<void> {
  const created = await ok(h, 'POST', `/apis/autoscaling.k8s.io/v1/namespaces/${NS}/verticalpodautoscalers`, {
    apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'web', namespace: NS },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...spec },
  });
  if (status) await ok(h, 'PUT', `/apis/autoscaling.k8s.io/v1/namespaces/${NS}/verticalpodautoscalers/web/status`, { ...created, status });
}

function wire(h: Harness, clock: FakeClock): { client: KubeClient; informers: SharedInformerFactory; recorder: EventRecorder } {
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'vpa', clock, log: silentLogger });
  return { client, informers, recorder };
}

/** Every listed pod uses 250m CPU and 100Mi memory, reported now over a 10 s window. */
function usageSource(clock: FakeClock, pods: string[]): ResourceMetricsReader {
  return {
    podUsage: () => Promise.resolve(new Map(pods.map((p): [string, PodUsage] => [p, { containers: { web: { cpuMilli: 250, memoryBytes: 100 * 2 ** 20 } }, timestamp: clock.now(), windowSeconds: 10 }]))),
  };
}

interface VpaStatus {
  recommendation?: { containerRecommendations?: { containerName: string; target: Record<string, string>; lowerBound: Record<string, string>; upperBound: Record<string, string> }[] };
  conditions?: { type: string; status: string; message?: string }[];
}

test('the VPA recommender samples usage and OOM kills into histories and writes status.recommendation', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const { client, informers } = wire(h, clock);
  try {
    const oom = { containerStatuses: [{ name: 'web', ready: true, restartCount: 1, image: 'echo', imageID: '', lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: new Date(clock.now()).toISOString() } } }] };
    await setup(h, 2, (i) => (i === 0 ? oom : {}));
    await createVpa(h, { updatePolicy: { updateMode: 'Off' } });
    const recommender = new VpaRecommender({ client, informers, clock, log: silentLogger, resource: usageSource(clock, ['web-0', 'web-1']) });
    informers.start(stop.signal);
    await informers.waitForSync(stop.signal);
    for (let i = 0; i < 10; i++) {
      await recommender.runOnce(stop.signal);
      await clock.advance(10_000);
    }
    const vpa = await ok(h, 'GET', `/apis/autoscaling.k8s.io/v1/namespaces/${NS}/verticalpodautoscalers/web`) as { status?: VpaStatus };
    const rec = vpa.status?.recommendation?.containerRecommendations?.[0];
    assert.equal(rec?.containerName, 'web');
    const cpu = quantityToMilli(rec?.target.cpu ?? '0');
    assert.ok(cpu >= 250 && cpu <= 400, `cpu target ${rec?.target.cpu ?? ''} near the 250m usage plus margin`);
    // The OOM kill at a 200Mi request bumps memory to at least 200Mi + 100Mi.
    assert.ok(quantityToInt(rec?.target.memory ?? '0') >= 300 * 2 ** 20, `memory target ${rec?.target.memory ?? ''} includes the OOM bump`);
    assert.ok(quantityToMilli(rec?.lowerBound.cpu ?? '0') <= cpu && cpu <= quantityToMilli(rec?.upperBound.cpu ?? '0'), 'bounds enclose target');
    const cond = vpa.status?.conditions?.find((c) => c.type === 'RecommendationProvided');
    assert.equal(cond?.status, 'True');
    assert.match(cond?.message ?? '', /web: target cpu/);
  } finally {
    stop.abort();
    client.close();
    await h.close();
  }
});

const recommended = { recommendation: { containerRecommendations: [{ containerName: 'web', target: { cpu: '500m' }, lowerBound: { cpu: '400m' }, upperBound: { cpu: '600m' } }] } };

const updaterCases: { description: string; pods: number; updatePolicy: Record<string, unknown>; evicted: number; budget?: number }[] = [
  { description: 'Auto with 4 pods outside bounds evicts half of them (tolerance 50%)', pods: 4, updatePolicy: { updateMode: 'Auto' }, evicted: 2 },
  { description: 'Recreate with 2 pods evicts one (at least one, never all)', pods: 2, updatePolicy: { updateMode: 'Recreate' }, evicted: 1 },
  { description: 'fewer live pods than minReplicas evicts nothing', pods: 3, updatePolicy: { updateMode: 'Auto', minReplicas: 4 }, evicted: 0 },
  { description: 'mode Initial never evicts', pods: 4, updatePolicy: { updateMode: 'Initial' }, evicted: 0 },
  { description: 'a disruption budget allowing one disruption lets one of two go (the eviction answers 429 to the other)', pods: 4, updatePolicy: { updateMode: 'Auto' }, evicted: 1, budget: 1 },
  { description: 'a disruption budget allowing none keeps every pod', pods: 4, updatePolicy: { updateMode: 'Auto' }, evicted: 0, budget: 0 },
];

/** A budget over the `web` pods whose status (as the disruption controller writes it) allows `allowed` disruptions. */
async function createBudget(h: Harness, pods: number, allowed: number): Promise<void> {
  const created = await ok(h, 'POST', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`, {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: pods - allowed, selector: { matchLabels: { app: 'web' } } },
  });
  const status = { observedGeneration: (created.metadata as { generation: number }).generation, disruptionsAllowed: allowed, currentHealthy: pods, desiredHealthy: pods - allowed, expectedPods: pods };
  await ok(h, 'PUT', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/web/status`, { ...created, status });
}

for (const c of updaterCases) {
  test(`VPA updater: ${c.description}`, async () => {
    const h = await startServer();
    const clock = new FakeClock();
    const stop = new AbortController();
    const { client, informers, recorder } = wire(h, clock);
    try {
      await setup(h, c.pods, c.budget === undefined ? undefined : () => ({ conditions: [{ type: 'Ready', status: 'True' }] }));
      if (c.budget !== undefined) await createBudget(h, c.pods, c.budget);
      await createVpa(h, { updatePolicy: c.updatePolicy }, recommended);
      const updater = new VpaUpdater({ client, informers, recorder, clock, log: silentLogger });
      informers.start(stop.signal);
      await informers.waitForSync(stop.signal);
      // The informer may not have seen the status write yet: wait until the VPA carries its recommendation.
      for (let i = 0; i < 100 && !(informers.informerFor<VerticalPodAutoscaler>(vpaTarget).list()[0]?.status?.recommendation); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const evicted = await updater.runOnce(stop.signal);
      assert.equal(evicted.length, c.evicted);
      const left = (await ok(h, 'GET', `/api/v1/namespaces/${NS}/pods`)).items as unknown[];
      assert.equal(left.length, c.pods - c.evicted);
      if (c.evicted > 0) {
        await recorder.flush();
        const events = (await ok(h, 'GET', `/api/v1/namespaces/${NS}/events`)).items as { reason: string }[];
        assert.equal(events.filter((e) => e.reason === 'EvictedByVPA').length, c.evicted);
      }
    } finally {
      stop.abort();
      client.close();
      await h.close();
    }
  });
}
