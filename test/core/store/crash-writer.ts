/**
 * Child process for the SIGKILL durability test (not a test itself): writes keys into the
 * sqlite store at argv[2] with 8 concurrent writers and prints `ack <key>` once each write
 * is acknowledged. Stops by itself after 20,000 writes or 60 s if nobody kills it.
 */
import { SqliteBackend } from '../../../core/store/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer.ts <db path>');
const backend = new SqliteBackend(path);
const deadline = Date.now() + 60_000;
let next = 0;

async function writer(): Promise<void> {
  while (next < 20_000 && Date.now() < deadline) {
    const key = `/crash/${String(next++).padStart(6, '0')}`;
    await backend.create(key, JSON.stringify({ n: next }));
    process.stdout.write(`ack ${key}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: 8 }, () => writer()));
await backend.close();
