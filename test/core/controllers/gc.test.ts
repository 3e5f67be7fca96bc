import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../core/api/index.js';
import type { ConfigMap, KubeObject, OwnerReference } from '../../../core/api/index.js';
import { SharedInformerFactory } from '../../../core/client/index.js';
import type { KubeClient, ResourceTarget } from '../../../core/client/index.js';
import { GarbageCollector, decideDependent } from '../../../core/controllers/index.js';
import type { OwnerState } from '../../../core/controllers/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { eventually, startTestServer } from '../client/harness.js';

const namespaces = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };
const configmaps = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };
const secrets = { apiVersion: 'v1', plural: 'secrets', namespaced: true };

const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, ...(block ? { blockOwnerDeletion: true } : {}) });

test('decideDependent', async (t) => {
  const cases: { name: string; owners: OwnerReference[]; states: Record<string, OwnerState>; want: unknown }[] = [
    { name: 'no owners → keep', owners: [], states: {}, want: { type: 'keep' } },
    { name: 'all owners exist → keep', owners: [ref('a'), ref('b')], states: { a: 'solid', b: 'solid' }, want: { type: 'keep' } },
    { name: 'all owners gone → background delete', owners: [ref('a'), ref('b')], states: { a: 'dangling', b: 'dangling' }, want: { type: 'delete', policy: 'Background' } },
    { name: 'one owner left → drop the dangling reference', owners: [ref('a'), ref('b')], states: { a: 'solid', b: 'dangling' }, want: { type: 'dropOwners', keep: [ref('a')] } },
    { name: 'only owner waiting for dependents → foreground delete', owners: [ref('a', true)], states: { a: 'waiting' }, want: { type: 'delete', policy: 'Foreground' } },
    { name: 'a solid owner keeps it even if another waits', owners: [ref('a'), ref('b')], states: { a: 'solid', b: 'waiting' }, want: { type: 'dropOwners', keep: [ref('a')] } },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(decideDependent(c.owners, (u) => c.states[u] ?? 'solid'), c.want));
  }
});

async function exists(c: KubeClient, target: ResourceTarget, name: string): Promise<boolean> {
  try {
    await c.get(target, 'default', name);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.reason === 'NotFound') return false;
    throw e;
  }
}

test('garbage collector against a real server', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = s.client;
  await c.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const informers = new SharedInformerFactory({ client: c, clock: systemClock, log: silentLogger });
  const gc = new GarbageCollector({ client: c, informers, clock: systemClock, log: silentLogger, recheckMs: 50 });
  const ac = new AbortController();
  const run = gc.start(ac.signal);
  t.after(async () => {
    ac.abort();
    await run;
  });
  await informers.waitForSync(ac.signal);

  const owner = (name: string): Promise<ConfigMap> => c.create<ConfigMap>(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
  const dependent = (name: string, owners: KubeObject[], block = false): Promise<KubeObject> => c.create(secrets, {
    apiVersion: 'v1', kind: 'Secret',
    metadata: {
      name, namespace: 'default',
      ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name ?? '', uid: o.metadata.uid ?? '', ...(block ? { blockOwnerDeletion: true } : {}) })),
    },
  });

  await t.test('background: dependents of a deleted owner are deleted', async () => {
    const o = await owner('bg-owner');
    await dependent('bg-1', [o]);
    await dependent('bg-2', [o]);
    await c.delete(configmaps, 'default', 'bg-owner');
    await eventually(async () => !(await exists(c, secrets, 'bg-1')) && !(await exists(c, secrets, 'bg-2')), 'dependents deleted');
  });

  await t.test('a dependent with another live owner loses only the dangling reference', async () => {
    const a = await owner('multi-a');
    const b = await owner('multi-b');
    await dependent('multi-dep', [a, b]);
    await c.delete(configmaps, 'default', 'multi-a');
    const refs = await eventually(async () => {
      const d = await c.get(secrets, 'default', 'multi-dep');
      const names = (d.metadata.ownerReferences ?? []).map((r) => r.name);
      return names.length === 1 ? names : undefined;
    }, 'the dangling reference removed');
    assert.deepEqual(refs, ['multi-b']);
  });

  await t.test('a dependent created after its owner is gone is collected', async () => {
    const o = await owner('late-owner');
    await c.delete(configmaps, 'default', 'late-owner');
    await dependent('late-dep', [o]);
    await eventually(async () => !(await exists(c, secrets, 'late-dep')), 'late dependent deleted');
  });

  await t.test('foreground: blocking dependents go first, then the owner', async () => {
    const o = await owner('fg-owner');
    await dependent('fg-dep', [o], true);
    await c.delete(configmaps, 'default', 'fg-owner', { propagationPolicy: 'Foreground' });
    await eventually(async () => !(await exists(c, secrets, 'fg-dep')), 'dependent deleted');
    await eventually(async () => !(await exists(c, configmaps, 'fg-owner')), 'owner deleted after its dependents');
  });

  await t.test('orphan: dependents stay and lose the reference, then the owner goes', async () => {
    const o = await owner('or-owner');
    await dependent('or-dep', [o]);
    await c.delete(configmaps, 'default', 'or-owner', { propagationPolicy: 'Orphan' });
    await eventually(async () => !(await exists(c, configmaps, 'or-owner')), 'owner deleted');
    const dep = await c.get(secrets, 'default', 'or-dep');
    assert.deepEqual(dep.metadata.ownerReferences ?? [], []);
  });
});
