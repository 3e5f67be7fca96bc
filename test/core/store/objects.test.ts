import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type KubeObject } from '../../../core/api/index.js';
import { backendKinds, deployments, makeDeployment, makeNamespace, makeStore, namespaces, specOf } from './helpers.js';

function apiError(reason: string, message?: string | RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  };
}

const staleMessage =
  'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again';

for (const kind of backendKinds) {
  describe(`object store on ${kind.name}`, () => {
    it('create fills server fields, strips client-set ones, and get/list return the object', async () => {
      const fx = makeStore(kind);
      try {
        const sent = makeDeployment({ name: 'web' });
        sent.metadata = { ...sent.metadata, uid: 'client', resourceVersion: '99', creationTimestamp: '2000-01-01T00:00:00Z', deletionTimestamp: '2000-01-01T00:00:00Z' };
        const created = await fx.store.create(deployments, sent);
        assert.deepEqual(created.metadata, {
          name: 'web', namespace: 'default', uid: 'uid-1', creationTimestamp: '2026-01-01T12:00:00Z', generation: 1, resourceVersion: '2',
        });
        assert.deepEqual(await fx.store.get(deployments, 'default', 'web'), created);
        const stored = await fx.backend.get('/registry/apps/deployments/default/web');
        assert.ok(stored && !stored.value.includes('resourceVersion'), 'resourceVersion is never stored');
        assert.equal(sent.metadata.uid, 'client', 'the caller\'s object is not mutated');
      } finally {
        await fx.cleanup();
      }
    });

    it('lists one namespace or all, in key order, with the snapshot resourceVersion', async () => {
      const fx = makeStore(kind);
      try {
        for (const [ns, name] of [['b', 'x'], ['a', 'y'], ['a', 'x'], ['ab', 'z']] as const) {
          await fx.store.create(deployments, makeDeployment({ namespace: ns, name }));
        }
        const inA = await fx.store.list(deployments, { namespace: 'a' });
        assert.deepEqual(inA.items.map((o) => o.metadata.name), ['x', 'y']);
        assert.equal(inA.resourceVersion, '5');
        const all = await fx.store.list(deployments);
        assert.deepEqual(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['a/x', 'a/y', 'ab/z', 'b/x']);
        const filtered = await fx.store.list(deployments, { filter: (o) => o.metadata.name === 'x' });
        assert.deepEqual(filtered.items.map((o) => o.metadata.namespace), ['a', 'b']);
      } finally {
        await fx.cleanup();
      }
    });

    it('cluster-scoped objects have no namespace and their own key', async () => {
      const fx = makeStore(kind);
      try {
        const ns = makeNamespace('prod');
        ns.metadata.namespace = 'ignored';
        const created = await fx.store.create(namespaces, ns);
        assert.equal(created.metadata.namespace, undefined);
        assert.ok(await fx.backend.get('/registry/core/namespaces/prod'));
        assert.equal((await fx.store.get(namespaces, undefined, 'prod')).metadata.uid, 'uid-1');
      } finally {
        await fx.cleanup();
      }
    });

    const createErrors = [
      { description: 'an existing name is AlreadyExists with Kubernetes\' message', obj: makeDeployment({ name: 'web' }), reason: 'AlreadyExists', message: 'deployments.apps "web" already exists' },
      { description: 'no name and no generateName is Invalid naming metadata.name', obj: makeDeployment({}), reason: 'Invalid', message: /metadata\.name: Required value/ },
    ];
    for (const c of createErrors) {
      it(`create: ${c.description}`, async () => {
        const fx = makeStore(kind);
        try {
          await fx.store.create(deployments, makeDeployment({ name: 'web' }));
          await assert.rejects(fx.store.create(deployments, c.obj), apiError(c.reason, c.message));
        } finally {
          await fx.cleanup();
        }
      });
    }

    it('generateName appends 5 characters of Kubernetes\' alphabet', async () => {
      const fx = makeStore(kind);
      try {
        const created = await fx.store.create(deployments, makeDeployment({ generateName: 'web-' }));
        assert.match(created.metadata.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.equal(created.metadata.generateName, 'web-');
      } finally {
        await fx.cleanup();
      }
    });

    it('generateName retries with a new suffix on collision', async () => {
      const suffixes = ['aaaaa', 'aaaaa', 'bbbbb'];
      const fx = makeStore(kind, { nameSuffix: () => suffixes.shift() ?? 'zzzzz' });
      try {
        assert.equal((await fx.store.create(deployments, makeDeployment({ generateName: 'w-' }))).metadata.name, 'w-aaaaa');
        assert.equal((await fx.store.create(deployments, makeDeployment({ generateName: 'w-' }))).metadata.name, 'w-bbbbb');
      } finally {
        await fx.cleanup();
      }
    });

    it('update with a stale resourceVersion is 409 Conflict with Kubernetes\' message; without one it is unconditional', async () => {
      const fx = makeStore(kind);
      try {
        const v1 = await fx.store.create(deployments, makeDeployment({ name: 'web', replicas: 1 }));
        const v2 = await fx.store.update(deployments, { ...v1, spec: { replicas: 2 } });
        await assert.rejects(fx.store.update(deployments, { ...v1, spec: { replicas: 3 } }), apiError('Conflict', staleMessage));
        const blind = structuredClone(v1);
        delete blind.metadata.resourceVersion;
        blind.spec = { replicas: 4 };
        const v3 = await fx.store.update(deployments, blind);
        assert.equal(Number(v3.metadata.resourceVersion), Number(v2.metadata.resourceVersion) + 1);
        assert.deepEqual(specOf(v3), { replicas: 4 });
      } finally {
        await fx.cleanup();
      }
    });

    const updateCases: { description: string; change: (o: KubeObject) => void; generation: number; bumpsRevision: boolean }[] = [
      { description: 'a spec change bumps generation', change: (o) => { o.spec = { replicas: 5 }; }, generation: 2, bumpsRevision: true },
      { description: 'a label change keeps generation', change: (o) => { o.metadata.labels = { a: 'b' }; }, generation: 1, bumpsRevision: true },
      { description: 'a status change on the main resource is ignored (no-op)', change: (o) => { o.status = { replicas: 9 }; }, generation: 1, bumpsRevision: false },
      { description: 'the same object again is a no-op', change: () => undefined, generation: 1, bumpsRevision: false },
      { description: 'reordered keys are a no-op', change: (o) => { o.spec = { ...specOf(o) }; o.kind = 'Deployment'; }, generation: 1, bumpsRevision: false },
      {
        description: 'uid, creationTimestamp and generation sent by the client are ignored',
        change: (o) => { o.metadata.uid = 'other'; o.metadata.creationTimestamp = '2001-01-01T00:00:00Z'; o.metadata.generation = 42; },
        generation: 1,
        bumpsRevision: false,
      },
    ];
    for (const c of updateCases) {
      it(`update: ${c.description}`, async () => {
        const fx = makeStore(kind);
        try {
          const created = await fx.store.create(deployments, makeDeployment({ name: 'web', status: { replicas: 0 } }));
          const sent = structuredClone(created);
          c.change(sent);
          const updated = await fx.store.update(deployments, sent);
          assert.equal(updated.metadata.generation, c.generation);
          assert.equal(updated.metadata.uid, 'uid-1');
          assert.equal(updated.metadata.creationTimestamp, '2026-01-01T12:00:00Z');
          assert.deepEqual(updated.status, { replicas: 0 }, 'status is kept on a main-resource update');
          assert.equal(updated.metadata.resourceVersion !== created.metadata.resourceVersion, c.bumpsRevision);
          assert.equal(await fx.backend.revision(), Number(updated.metadata.resourceVersion));
        } finally {
          await fx.cleanup();
        }
      });
    }

    it('the status subresource takes only status and keeps spec and metadata', async () => {
      const fx = makeStore(kind);
      try {
        const created = await fx.store.create(deployments, makeDeployment({ name: 'web', replicas: 1 }));
        const sent = { ...structuredClone(created), spec: { replicas: 7 }, status: { readyReplicas: 1 } };
        sent.metadata.labels = { sneaky: 'yes' };
        const updated = await fx.store.update(deployments, sent, { subresource: 'status' });
        assert.deepEqual(updated.status, { readyReplicas: 1 });
        assert.deepEqual(specOf(updated), { replicas: 1 });
        assert.equal(updated.metadata.labels, undefined);
        assert.equal(updated.metadata.generation, 1);
      } finally {
        await fx.cleanup();
      }
    });

    it('finalizers hold a deleted object until the last one is removed', async () => {
      const fx = makeStore(kind);
      try {
        await fx.store.create(deployments, makeDeployment({ name: 'web', finalizers: ['example.com/a'] }));
        await fx.clock.advance(3_000);
        const deleting = await fx.store.delete(deployments, 'default', 'web');
        assert.equal(deleting.metadata.deletionTimestamp, '2026-01-01T12:00:03Z');
        assert.equal(deleting.metadata.deletionGracePeriodSeconds, 0);
        assert.equal(deleting.metadata.generation, 2);
        await fx.clock.advance(3_000);
        assert.deepEqual(await fx.store.delete(deployments, 'default', 'web'), deleting, 'deleting again changes nothing');
        const adding = { ...structuredClone(deleting) };
        adding.metadata.finalizers = ['example.com/a', 'example.com/b'];
        await assert.rejects(fx.store.update(deployments, adding), apiError('Invalid', /no new finalizers can be added/));
        const clearTs = structuredClone(deleting);
        delete clearTs.metadata.deletionTimestamp;
        clearTs.metadata.labels = { x: 'y' };
        const stillDeleting = await fx.store.update(deployments, clearTs);
        assert.equal(stillDeleting.metadata.deletionTimestamp, '2026-01-01T12:00:03Z', 'a client cannot clear deletionTimestamp');
        const removing = { ...structuredClone(stillDeleting), metadata: { ...stillDeleting.metadata, finalizers: [] } };
        await fx.store.update(deployments, removing);
        await assert.rejects(fx.store.get(deployments, 'default', 'web'), apiError('NotFound', 'deployments.apps "web" not found'));
      } finally {
        await fx.cleanup();
      }
    });

    const policyCases = [
      { description: 'Foreground adds foregroundDeletion', policy: 'Foreground', start: [], want: ['foregroundDeletion'] },
      { description: 'Orphan adds orphan', policy: 'Orphan', start: ['x'], want: ['x', 'orphan'] },
      { description: 'Foreground replaces orphan', policy: 'Foreground', start: ['orphan'], want: ['foregroundDeletion'] },
      { description: 'Background with no finalizers deletes at once', policy: 'Background', start: [], want: undefined },
      { description: 'no policy keeps existing finalizers', policy: undefined, start: ['x'], want: ['x'] },
    ] as const;
    for (const c of policyCases) {
      it(`delete propagation: ${c.description}`, async () => {
        const fx = makeStore(kind);
        try {
          await fx.store.create(deployments, makeDeployment({ name: 'web', finalizers: [...c.start] }));
          const out = await fx.store.delete(deployments, 'default', 'web', c.policy ? { propagationPolicy: c.policy } : {});
          if (c.want === undefined) {
            await assert.rejects(fx.store.get(deployments, 'default', 'web'), apiError('NotFound'));
            assert.equal(out.metadata.deletionTimestamp, undefined);
            assert.equal(out.metadata.resourceVersion, String(await fx.backend.revision()), 'carries the delete\'s revision');
          } else {
            const got = await fx.store.get(deployments, 'default', 'web');
            assert.deepEqual(got.metadata.finalizers, c.want);
            assert.ok(got.metadata.deletionTimestamp);
            assert.deepEqual(out, got);
          }
        } finally {
          await fx.cleanup();
        }
      });
    }

    const preconditionCases = [
      { description: 'a matching uid and resourceVersion delete', pre: { uid: 'uid-1', resourceVersion: '2' }, reason: undefined },
      { description: 'a wrong uid is a Conflict', pre: { uid: 'uid-9' }, reason: /Precondition failed: UID in precondition: uid-9, UID in object meta: uid-1/ },
      { description: 'a wrong resourceVersion is a Conflict', pre: { resourceVersion: '1' }, reason: /Precondition failed: ResourceVersion in precondition: 1/ },
    ];
    for (const c of preconditionCases) {
      it(`delete preconditions: ${c.description}`, async () => {
        const fx = makeStore(kind);
        try {
          await fx.store.create(deployments, makeDeployment({ name: 'web' }));
          const run = fx.store.delete(deployments, 'default', 'web', { preconditions: c.pre });
          if (c.reason) {
            await assert.rejects(run, apiError('Conflict', c.reason));
            assert.ok(await fx.store.get(deployments, 'default', 'web'));
          } else {
            await run;
            await assert.rejects(fx.store.get(deployments, 'default', 'web'), apiError('NotFound'));
          }
        } finally {
          await fx.cleanup();
        }
      });
    }

    it('dryRun computes create, update and delete but writes nothing', async () => {
      const fx = makeStore(kind);
      try {
        const created = await fx.store.create(deployments, makeDeployment({ name: 'web', finalizers: ['f'] }));
        const rev = await fx.backend.revision();
        const dryNew = await fx.store.create(deployments, makeDeployment({ name: 'other' }), { dryRun: true });
        assert.equal(dryNew.metadata.name, 'other');
        await assert.rejects(fx.store.create(deployments, makeDeployment({ name: 'web' }), { dryRun: true }), apiError('AlreadyExists'));
        const dryUpd = await fx.store.update(deployments, { ...created, spec: { replicas: 3 } }, { dryRun: true });
        assert.equal(dryUpd.metadata.generation, 2);
        const dryDel = await fx.store.delete(deployments, 'default', 'web', { dryRun: true });
        assert.ok(dryDel.metadata.deletionTimestamp);
        assert.equal(await fx.backend.revision(), rev);
        assert.deepEqual(await fx.store.get(deployments, 'default', 'web'), created);
        await assert.rejects(fx.store.get(deployments, 'default', 'other'), apiError('NotFound'));
      } finally {
        await fx.cleanup();
      }
    });

    it('update and delete of a missing object are NotFound', async () => {
      const fx = makeStore(kind);
      try {
        await assert.rejects(fx.store.update(deployments, makeDeployment({ name: 'ghost' })), apiError('NotFound', 'deployments.apps "ghost" not found'));
        await assert.rejects(fx.store.delete(deployments, 'default', 'ghost'), apiError('NotFound'));
      } finally {
        await fx.cleanup();
      }
    });
  });
}
