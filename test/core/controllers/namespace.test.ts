import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../core/api/index.js';
import type { Namespace } from '../../../core/api/index.js';
import { SharedInformerFactory } from '../../../core/client/index.js';
import type { ResourceInfo } from '../../../core/client/index.js';
import { NamespaceController, resourcesToEmpty, withoutKubernetesFinalizer } from '../../../core/controllers/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { eventually, startTestServer } from '../client/harness.js';

const namespaces = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };
const configmaps = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };
const secrets = { apiVersion: 'v1', plural: 'secrets', namespaced: true };

const res = (plural: string, namespaced: boolean, verbs: string[]): ResourceInfo => ({
  apiVersion: 'v1', group: '', version: 'v1', kind: plural, plural, namespaced, verbs, shortNames: [], subresources: [],
});

test('resourcesToEmpty keeps namespaced, listable, deletable resources', async (t) => {
  const cases = [
    { name: 'namespaced with list and delete', r: res('pods', true, ['list', 'delete', 'get']), want: true },
    { name: 'cluster-scoped', r: res('nodes', false, ['list', 'delete']), want: false },
    { name: 'not deletable', r: res('bindings', true, ['create']), want: false },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(resourcesToEmpty([c.r]).length === 1, c.want));
});

test('withoutKubernetesFinalizer', async (t) => {
  const ns = (finalizers?: string[]): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, ...(finalizers ? { spec: { finalizers } } : {}) });
  const cases = [
    { name: 'removes only the kubernetes finalizer', in: ns(['kubernetes', 'other']), want: ['other'] },
    { name: 'nothing to do without it', in: ns(['other']), want: undefined },
    { name: 'nothing to do without a spec', in: ns(), want: undefined },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(withoutKubernetesFinalizer(c.in)?.spec?.finalizers, c.want));
});

test('namespace controller against a real server', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = s.client;
  const informers = new SharedInformerFactory({ client: c, clock: systemClock, log: silentLogger });
  const ctrl = new NamespaceController({ client: c, informers, clock: systemClock, log: silentLogger, recheckMs: 50 });
  const ac = new AbortController();
  const run = ctrl.start(ac.signal);
  t.after(async () => {
    ac.abort();
    await run;
  });

  await t.test('system namespaces are created on start', async () => {
    const names = await eventually(async () => {
      const got = (await c.list(namespaces)).items.map((n) => n.metadata.name).sort();
      return got.length >= 4 ? got : undefined;
    }, 'system namespaces');
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  await t.test('deleting a namespace removes its contents, then the namespace', async () => {
    await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } });
    for (const n of ['a', 'b']) await c.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'doomed' } });
    await c.create(secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'doomed' }, stringData: { k: 'v' } });
    await c.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'kept' } });
    await c.delete(namespaces, undefined, 'doomed');
    await eventually(async () => {
      try {
        await c.get(namespaces, undefined, 'doomed');
        return false;
      } catch (e) {
        return e instanceof ApiError && e.reason === 'NotFound';
      }
    }, 'the namespace to disappear');
    await eventually(async () => (await c.list(configmaps, { namespace: 'doomed' })).items.length === 0, 'configmaps gone');
    await eventually(async () => (await c.list(secrets, { namespace: 'doomed' })).items.length === 0, 'secrets gone');
    assert.equal((await c.list(configmaps, { namespace: 'kept' })).items.length, 1, 'other namespaces are untouched');
  });

  await t.test('a namespace held by another finalizer is emptied, marked Terminating and finalized', async () => {
    await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await c.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'held' } });
    await c.delete(namespaces, undefined, 'held');
    const ns = await eventually(async () => {
      const got = await c.get<Namespace>(namespaces, undefined, 'held');
      return (got.spec?.finalizers ?? []).includes('kubernetes') ? undefined : got;
    }, 'the kubernetes finalizer removed');
    assert.equal(ns.status?.phase, 'Terminating');
    assert.equal((await c.list(configmaps, { namespace: 'held' })).items.length, 0, 'emptied before finalizing');
    await c.patch(namespaces, undefined, 'held', { metadata: { finalizers: [] } }, 'merge');
    await eventually(async () => {
      try {
        await c.get(namespaces, undefined, 'held');
        return false;
      } catch (e) {
        return e instanceof ApiError && e.reason === 'NotFound';
      }
    }, 'the namespace to disappear');
  });
});
