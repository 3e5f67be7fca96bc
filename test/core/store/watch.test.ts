import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type KubeObject } from '../../../core/api/index.js';
import { WatchRecorder, backendKinds, deployments, makeDeployment, makeStore } from './helpers.js';

const isWeb = (o: KubeObject): boolean => o.metadata.labels?.app === 'web';

for (const kind of backendKinds) {
  describe(`object watch on ${kind.name}`, () => {
    it('without a resourceVersion sends ADDED for current objects, then every change', async () => {
      const fx = makeStore(kind);
      const rec = new WatchRecorder();
      try {
        await fx.store.create(deployments, makeDeployment({ name: 'a' })); // 2
        await fx.store.create(deployments, makeDeployment({ name: 'b' })); // 3
        await rec.start(fx.store, deployments);
        const a = await fx.store.get(deployments, 'default', 'a');
        await fx.store.update(deployments, { ...a, spec: { replicas: 3 } }); // 4
        await fx.store.delete(deployments, 'default', 'b'); // 5
        await fx.store.create(deployments, makeDeployment({ name: 'c' })); // 6
        assert.deepEqual(rec.summary(), ['ADDED a@2', 'ADDED b@3', 'MODIFIED a@4', 'DELETED b@5', 'ADDED c@6']);
        assert.deepEqual(rec.events[3]?.object.spec, { replicas: 1 }, 'DELETED carries the last state');
      } finally {
        rec.stop();
        await fx.cleanup();
      }
    });

    const fromCases = [
      { description: 'resourceVersion "0" behaves like none (synthetic ADDED first)', rv: '0', want: ['ADDED a@3', 'ADDED b@4', 'ADDED c@5'] },
      { description: 'a resourceVersion replays the changes after it', rv: '2', want: ['MODIFIED a@3', 'ADDED b@4', 'ADDED c@5'] },
      { description: 'the current resourceVersion sends only future changes', rv: '4', want: ['ADDED c@5'] },
    ];
    for (const c of fromCases) {
      it(`start: ${c.description}`, async () => {
        const fx = makeStore(kind);
        const rec = new WatchRecorder();
        try {
          const a = await fx.store.create(deployments, makeDeployment({ name: 'a' })); // 2
          await fx.store.update(deployments, { ...a, spec: { replicas: 2 } }); // 3
          await fx.store.create(deployments, makeDeployment({ name: 'b' })); // 4
          await rec.start(fx.store, deployments, { resourceVersion: c.rv });
          await fx.store.create(deployments, makeDeployment({ name: 'c' })); // 5
          assert.deepEqual(rec.summary(), c.want);
        } finally {
          rec.stop();
          await fx.cleanup();
        }
      });
    }

    it('a resourceVersion older than the history is 410 Gone; a malformed one is 400', async () => {
      const fx = makeStore(kind, { historySize: 2 });
      try {
        for (const name of ['a', 'b', 'c', 'd']) await fx.store.create(deployments, makeDeployment({ name }));
        const rec = new WatchRecorder();
        await assert.rejects(rec.start(fx.store, deployments, { resourceVersion: '2' }), (e) => e instanceof ApiError && e.code === 410 && /^too old resource version: 2 \(\d+\)$/.test(e.message));
        await assert.rejects(rec.start(fx.store, deployments, { resourceVersion: 'abc' }), (e) => e instanceof ApiError && e.code === 400);
      } finally {
        await fx.cleanup();
      }
    });

    it('a namespaced watch sees only its namespace', async () => {
      const fx = makeStore(kind);
      const rec = new WatchRecorder();
      try {
        await rec.start(fx.store, deployments, { namespace: 'prod' });
        await fx.store.create(deployments, makeDeployment({ namespace: 'dev', name: 'x' }));
        await fx.store.create(deployments, makeDeployment({ namespace: 'prod', name: 'y' }));
        await fx.store.create(deployments, makeDeployment({ namespace: 'prod2', name: 'z' }));
        assert.deepEqual(rec.summary(), ['ADDED y@3']);
      } finally {
        rec.stop();
        await fx.cleanup();
      }
    });

    it('a filtered watch turns objects entering the filter into ADDED and leaving it into DELETED', async () => {
      const fx = makeStore(kind);
      const rec = new WatchRecorder();
      try {
        const o = await fx.store.create(deployments, makeDeployment({ name: 'a', labels: { app: 'other' } })); // 2
        await rec.start(fx.store, deployments, { filter: isWeb });
        const relabel = async (labels: Record<string, string>): Promise<KubeObject> => {
          const cur = await fx.store.get(deployments, 'default', 'a');
          return fx.store.update(deployments, { ...cur, metadata: { ...cur.metadata, labels } });
        };
        await relabel({ app: 'web' }); // 3: enters → ADDED
        await relabel({ app: 'web', tier: 'front' }); // 4: stays → MODIFIED
        await relabel({ app: 'api' }); // 5: leaves → DELETED
        await relabel({ app: 'api', x: 'y' }); // 6: still out → nothing
        await fx.store.delete(deployments, 'default', 'a'); // 7: deleted while out → nothing
        assert.deepEqual(rec.summary(), ['ADDED a@3', 'MODIFIED a@4', 'DELETED a@5']);
        assert.deepEqual(rec.events[2]?.object.metadata.labels, { app: 'web', tier: 'front' }, 'DELETED carries the last matching state');
        assert.equal(o.metadata.name, 'a');
      } finally {
        rec.stop();
        await fx.cleanup();
      }
    });

    it('deleting an object with finalizers is MODIFIED, and removing the last finalizer is DELETED', async () => {
      const fx = makeStore(kind);
      const rec = new WatchRecorder();
      try {
        await fx.store.create(deployments, makeDeployment({ name: 'a', finalizers: ['f'] })); // 2
        await rec.start(fx.store, deployments, { resourceVersion: '2' });
        const deleting = await fx.store.delete(deployments, 'default', 'a'); // 3
        await fx.store.update(deployments, { ...deleting, metadata: { ...deleting.metadata, finalizers: [] } }); // 4
        assert.deepEqual(rec.summary(), ['MODIFIED a@3', 'DELETED a@4']);
        assert.ok(rec.events[1]?.object.metadata.deletionTimestamp);
      } finally {
        rec.stop();
        await fx.cleanup();
      }
    });

    it('an aborted watch receives nothing more; closing the store ends live watches with onError', async () => {
      const fx = makeStore(kind);
      const stopped = new WatchRecorder();
      const live = new WatchRecorder();
      await stopped.start(fx.store, deployments);
      await live.start(fx.store, deployments);
      stopped.stop();
      await fx.store.create(deployments, makeDeployment({ name: 'a' }));
      await fx.cleanup();
      assert.deepEqual(stopped.summary(), []);
      assert.deepEqual(live.summary(), ['ADDED a@2']);
      assert.equal(live.errors.length, 1);
    });
  });
}
