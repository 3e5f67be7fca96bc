import { setMaxListeners } from 'node:events';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../core/api/index.js';
import type { BackendEvent } from '../../../core/store/index.js';
import { backendKinds } from './helpers.js';

function reason(err: unknown): string {
  return err instanceof ApiError ? err.reason : String(err);
}

for (const kind of backendKinds) {
  describe(`${kind.name} backend`, () => {
    it('starts at revision 1 and every successful write increments it', async () => {
      const { backend, cleanup } = kind.make();
      try {
        assert.equal(await backend.revision(), 1);
        assert.equal(await backend.create('/a/1', 'one'), 2);
        assert.equal(await backend.update('/a/1', 'uno'), 3);
        await assert.rejects(backend.create('/a/1', 'again'), (e) => reason(e) === 'AlreadyExists');
        assert.equal(await backend.revision(), 3, 'a failed write does not use a revision');
        assert.equal(await backend.delete('/a/1'), 4);
        assert.equal(await backend.get('/a/1'), undefined);
      } finally {
        await cleanup();
      }
    });

    it('keeps createRevision and moves modRevision on update', async () => {
      const { backend, cleanup } = kind.make();
      try {
        await backend.create('/k', 'v1');
        await backend.update('/k', 'v2');
        assert.deepEqual(await backend.get('/k'), { key: '/k', value: 'v2', createRevision: 2, modRevision: 3 });
      } finally {
        await cleanup();
      }
    });

    it('lists keys under a prefix in key order, with the snapshot revision', async () => {
      const { backend, cleanup } = kind.make();
      try {
        for (const k of ['/r/b', '/r/a', '/rx/z', '/r/c', '/q/a']) await backend.create(k, k);
        const { items, revision } = await backend.list('/r/');
        assert.deepEqual(items.map((i) => i.key), ['/r/a', '/r/b', '/r/c']);
        assert.equal(revision, 6);
        const after = await backend.list('/r/', { startAfter: '/r/a' });
        assert.deepEqual(after.items.map((i) => i.key), ['/r/b', '/r/c']);
      } finally {
        await cleanup();
      }
    });

    it('reads the state at a past revision from the history', async () => {
      const { backend, cleanup } = kind.make();
      try {
        await backend.create('/p/a', 'a1'); // 2
        await backend.create('/p/b', 'b1'); // 3
        await backend.update('/p/a', 'a2'); // 4
        await backend.delete('/p/b'); // 5
        await backend.create('/p/c', 'c1'); // 6
        const cases = [
          { at: 3, want: ['/p/a=a1', '/p/b=b1'] },
          { at: 4, want: ['/p/a=a2', '/p/b=b1'] },
          { at: 5, want: ['/p/a=a2'] },
          { at: 6, want: ['/p/a=a2', '/p/c=c1'] },
        ];
        for (const c of cases) {
          const { items, revision } = await backend.list('/p/', { revision: c.at });
          assert.deepEqual(items.map((i) => `${i.key}=${i.value}`), c.want, `at revision ${c.at}`);
          assert.equal(revision, c.at);
        }
      } finally {
        await cleanup();
      }
    });

    const casCases = [
      { description: 'update with the current modRevision succeeds', op: 'update', expected: 2, want: 'ok' },
      { description: 'update with a stale modRevision conflicts', op: 'update', expected: 1, want: 'Conflict' },
      { description: 'delete with a stale modRevision conflicts', op: 'delete', expected: 7, want: 'Conflict' },
      { description: 'delete with the current modRevision succeeds', op: 'delete', expected: 2, want: 'ok' },
      { description: 'update of a missing key is NotFound', op: 'update-missing', expected: 2, want: 'NotFound' },
      { description: 'delete of a missing key is NotFound', op: 'delete-missing', expected: undefined, want: 'NotFound' },
    ] as const;
    for (const c of casCases) {
      it(`compare-and-swap: ${c.description}`, async () => {
        const { backend, cleanup } = kind.make();
        try {
          await backend.create('/cas', 'v');
          const run = (): Promise<number> => {
            switch (c.op) {
              case 'update': return backend.update('/cas', 'w', c.expected);
              case 'delete': return backend.delete('/cas', c.expected);
              case 'update-missing': return backend.update('/nope', 'w', c.expected);
              case 'delete-missing': return backend.delete('/nope', c.expected);
            }
          };
          if (c.want === 'ok') assert.equal(await run(), 3);
          else await assert.rejects(run(), (e) => reason(e) === c.want);
        } finally {
          await cleanup();
        }
      });
    }

    it('watch replays changes after a revision, then delivers new ones, filtered by prefix', async () => {
      const { backend, cleanup } = kind.make();
      const ac = new AbortController();
      try {
        await backend.create('/w/a', 'a'); // 2
        await backend.create('/other/x', 'x'); // 3
        await backend.update('/w/a', 'a2'); // 4
        const seen: BackendEvent[] = [];
        await backend.watch({ prefix: '/w/', afterRevision: 2, signal: ac.signal, onEvent: (e) => seen.push(e) });
        await backend.delete('/w/a'); // 5
        await backend.create('/other/y', 'y'); // 6
        assert.deepEqual(seen.map((e) => [e.type, e.key, e.modRevision, e.created, e.value, e.prevValue]), [
          ['put', '/w/a', 4, false, 'a2', 'a'],
          ['delete', '/w/a', 5, false, 'a2', 'a2'],
        ]);
        ac.abort();
        await backend.create('/w/b', 'b');
        assert.equal(seen.length, 2, 'no events after abort');
      } finally {
        ac.abort();
        await cleanup();
      }
    });

    it('watch from the current revision delivers only future changes', async () => {
      const { backend, cleanup } = kind.make();
      const ac = new AbortController();
      try {
        await backend.create('/f/a', 'a');
        const seen: number[] = [];
        await backend.watch({ prefix: '/f/', afterRevision: await backend.revision(), signal: ac.signal, onEvent: (e) => seen.push(e.modRevision) });
        assert.deepEqual(seen, []);
        await backend.create('/f/b', 'b');
        assert.deepEqual(seen, [3]);
      } finally {
        ac.abort();
        await cleanup();
      }
    });

    it('watch and past reads older than the bounded history are 410 Gone', async () => {
      const { backend, cleanup } = kind.make({ historySize: 3 });
      const ac = new AbortController();
      try {
        for (let i = 0; i < 6; i++) await backend.create(`/g/${i}`, 'v'); // revisions 2..7; history keeps 5..7
        await assert.rejects(
          backend.watch({ prefix: '/g/', afterRevision: 3, signal: ac.signal, onEvent: () => undefined }),
          (e) => e instanceof ApiError && e.reason === 'Gone' && e.code === 410 && e.message === 'too old resource version: 3 (4)',
        );
        await assert.rejects(backend.list('/g/', { revision: 3 }), (e) => reason(e) === 'Gone');
        const seen: number[] = [];
        await backend.watch({ prefix: '/g/', afterRevision: 4, signal: ac.signal, onEvent: (e) => seen.push(e.modRevision) });
        assert.deepEqual(seen, [5, 6, 7]);
      } finally {
        ac.abort();
        await cleanup();
      }
    });

    it('fans every change out to many watchers in revision order, also for writes made inside a callback', async () => {
      const { backend, cleanup } = kind.make();
      const ac = new AbortController();
      try {
        setMaxListeners(200, ac.signal);
        const logs: number[][] = Array.from({ length: 150 }, () => []);
        let reacted = false;
        await backend.watch({
          prefix: '/fan/',
          afterRevision: 1,
          signal: ac.signal,
          onEvent: (e) => {
            if (!reacted && e.key === '/fan/a') {
              reacted = true;
              void backend.create('/fan/b', 'from-callback');
            }
          },
        });
        for (const log of logs) await backend.watch({ prefix: '/fan/', afterRevision: 1, signal: ac.signal, onEvent: (e) => log.push(e.modRevision) });
        await backend.create('/fan/a', 'a');
        await backend.create('/fan/c', 'c');
        for (let i = 0; i < 5 && (logs[0]?.length ?? 0) < 3; i++) await new Promise((r) => setImmediate(r));
        for (const log of logs) assert.deepEqual(log, [...log].sort((a, b) => a - b));
        assert.ok(logs.every((l) => l.length === 3), `every watcher saw 3 events: ${JSON.stringify(logs[0])}`);
      } finally {
        ac.abort();
        await cleanup();
      }
    });

    it('a throwing watcher is ended with onError without disturbing the others', async () => {
      const { backend, cleanup } = kind.make();
      const ac = new AbortController();
      try {
        const errors: Error[] = [];
        const good: string[] = [];
        await backend.watch({ prefix: '/t/', afterRevision: 1, signal: ac.signal, onEvent: () => { throw new Error('boom'); }, onError: (e) => errors.push(e) });
        await backend.watch({ prefix: '/t/', afterRevision: 1, signal: ac.signal, onEvent: (e) => good.push(e.key) });
        await backend.create('/t/1', 'v');
        await backend.create('/t/2', 'v');
        assert.deepEqual(errors.map((e) => e.message), ['boom']);
        assert.deepEqual(good, ['/t/1', '/t/2']);
      } finally {
        ac.abort();
        await cleanup();
      }
    });

    it('close ends watches with onError and rejects later writes', async () => {
      const { backend, cleanup } = kind.make();
      const errors: Error[] = [];
      await backend.watch({ prefix: '/', afterRevision: 1, signal: new AbortController().signal, onEvent: () => undefined, onError: (e) => errors.push(e) });
      await cleanup();
      assert.equal(errors.length, 1);
      await assert.rejects(backend.create('/x', 'v'), (e) => reason(e) === 'ServiceUnavailable');
    });
  });
}
