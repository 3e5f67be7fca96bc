import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../core/api/index.js';
import Database from 'better-sqlite3';
import { SqliteBackend, createObjectStore, openStore } from '../../../core/store/index.js';
import { SKIFF_APPLICATION_ID, STATE_FORMAT } from '../../../core/store/sqlite-file.js';
import { deployments, makeDeployment, tempDir } from './helpers.js';

describe('sqlite backend durability', () => {
  it('1,000 acknowledged writes are all found after reopening, and the revision continues', async () => {
    const tmp = tempDir('reopen');
    const path = join(tmp.dir, 'state.db');
    try {
      const first = new SqliteBackend(path);
      const revs = await Promise.all(Array.from({ length: 1000 }, (_, i) => first.create(`/k/${String(i).padStart(4, '0')}`, `v${i}`)));
      await first.update('/k/0000', 'changed');
      await first.delete('/k/0001');
      const lastRev = await first.revision();
      assert.equal(new Set(revs).size, 1000, 'every write got its own revision');
      await first.close();

      const second = new SqliteBackend(path);
      try {
        const { items, revision } = await second.list('/k/');
        assert.equal(revision, lastRev);
        assert.equal(items.length, 999, 'the delete is durable too');
        assert.equal((await second.get('/k/0000'))?.value, 'changed');
        assert.equal(await second.get('/k/0001'), undefined);
        assert.equal((await second.get('/k/0999'))?.value, 'v999');
        assert.equal(await second.create('/k/new', 'x'), lastRev + 1);
      } finally {
        await second.close();
      }
    } finally {
      tmp.remove();
    }
  });

  it('a watch from before a restart is 410 Gone (history is memory-only), from the reopened revision it works', async () => {
    const tmp = tempDir('restart-watch');
    const path = join(tmp.dir, 'state.db');
    const ac = new AbortController();
    try {
      const first = new SqliteBackend(path);
      await first.create('/a', '1');
      await first.create('/b', '2');
      await first.close();
      const second = new SqliteBackend(path);
      try {
        await assert.rejects(second.watch({ prefix: '/', afterRevision: 2, signal: ac.signal, onEvent: () => undefined }), (e) => e instanceof ApiError && e.reason === 'Gone');
        const seen: string[] = [];
        await second.watch({ prefix: '/', afterRevision: await second.revision(), signal: ac.signal, onEvent: (e) => seen.push(e.key) });
        await second.create('/c', '3');
        assert.deepEqual(seen, ['/c']);
      } finally {
        ac.abort();
        await second.close();
      }
    } finally {
      tmp.remove();
    }
  });

  it('group commit: a failing write in a batch fails alone', async () => {
    const tmp = tempDir('batch');
    const backend = new SqliteBackend(join(tmp.dir, 'state.db'));
    try {
      await backend.create('/x', 'v');
      const results = await Promise.allSettled([
        backend.create('/y', 'v'),
        backend.create('/x', 'dup'),
        backend.update('/missing', 'v'),
        backend.update('/x', 'w', 1),
        backend.update('/y', 'y2'),
        backend.delete('/x'),
      ]);
      const summary = results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as ApiError).reason));
      assert.deepEqual(summary, [3, 'AlreadyExists', 'NotFound', 'Conflict', 4, 5]);
      assert.equal((await backend.get('/y'))?.value, 'y2', 'a later write in the batch sees an earlier one');
    } finally {
      await backend.close();
      tmp.remove();
    }
  });

  it('close commits writes still queued', async () => {
    const tmp = tempDir('close');
    const path = join(tmp.dir, 'state.db');
    try {
      const backend = new SqliteBackend(path);
      const pending = backend.create('/queued', 'v');
      await backend.close();
      assert.equal(await pending, 2);
      const reopened = new SqliteBackend(path);
      assert.equal((await reopened.get('/queued'))?.value, 'v');
      await reopened.close();
    } finally {
      tmp.remove();
    }
  });

  const openErrors = [
    { description: 'a missing directory', setup: (dir: string) => join(dir, 'no', 'such', 'state.db'), says: 'cannot open the state file ' },
    {
      description: 'a file that is not a database',
      setup: (dir: string) => {
        const p = join(dir, 'junk.db');
        writeFileSync(p, 'this is not sqlite, just text that is long enough to have a header '.repeat(20));
        return p;
      },
      says: 'is not a skiff state file: file is not a database',
    },
  ];
  for (const c of openErrors) {
    it(`opening ${c.description} fails with a clear message`, () => {
      const tmp = tempDir('openerr');
      try {
        const path = c.setup(tmp.dir);
        assert.throws(() => new SqliteBackend(path), (e) => e instanceof Error && e.message.includes(path) && e.message.includes(c.says) && !e.message.includes('\n'));
      } finally {
        tmp.remove();
      }
    });
  }

  it('a new state file is marked as skiff\'s; one written before the marks existed is kept and marked', async () => {
    const tmp = tempDir('marks');
    try {
      const fresh = join(tmp.dir, 'fresh.db');
      await new SqliteBackend(fresh).close();
      const f = new Database(fresh, { readonly: true });
      assert.equal(f.pragma('application_id', { simple: true }), SKIFF_APPLICATION_ID);
      assert.equal(f.pragma('user_version', { simple: true }), STATE_FORMAT);
      f.close();
      // The tables of an older skiff, without the marks.
      const old = join(tmp.dir, 'old.db');
      const o = new Database(old);
      o.exec("CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, create_revision INTEGER NOT NULL, mod_revision INTEGER NOT NULL) WITHOUT ROWID; CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID; INSERT INTO kv VALUES ('/a', 'v', 2, 2); INSERT INTO meta VALUES ('revision', 2);");
      o.close();
      const b = new SqliteBackend(old);
      assert.equal((await b.get('/a'))?.value, 'v');
      await b.close();
      const m = new Database(old, { readonly: true });
      assert.equal(m.pragma('application_id', { simple: true }), SKIFF_APPLICATION_ID);
      m.close();
    } finally {
      tmp.remove();
    }
  });

  it('openStore("sqlite") creates the data directory and keeps objects across reopen', async () => {
    const tmp = tempDir('openstore');
    const dataDir = join(tmp.dir, 'data');
    try {
      const a = openStore('sqlite', dataDir);
      const created = await a.store.create(deployments, makeDeployment({ name: 'web' }));
      await a.store.close();
      const b = openStore('sqlite', dataDir);
      assert.deepEqual(await b.store.get(deployments, 'default', 'web'), created);
      const again = createObjectStore(b.backend);
      assert.equal((await again.list(deployments)).items.length, 1);
      await b.store.close();
      assert.throws(() => openStore('sqlite'), /needs a data directory/);
    } finally {
      tmp.remove();
    }
  });
});
