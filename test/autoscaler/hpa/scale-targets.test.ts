/**
 * The HPA scales whatever has a scale subresource (StatefulSets, ReplicationControllers, custom
 * resources), found through discovery, and autoscaling/v1 HPAs (the docs' targetCPUUtilizationPercentage)
 * drive it as v2 ones do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHpaController } from '../../../autoscaler/index.js';
import type { MetricsSources, PodUsage } from '../../../autoscaler/metrics/index.js';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { createNamespace, startServer, token, type Harness } from '../../core/apiserver/harness.js';

const NS = 'default';
const labels = { app: 'web' };
const podSpec = { containers: [{ name: 'web', image: 'echo', resources: { requests: { cpu: '500m' } } }] };
const template = { metadata: { labels }, spec: podSpec };

async function call(h: Harness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await h.req(method, path, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'shards.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'shards', singular: 'shard', kind: 'Shard' },
    versions: [{
      name: 'v1', served: true, storage: true,
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } }, status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } } } } },
    }],
  },
};

const targets: { kind: string; apiVersion: string; path: string; create: (h: Harness) => Promise<void> }[] = [
  {
    kind: 'StatefulSet', apiVersion: 'apps/v1', path: `/apis/apps/v1/namespaces/${NS}/statefulsets/web`,
    create: async (h) => { await call(h, 'POST', `/apis/apps/v1/namespaces/${NS}/statefulsets`, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { replicas: 2, serviceName: 'web', selector: { matchLabels: labels }, template } }); },
  },
  {
    kind: 'ReplicationController', apiVersion: 'v1', path: `/api/v1/namespaces/${NS}/replicationcontrollers/web`,
    create: async (h) => { await call(h, 'POST', `/api/v1/namespaces/${NS}/replicationcontrollers`, { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web' }, spec: { replicas: 2, selector: labels, template } }); },
  },
  {
    kind: 'Shard', apiVersion: 'example.com/v1', path: `/apis/example.com/v1/namespaces/${NS}/shards/web`,
    create: async (h) => {
      await call(h, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd);
      const created = await (async () => {
        for (let i = 0; i < 100; i++) {
          const r = await h.req('POST', `/apis/example.com/v1/namespaces/${NS}/shards`, { apiVersion: 'example.com/v1', kind: 'Shard', metadata: { name: 'web' }, spec: { replicas: 2 } });
          if (r.status === 201) return r.body as Record<string, unknown>;
          await new Promise((res) => setTimeout(res, 50));
        }
        throw new Error('the CRD was never served');
      })();
      await call(h, 'PUT', `/apis/example.com/v1/namespaces/${NS}/shards/web/status`, { ...created, status: { replicas: 2, selector: 'app=web' } });
    },
  },
];

function sources(clock: FakeClock): MetricsSources {
  const usage = (): PodUsage => ({ containers: { web: { cpuMilli: 500, memoryBytes: 1 << 20 } }, timestamp: clock.now(), windowSeconds: 30 });
  return { resource: { podUsage: () => Promise.resolve(new Map([['web-0', usage()], ['web-1', usage()]])) } };
}

for (const t of targets) {
  test(`an autoscaling/v1 HPA scales a ${t.kind} through its scale subresource`, async () => {
    const h = await startServer();
    const clock = new FakeClock();
    const stop = new AbortController();
    const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
    const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
    const recorder = new EventRecorder({ client, component: 'horizontal-pod-autoscaler', clock, log: silentLogger });
    try {
      await createNamespace(h, NS);
      await t.create(h);
      const since = new Date(clock.now() - 600_000).toISOString();
      for (const name of ['web-0', 'web-1']) {
        const created = await call(h, 'POST', `/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: podSpec });
        await call(h, 'PUT', `/api/v1/namespaces/${NS}/pods/${name}/status`, { ...created, status: { phase: 'Running', podIP: '127.0.0.1', startTime: since, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } });
      }
      await call(h, 'POST', `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers`, {
        apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: t.apiVersion, kind: t.kind, name: 'web' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 },
      });
      const started = startHpaController({ client, informers, recorder, clock, log: silentLogger, signal: stop.signal, syncPeriodMs: 15_000, sources: sources(clock) });
      // 2 pods at 100% of their request against a 50% target → 4.
      const deadline = Date.now() + 20_000;
      let replicas = 0;
      while (Date.now() < deadline) {
        replicas = ((await call(h, 'GET', `${t.path}/scale`)).spec as { replicas: number }).replicas;
        if (replicas === 4) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(replicas, 4);
      const v1 = await call(h, 'GET', `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers/web`) as { status?: { desiredReplicas?: number; currentCPUUtilizationPercentage?: number } };
      const deadline2 = Date.now() + 10_000;
      let st = v1.status;
      while (st?.currentCPUUtilizationPercentage === undefined && Date.now() < deadline2) {
        await new Promise((r) => setTimeout(r, 50));
        st = (await call(h, 'GET', `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers/web`) as typeof v1).status;
      }
      assert.deepEqual([st?.desiredReplicas, st?.currentCPUUtilizationPercentage], [4, 100], 'the v1 view shows the v2 status');
      stop.abort();
      await started.done;
    } finally {
      stop.abort();
      client.close();
      await h.close();
    }
  });
}
