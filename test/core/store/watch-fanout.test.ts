import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../core/api/index.js';
import type { ObjectEvent, ObjectStore } from '../../../core/store/index.js';
import { WatchRecorder, backendKinds, deployments, makeDeployment, makeStore, settle } from './helpers.js';

const app = (v: string) => (o: KubeObject): boolean => o.metadata.labels?.app === v;

/** One stream of writes (revisions 2…7) that every watcher below sees part of. */
async function writeStream(store: ObjectStore): Promise<void> {
  const a = await store.create(deployments, makeDeployment({ name: 'a', labels: { app: 'web' } })); // 2
  await store.create(deployments, makeDeployment({ name: 'b', labels: { app: 'db' } })); // 3
  await store.update(deployments, { ...a, metadata: { ...a.metadata, labels: { app: 'db' } } }); // 4: a leaves web, enters db
  await store.create(deployments, makeDeployment({ namespace: 'other', name: 'c', labels: { app: 'web' } })); // 5
  const b = await store.get(deployments, 'default', 'b');
  await store.update(deployments, { ...b, spec: { replicas: 2 } }); // 6
  await store.delete(deployments, 'default', 'a'); // 7
}

const watchers: { description: string; opts: { namespace?: string; filter?: (o: KubeObject) => boolean; resourceVersion?: string }; want: string[] }[] = [
  { description: 'unfiltered, all namespaces', opts: { resourceVersion: '1' }, want: ['ADDED a@2', 'ADDED b@3', 'MODIFIED a@4', 'ADDED c@5', 'MODIFIED b@6', 'DELETED a@7'] },
  { description: 'app=web: a leaves at 4 (DELETED with its previous state), c enters', opts: { resourceVersion: '1', filter: app('web') }, want: ['ADDED a@2', 'DELETED a@4', 'ADDED c@5'] },
  { description: 'app=db: a enters at 4 as ADDED', opts: { resourceVersion: '1', filter: app('db') }, want: ['ADDED b@3', 'ADDED a@4', 'MODIFIED b@6', 'DELETED a@7'] },
  { description: 'namespace other', opts: { resourceVersion: '1', namespace: 'other' }, want: ['ADDED c@5'] },
  { description: 'namespace default, app=web', opts: { resourceVersion: '1', namespace: 'default', filter: app('web') }, want: ['ADDED a@2', 'DELETED a@4'] },
  { description: 'app=nothing', opts: { resourceVersion: '1', filter: app('nothing') }, want: [] },
];

