/**
 * `skiff up` on a data dir whose `state.db` it must not use — a text file, another program's sqlite
 * database, a corrupted state file, one written by a newer skiff — stops with one line that names the
 * file and what is wrong, exit code 1, no stack trace, and leaves the file as it was.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteBackend } from '../../core/store/index.js';
import { run, skiffCli, tempDir } from '../support/skiff.js';

/** A skiff state file with enough rows to span many pages. */
async function skiffStateFile(path: string): Promise<void> {
  const b = new SqliteBackend(path);
  await Promise.all(Array.from({ length: 300 }, (_, i) => b.create(`/registry/configmaps/default/c${i}`, JSON.stringify({ pad: 'x'.repeat(1000), i }))));
  await b.close();
}

const cases: { what: string; make: (path: string) => Promise<void> | void; says: RegExp }[] = [
  {
    what: 'a text file',
    make: (p) => writeFileSync(p, 'these are my notes, not a database\n'.repeat(200)),
    says: /is not a skiff state file: file is not a database/,
  },
  {
    what: "another program's sqlite database",
    make: (p) => {
      const db = new Database(p);
      db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');");
      db.close();
    },
    says: /is not a skiff state file: it is a sqlite database of another program \(tables: users\)/,
  },
  {
    what: 'a corrupted state file',
    make: async (p) => {
      await skiffStateFile(p);
      // Garbage over the pages after the first (the schema stays readable, the rows do not).
      const fd = openSync(p, 'r+');
      const page = 4096;
      for (let off = page; off + page <= statSync(p).size; off += 2 * page) writeSync(fd, Buffer.alloc(page, 0xa5), 0, page, off);
      closeSync(fd);
    },
    says: /is corrupted: database disk image is malformed/,
  },
  {
    what: 'a state file written by a newer skiff',
    make: async (p) => {
      await skiffStateFile(p);
      const db = new Database(p);
      db.pragma('user_version = 99');
      db.close();
    },
    says: /was written by a newer skiff \(state format 99; this skiff reads up to 1\)/,
  },
];

describe('skiff up refuses a state file it must not use', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  for (const c of cases) {
    it(`${c.what}: one line naming the file, exit code 1, file untouched`, async () => {
      const dataDir = tempDir('skiff-statefile-');
      dirs.push(dataDir);
      const file = join(dataDir, 'state.db');
      await c.make(file);
      const before = readFileSync(file);
      const r = await run(process.execPath, [...skiffCli, 'up', '--data-dir', dataDir, '--store', 'sqlite', '--api-port', '0', '--ingress-http-port', '0', '--ingress-https-port', '0', '--dashboard-port', '0', '--nodes', '0']);
      assert.equal(r.code, 1, `exit code; stderr:\n${r.stderr}`);
      assert.doesNotMatch(r.stdout, /skiff ready/);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line, no stack trace:\n${r.stderr}`);
      const line = lines[0] ?? '';
      assert.ok(line.startsWith(`error: ${file} `), line);
      assert.match(line, c.says);
      assert.deepEqual(readFileSync(file), before, 'the file is left as it was');
    });
  }
});
