import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../core/api/index.js';
import type { ConfigMap, KubeObject } from '../../../core/api/index.js';
import { KubeClient, writeKubeconfig } from '../../../core/client/index.js';
import type { WatchEvent } from '../../../core/client/index.js';
import { join } from 'node:path';
import { eventually, startTestServer } from './harness.js';

const configmaps = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };
const namespaces = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data,
});

test('client against a real skiff API server', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = s.client;
  await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });

  await t.test('create, get, update, patch and delete round-trip', async () => {
    const created = await c.create(configmaps, cm('a', { x: '1' }, { app: 'web' }));
    assert.ok(created.metadata.uid);
    const got = await c.get<ConfigMap>(configmaps, 'default', 'a');
    assert.deepEqual(got.data, { x: '1' });
    const updated = await c.update(configmaps, { ...got, data: { x: '2' } });
    assert.notEqual(updated.metadata.resourceVersion, got.metadata.resourceVersion);
    const merged = await c.patch<ConfigMap>(configmaps, 'default', 'a', { data: { y: '3' } }, 'merge');
    assert.deepEqual(merged.data, { x: '2', y: '3' });
    const jsonPatched = await c.patch<ConfigMap>(configmaps, 'default', 'a', [{ op: 'remove', path: '/data/x' }], 'json');
    assert.deepEqual(jsonPatched.data, { y: '3' });
    await c.delete(configmaps, 'default', 'a');
    await assert.rejects(c.get(configmaps, 'default', 'a'), (e: unknown) => e instanceof ApiError && e.reason === 'NotFound' && e.code === 404);
  });

  await t.test('errors carry the server Status', async (t2) => {
    await c.create(configmaps, cm('dup'));
    const stale = await c.get(configmaps, 'default', 'dup');
    await c.update(configmaps, { ...stale, data: { v: '1' } });
    const cases: { name: string; call: () => Promise<unknown>; reason: string; code: number }[] = [
      { name: 'create twice → AlreadyExists', call: () => c.create(configmaps, cm('dup')), reason: 'AlreadyExists', code: 409 },
      { name: 'stale resourceVersion → Conflict', call: () => c.update(configmaps, { ...stale, data: { v: '2' } }), reason: 'Conflict', code: 409 },
      { name: 'unknown object → NotFound', call: () => c.get(configmaps, 'default', 'nope'), reason: 'NotFound', code: 404 },
      { name: 'invalid name → Invalid', call: () => c.create(configmaps, cm('Bad_Name')), reason: 'Invalid', code: 422 },
    ];
    for (const tc of cases) {
      await t2.test(tc.name, async () => {
        await assert.rejects(tc.call(), (e: unknown) => e instanceof ApiError && e.reason === tc.reason && e.code === tc.code);
      });
    }
  });

  await t.test('list with label selector and pagination', async () => {
    for (const n of ['l1', 'l2', 'l3']) await c.create(configmaps, cm(n, {}, { tier: 'list' }));
    const sel = await c.list(configmaps, { namespace: 'default', labelSelector: 'tier=list' });
    assert.deepEqual(sel.items.map((i) => i.metadata.name).sort(), ['l1', 'l2', 'l3']);
    const all = await c.listAll(configmaps, { namespace: 'default', labelSelector: 'tier=list', limit: 1 });
    assert.equal(all.items.length, 3);
  });

  await t.test('dry run persists nothing', async () => {
    await c.create(configmaps, cm('dry'), { dryRun: true });
    await assert.rejects(c.get(configmaps, 'default', 'dry'), (e: unknown) => e instanceof ApiError && e.reason === 'NotFound');
  });

  await t.test('watch yields events in order from a resourceVersion', async () => {
    const start = await c.list(configmaps, { namespace: 'default' });
    const ac = new AbortController();
    const stream = await c.watch(configmaps, { namespace: 'default', resourceVersion: start.metadata.resourceVersion, signal: ac.signal });
    await c.create(configmaps, cm('w'));
    await c.patch(configmaps, 'default', 'w', { data: { a: 'b' } }, 'merge');
    await c.delete(configmaps, 'default', 'w');
    const seen: string[] = [];
    for await (const ev of stream as AsyncGenerator<WatchEvent<KubeObject>>) {
      if (ev.type === 'BOOKMARK') continue;
      seen.push(`${ev.type} ${ev.object.metadata.name}`);
      if (seen.length === 3) ac.abort();
    }
    assert.deepEqual(seen, ['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  await t.test('discovery finds built-in kinds and fails clearly for unknown ones', async () => {
    const d = await c.resourceFor('apps/v1', 'Deployment');
    assert.deepEqual([d.plural, d.namespaced, d.subresources.includes('scale')], ['deployments', true, true]);
    const ns = await c.resourceFor('v1', 'Namespace');
    assert.equal(ns.namespaced, false);
    await assert.rejects(c.resourceFor('example.com/v1', 'Nope'), (e: unknown) => e instanceof ApiError && e.reason === 'NotFound');
    const all = await c.serverResources();
    assert.ok(all.some((r) => r.plural === 'leases' && r.apiVersion === 'coordination.k8s.io/v1'));
  });

  await t.test('discovery refreshes on a miss, so a new CRD is found', async () => {
    await c.resourceFor('v1', 'ConfigMap'); // fills the cache before the CRD exists
    const crds = { apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions', namespaced: false };
    await c.create(crds, {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const w = await eventually(() => c.resourceFor('example.com/v1', 'Widget'), 'the CRD in discovery');
    assert.deepEqual([w.plural, w.namespaced, w.group], ['widgets', true, 'example.com']);
  });

  await t.test('an aborted call rejects with the abort reason', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(c.get(configmaps, 'default', 'x', { signal: ac.signal }), /stop/);
  });

  await t.test('a client from a kubeconfig works; a wrong token is Unauthorized', async () => {
    const path = join(s.dir, 'kubeconfig');
    await writeKubeconfig(path, { server: s.server, caCert: s.caCert, token: s.token });
    const fromFile = await KubeClient.fromKubeconfig(path);
    t.after(() => fromFile.close());
    assert.equal((await fromFile.get(namespaces, undefined, 'default')).metadata.name, 'default');
    const bad = new KubeClient({ server: s.server, caCert: s.caCert, token: 'wrong' });
    t.after(() => bad.close());
    await assert.rejects(bad.get(namespaces, undefined, 'default'), (e: unknown) => e instanceof ApiError && e.code === 401);
  });
});