for (const kind of backendKinds) {
  describe(`watch fan-out on ${kind.name}`, () => {
    it('many watchers with different selectors on one stream each get exactly their events', async () => {
      const fx = makeStore(kind);
      const recs = watchers.map(() => new WatchRecorder());
      try {
        for (const [i, w] of watchers.entries()) await recs[i]?.start(fx.store, deployments, w.opts);
        await writeStream(fx.store);
        await settle();
        for (const [i, w] of watchers.entries()) assert.deepEqual(recs[i]?.summary(), w.want, w.description);
        const webDeleted = recs[1]?.events[1];
        assert.deepEqual(webDeleted?.object.metadata.labels, { app: 'web' }, 'DELETED on leaving the filter carries the previous state');
      } finally {
        for (const r of recs) r.stop();
        await fx.cleanup();
      }
    });

    it('a late watcher replaying history gets the same events as a live one', async () => {
      const fx = makeStore(kind);
      const live = new WatchRecorder();
      const late = new WatchRecorder();
      try {
        await live.start(fx.store, deployments, { resourceVersion: '1', filter: app('db') });
        await writeStream(fx.store);
        await late.start(fx.store, deployments, { resourceVersion: '1', filter: app('db') });
        await settle();
        assert.deepEqual(late.summary(), live.summary());
      } finally {
        live.stop();
        late.stop();
        await fx.cleanup();
      }
    });

    it('watchers of the same change share one decoded object, deep-frozen', async () => {
      const fx = makeStore(kind);
      const recs = [new WatchRecorder(), new WatchRecorder(), new WatchRecorder()];
      try {
        await recs[0]?.start(fx.store, deployments, { resourceVersion: '1' });
        await recs[1]?.start(fx.store, deployments, { resourceVersion: '1', filter: app('web') });
        await recs[2]?.start(fx.store, deployments, { resourceVersion: '1', namespace: 'default' });
        await fx.store.create(deployments, makeDeployment({ name: 'a', labels: { app: 'web' }, finalizers: ['x/y'] }));
        await settle();
        const objs = recs.map((r) => r.events[0]?.object);
        assert.ok(objs[0] !== undefined);
        assert.ok(objs.every((o) => o === objs[0]), 'one object for every watcher');
        assert.ok(Object.isFrozen(objs[0]) && Object.isFrozen(objs[0].metadata) && Object.isFrozen(objs[0].metadata.labels));
        assert.ok(Object.isFrozen(objs[0].metadata.finalizers) && Object.isFrozen(objs[0].spec));
      } finally {
        for (const r of recs) r.stop();
        await fx.cleanup();
      }
    });

    it('a consumer cannot change what other watchers receive', async () => {
      const fx = makeStore(kind);
      const ac = new AbortController();
      const attempts: { description: string; mutate(o: KubeObject): void }[] = [
        { description: 'relabel', mutate: (o) => { (o.metadata.labels ?? {}).app = 'evil'; } },
        { description: 'replace metadata', mutate: (o) => { o.metadata = { name: 'evil' }; } },
        { description: 'nested spec field', mutate: (o) => { (o.spec as Record<string, unknown>).replicas = 99; } },
        { description: 'array push', mutate: (o) => { o.metadata.finalizers?.push('evil'); } },
        { description: 'delete a field', mutate: (o) => { delete o.status; } },
      ];
      const errors: string[] = [];
      const after = new WatchRecorder();
      try {
        await fx.store.watch(deployments, {
          resourceVersion: '1', signal: ac.signal,
          onEvent: (ev: ObjectEvent) => {
            for (const a of attempts) {
              try {
                a.mutate(ev.object);
              } catch (err) {
                if (err instanceof TypeError) errors.push(a.description);
              }
            }
          },
        });
        await after.start(fx.store, deployments, { resourceVersion: '1' });
        await fx.store.create(deployments, makeDeployment({ name: 'a', labels: { app: 'web' }, finalizers: ['x/y'], status: { ready: 1 } }));
        await settle();
        assert.deepEqual(errors, attempts.map((a) => a.description), 'every mutation is refused');
        const seen = after.events[0]?.object;
        assert.equal(seen?.metadata.name, 'a');
        assert.deepEqual(seen?.metadata.labels, { app: 'web' });
        assert.deepEqual(seen?.metadata.finalizers, ['x/y']);
        assert.deepEqual(seen?.spec, { replicas: 1 });
        assert.deepEqual(seen?.status, { ready: 1 });
        const stored = await fx.store.get(deployments, 'default', 'a');
        assert.deepEqual(stored.metadata.labels, { app: 'web' }, 'the store is untouched');
        assert.ok(!Object.isFrozen(stored), 'reads are the caller\'s own copy');
      } finally {
        ac.abort();
        after.stop();
        await fx.cleanup();
      }
    });

    it('a consumer that mutates without catching loses only its own watch', async () => {
      const fx = makeStore(kind);
      const ac = new AbortController();
      const failures: Error[] = [];
      const other = new WatchRecorder();
      try {
        await fx.store.watch(deployments, {
          resourceVersion: '1', signal: ac.signal, onError: (err) => failures.push(err),
          onEvent: (ev) => { ev.object.metadata.name = 'evil'; },
        });
        await other.start(fx.store, deployments, { resourceVersion: '1' });
        await fx.store.create(deployments, makeDeployment({ name: 'a' }));
        await fx.store.create(deployments, makeDeployment({ name: 'b' }));
        await settle();
        assert.equal(failures.length, 1);
        assert.ok(failures[0] instanceof TypeError);
        assert.deepEqual(other.summary(), ['ADDED a@2', 'ADDED b@3']);
      } finally {
        ac.abort();
        other.stop();
        await fx.cleanup();
      }
    });

    it('the initial snapshot (no resourceVersion) is frozen too', async () => {
      const fx = makeStore(kind);
      const rec = new WatchRecorder();
      try {
        await fx.store.create(deployments, makeDeployment({ name: 'a', labels: { app: 'web' } }));
        await rec.start(fx.store, deployments);
        assert.deepEqual(rec.summary(), ['ADDED a@2']);
        assert.ok(Object.isFrozen(rec.events[0]?.object.metadata.labels));
      } finally {
        rec.stop();
        await fx.cleanup();
      }
    });

    it('a change is parsed once however many watchers it reaches', async () => {
      const parsesFor = async (count: number): Promise<number> => {
        const fx = makeStore(kind);
        const recs = Array.from({ length: count }, () => new WatchRecorder());
        try {
          const a = await fx.store.create(deployments, makeDeployment({ name: 'a', labels: { app: 'web' } }));
          for (const [i, r] of recs.entries()) await r.start(fx.store, deployments, i % 2 === 0 ? { resourceVersion: '2' } : { resourceVersion: '2', filter: app('web') });
          const parse = mock.method(JSON, 'parse');
          try {
            await fx.store.update(deployments, { ...a, metadata: { ...a.metadata, labels: { app: 'db' } } });
            await settle();
            return parse.mock.callCount();
          } finally {
            parse.mock.restore();
            assert.ok(recs.every((r) => r.events.length === 1), 'every watcher got the change');
          }
        } finally {
          for (const r of recs) r.stop();
          await fx.cleanup();
        }
      };
      const two = await parsesFor(2);
      const twenty = await parsesFor(20);
      assert.equal(twenty, two, `JSON.parse calls per change: ${two} with 2 watchers, ${twenty} with 20`);
    });
  });
}
