import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../core/api/index.js';
import type { ResourceRef } from '../../../core/store/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness, Stream } from './harness.js';

const configmaps: ResourceRef = { group: '', plural: 'configmaps', namespaced: true };
const hpas: ResourceRef = { group: 'autoscaling', plural: 'horizontalpodautoscalers', namespaced: true };
const tableAccept = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };

const cm = (name: string, labels: Record<string, string>, namespace = 'default'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { k: name } });

function hpa(name: string, cpu: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }],
    },
  };
}

/** Opens watches from the current revision; resolves once each is established (its first bookmark arrived). */
async function openWatches(h: Harness, paths: readonly string[], headers: Record<string, string> = {}): Promise<Stream[]> {
  const rv = String(await h.store.backend.revision());
  const query = `watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=30`;
  const streams = await Promise.all(paths.map((p) => h.stream(`${p}${p.includes('?') ? '&' : '?'}${query}`, headers)));
  await Promise.all(streams.map((s) => s.waitFor(1)));
  for (const s of streams) {
    assert.deepEqual(s.events.map((e) => e.type), ['BOOKMARK']);
    s.events.length = 0;
  }
  return streams;
}

/** JSON.stringify calls made while `write` runs synchronously (the memory backend fans out inside the call). */
async function stringifyCalls(write: () => Promise<unknown>): Promise<number> {
  const spy = mock.method(JSON, 'stringify');
  let pending: Promise<unknown>;
  try {
    pending = write();
  } finally {
    spy.mock.restore();
  }
  await pending;
  return spy.mock.callCount();
}

async function withServer(fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startServer({ bookmarkIntervalMs: 600_000 });
  try {
    await createNamespace(h, 'default');
    await createNamespace(h, 'other');
    await fn(h);
  } finally {
    await h.close();
  }
}

const summary = (s: Stream): string[] => s.events.map((e) => `${e.type} ${e.object.metadata?.name ?? e.object.kind}`);

describe('apiserver watch fan-out', () => {
  it('many watchers with different selectors on one stream each get exactly their events', async () => {
    const cases = [
      { description: 'every namespace', path: '/api/v1/configmaps', want: ['ADDED a', 'ADDED b', 'MODIFIED a', 'ADDED c', 'DELETED a'] },
      { description: 'namespace default', path: '/api/v1/namespaces/default/configmaps', want: ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED a'] },
      { description: 'namespace other', path: '/api/v1/namespaces/other/configmaps', want: ['ADDED c'] },
      { description: 'app=web: a leaves when relabelled', path: '/api/v1/configmaps?labelSelector=app%3Dweb', want: ['ADDED a', 'DELETED a', 'ADDED c'] },
      { description: 'app=db: a enters when relabelled', path: '/api/v1/configmaps?labelSelector=app%3Ddb', want: ['ADDED b', 'ADDED a', 'DELETED a'] },
      { description: 'field selector on the name', path: '/api/v1/configmaps?fieldSelector=metadata.name%3Db', want: ['ADDED b'] },
      { description: 'one object by path', path: '/api/v1/namespaces/default/configmaps/a', want: ['ADDED a', 'MODIFIED a', 'DELETED a'] },
      { description: 'no match', path: '/api/v1/configmaps?labelSelector=app%3Dnone', want: [] },
    ];
    await withServer(async (h) => {
      const streams = await openWatches(h, cases.map((c) => c.path));
      const a = await h.store.create(configmaps, cm('a', { app: 'web' }));
      await h.store.create(configmaps, cm('b', { app: 'db' }));
      await h.store.update(configmaps, { ...a, metadata: { ...a.metadata, labels: { app: 'db' } } });
      await h.store.create(configmaps, cm('c', { app: 'web' }, 'other'));
      await h.store.delete(configmaps, 'default', 'a');
      await Promise.all(streams.map((s, i) => s.waitFor(cases[i]?.want.length ?? 0)));
      for (const [i, c] of cases.entries()) assert.deepEqual(summary(streams[i] as Stream), c.want, c.description);
      const leftWeb = streams[3]?.events[1];
      assert.deepEqual(leftWeb?.object.metadata.labels, { app: 'web' }, 'DELETED on leaving the selector carries the previous state');
      for (const s of streams) s.close();
    });
  });

  it('encodes each change once for all plain watchers; Table watchers still get Tables', async () => {
    await withServer(async (h) => {
      const quiet = await stringifyCalls(() => h.store.create(configmaps, cm('quiet', { app: 'web' })));
      const paths = ['/api/v1/configmaps', '/api/v1/namespaces/default/configmaps', '/api/v1/configmaps?labelSelector=app%3Dweb', '/api/v1/namespaces/default/configmaps/x'];
      const plain = await openWatches(h, [...paths, ...paths]);
      const calls = await stringifyCalls(() => h.store.create(configmaps, cm('x', { app: 'web' })));
      assert.equal(calls, quiet + 1, `one line for ${plain.length} watchers (JSON.stringify calls: ${calls} with them, ${quiet} with none)`);
      await Promise.all(plain.map((s) => s.waitFor(1)));
      for (const s of plain) assert.deepEqual(s.events, plain[0]?.events);
      assert.deepEqual(plain[0]?.events[0]?.object.data, { k: 'x' });

      const tables = await openWatches(h, ['/api/v1/configmaps', '/api/v1/configmaps'], tableAccept);
      await h.store.create(configmaps, cm('z', {}));
      await Promise.all([...tables.map((s) => s.waitFor(1)), plain[0]?.waitFor(2)]);
      for (const t of tables) {
        assert.equal(t.events[0]?.object.kind, 'Table');
        assert.equal(t.events[0]?.object.rows[0].object.metadata.name, 'z');
      }
      assert.equal(plain[0]?.events[1]?.object.kind, 'ConfigMap', 'plain watchers keep getting objects');
      for (const s of [...plain, ...tables]) s.close();
    });
  });

  it('view-converted watches (autoscaling/v1 HPAs) get the converted object, once per view', async () => {
    const v1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
    const v2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
    await withServer(async (h) => {
      const quiet = await stringifyCalls(() => h.store.create(hpas, hpa('quiet', 10)));
      const order = [v2, v1, v1, v2, v1, v2];
      const streams = await openWatches(h, order);
      const calls = await stringifyCalls(() => h.store.create(hpas, hpa('web', 60)));
      assert.equal(calls, quiet + 2, `one line per presentation (JSON.stringify calls: ${calls}, ${quiet} with no watchers)`);
      await Promise.all(streams.map((s) => s.waitFor(1)));
      for (const [i, s] of streams.entries()) {
        const obj = s.events[0]?.object;
        assert.equal(s.events[0]?.type, 'ADDED');
        assert.equal(obj.metadata.name, 'web');
        if (order[i] === v1) {
          assert.equal(obj.apiVersion, 'autoscaling/v1');
          assert.equal(obj.spec.targetCPUUtilizationPercentage, 60);
          assert.equal(obj.spec.metrics, undefined);
        } else {
          assert.equal(obj.apiVersion, 'autoscaling/v2');
          assert.equal(obj.spec.metrics[0].resource.target.averageUtilization, 60);
          assert.equal(obj.spec.targetCPUUtilizationPercentage, undefined);
        }
      }
      for (const s of streams) s.close();
    });
  });
});
