import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteBackend } from '../../../core/store/index.js';
import { tempDir } from './helpers.js';

const writerScript = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

/** Runs the writer, SIGKILLs it once `killAfter` acks were printed, returns the acknowledged keys. */
function runAndKill(dbPath: string, killAfter: number): Promise<{ acked: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: string[] = [];
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (acked.length >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ acked, signal }));
  });
}

it('every write acknowledged before a SIGKILL is in the sqlite store after reopening', async () => {
  const tmp = tempDir('crash');
  const dbPath = join(tmp.dir, 'state.db');
  try {
    const { acked, signal } = await runAndKill(dbPath, 500);
    assert.equal(signal, 'SIGKILL', 'the writer was killed mid-stream');
    assert.ok(acked.length >= 500, `acked ${acked.length}`);
    const backend = new SqliteBackend(dbPath);
    try {
      const missing = [];
      for (const key of acked) if (!(await backend.get(key))) missing.push(key);
      assert.deepEqual(missing, [], 'no acknowledged write is lost');
      const { items } = await backend.list('/crash/');
      assert.ok(items.length >= acked.length);
      assert.equal(await backend.revision(), 1 + items.length, 'the revision counts every committed write');
    } finally {
      await backend.close();
    }
  } finally {
    tmp.remove();
  }
});
