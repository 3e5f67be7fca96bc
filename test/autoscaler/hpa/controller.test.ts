import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHpaController } from '../../../autoscaler/index.js';
import type { MetricsSources, PodUsage } from '../../../autoscaler/metrics/index.js';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { createNamespace, startServer, token, type Harness } from '../../core/apiserver/harness.js';

const NS = 'default';

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function ok(h: Harness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await h.req(method, path, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

function deployment(replicas: number): Record<string, unknown> {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'echo', resources: { requests: { cpu: '500m' } } }] } };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template } };
}

async function runningPod(h: Harness, name: string, now: number): Promise<void> {
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'echo', resources: { requests: { cpu: '500m' } } }] },
  };
  const created = await ok(h, 'POST', `/api/v1/namespaces/${NS}/pods`, pod);
  const since = new Date(now - 600_000).toISOString();
  const status = { phase: 'Running', podIP: '127.0.0.1', startTime: since, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] };
  await ok(h, 'PUT', `/api/v1/namespaces/${NS}/pods/${name}/status`, { ...created, status });
}

/** A resource source stub: every pod uses `cpuMilli`, or the source fails when `fail` is set. */
function stubSources(clock: FakeClock, state: { cpuMilli: number; fail?: string }): MetricsSources {
  return {
    resource: {
      podUsage: (): Promise<Map<string, PodUsage>> => {
        if (state.fail) return Promise.reject(new Error(state.fail));
        const usage = (): PodUsage => ({ containers: { web: { cpuMilli: state.cpuMilli, memoryBytes: 1 << 20 } }, timestamp: clock.now(), windowSeconds: 30 });
        return Promise.resolve(new Map([['web-0', usage()], ['web-1', usage()]]));
      },
    },
  };
}

interface EventLike { reason: string; message: string; type: string }

test('the HPA controller scales a Deployment through its scale subresource, writes status, events and the decision annotation', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'horizontal-pod-autoscaler', clock, log: silentLogger });
  const metricState: { cpuMilli: number; fail?: string } = { cpuMilli: 500 };
  try {
    await createNamespace(h, NS);
    await ok(h, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment(2));
    await runningPod(h, 'web-0', clock.now());
    await runningPod(h, 'web-1', clock.now());
    await ok(h, 'POST', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: NS },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    });
    const started = startHpaController({ client, informers, recorder, clock, log: silentLogger, signal: stop.signal, syncPeriodMs: 15_000, sources: stubSources(clock, metricState) });

    // 2 pods at 100% of request against a 50% target → 4 replicas.
    await until('scale to 4', async () => (await ok(h, 'GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).spec !== undefined
      && ((await ok(h, 'GET', `/apis/apps/v1/namespaces/${NS}/deployments/web/scale`)).spec as { replicas: number }).replicas === 4);
    const hpa = await until('status and annotation', async () => {
      const o = await ok(h, 'GET', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/web`) as {
        metadata: { annotations?: Record<string, string> };
        status?: { currentReplicas?: number; desiredReplicas: number; lastScaleTime?: string; currentMetrics?: { resource?: { current: { averageUtilization?: number } } }[]; conditions?: { type: string; status: string; reason: string }[] };
      };
      return o.status?.desiredReplicas === 4 && o.metadata.annotations?.['autoscaling.skiff.dev/last-decision'] ? o : undefined;
    });
    assert.equal(hpa.status?.currentReplicas, 2);
    assert.ok(hpa.status?.lastScaleTime, 'lastScaleTime set');
    assert.equal(hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization, 100);
    const able = hpa.status?.conditions?.find((c) => c.type === 'AbleToScale');
    assert.deepEqual([able?.status, able?.reason], ['True', 'SucceededRescale']);
    assert.equal(hpa.status?.conditions?.find((c) => c.type === 'ScalingActive')?.status, 'True');
    const decision = JSON.parse(hpa.metadata.annotations?.['autoscaling.skiff.dev/last-decision'] ?? '{}') as { replicas: number; time: string; explanation: string };
    assert.equal(decision.replicas, 4);
    assert.equal(decision.time, new Date(clock.now()).toISOString());
    assert.match(decision.explanation, /cpu 100% of target 50%.*scaling 2 → 4/);

    await recorder.flush();
    const events = async (): Promise<EventLike[]> => ((await ok(h, 'GET', `/api/v1/namespaces/${NS}/events`)).items as EventLike[]);
    const rescale = (await events()).find((e) => e.reason === 'SuccessfulRescale');
    assert.equal(rescale?.message, 'New size: 4; reason: cpu resource utilization (percentage of request) above target');
    assert.ok((await events()).some((e) => e.reason === 'ScalingDecision' && e.message === decision.explanation), 'explanation event');

    // The next sync (one period later) cannot read metrics: a Warning event and ScalingActive=False, no scale change.
    metricState.fail = 'metrics API down';
    const failed = await until('ScalingActive=False', async () => {
      // Step a whole sync period each time: the requeue may be registered just after the annotation is visible.
      await clock.advance(15_000);
      const o = await ok(h, 'GET', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/web`) as { status?: { conditions?: { type: string; status: string; reason: string }[] } };
      const c = o.status?.conditions?.find((x) => x.type === 'ScalingActive');
      return c?.status === 'False' ? c : undefined;
    });
    assert.equal(failed.reason, 'FailedGetResourceMetric');
    await recorder.flush();
    const warn = await until('FailedGetResourceMetric event', async () => (await events()).find((e) => e.reason === 'FailedGetResourceMetric'));
    assert.equal(warn.type, 'Warning');
    assert.match(warn.message, /metrics API down/);
    assert.equal(((await ok(h, 'GET', `/apis/apps/v1/namespaces/${NS}/deployments/web/scale`)).spec as { replicas: number }).replicas, 4);

    stop.abort();
    await started.done;
  } finally {
    stop.abort();
    client.close();
    await h.close();
  }
});

test('the HPA controller reports a missing scale target with FailedGetScale', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'horizontal-pod-autoscaler', clock, log: silentLogger });
  try {
    await createNamespace(h, NS);
    await ok(h, 'POST', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'ghost', namespace: NS },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing' }, maxReplicas: 3 },
    });
    const started = startHpaController({ client, informers, recorder, clock, log: silentLogger, signal: stop.signal, sources: stubSources(clock, { cpuMilli: 1 }) });
    const cond = await until('AbleToScale=False', async () => {
      const o = await ok(h, 'GET', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/ghost`) as { status?: { conditions?: { type: string; status: string; reason: string; message: string }[] } };
      return o.status?.conditions?.find((c) => c.type === 'AbleToScale' && c.status === 'False');
    });
    assert.equal(cond.reason, 'FailedGetScale');
    assert.match(cond.message, /unable to get the target's current scale: .*missing/);
    await recorder.flush();
    const events = (await ok(h, 'GET', `/api/v1/namespaces/${NS}/events`)).items as EventLike[];
    assert.ok(events.some((e) => e.reason === 'FailedGetScale' && e.type === 'Warning'), JSON.stringify(events));
    stop.abort();
    await started.done;
  } finally {
    stop.abort();
    client.close();
    await h.close();
  }
});
