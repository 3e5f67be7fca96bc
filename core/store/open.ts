/** `openStore`: the one-call way to get a backend and an object store over it. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryBackend } from './memory.js';
import { createObjectStore, type ObjectStoreOptions } from './objects.js';
import { SqliteBackend } from './sqlite.js';
import type { Backend, ObjectStore } from './types.js';

export type StoreKind = 'memory' | 'sqlite';

export interface OpenStoreOptions extends ObjectStoreOptions {
  /** How many changes are kept for watch-from-revision (default 10,000). */
  historySize?: number;
}

/**
 * Opens a backend of `kind` and an object store over it. `sqlite` keeps its state in
 * `<dataDir>/state.db` (the folder is created if missing) and needs `dataDir`.
 */
export function openStore(kind: StoreKind, dataDir?: string, opts: OpenStoreOptions = {}): { backend: Backend; store: ObjectStore } {
  const { historySize, ...storeOpts } = opts;
  const backendOpts = historySize === undefined ? {} : { historySize };
  let backend: Backend;
  if (kind === 'memory') {
    backend = new MemoryBackend(backendOpts);
  } else if (kind === 'sqlite') {
    if (!dataDir) throw new Error('the sqlite store needs a data directory');
    mkdirSync(dataDir, { recursive: true });
    backend = new SqliteBackend(join(dataDir, 'state.db'), backendOpts);
  } else {
    throw new Error(`unknown store kind "${String(kind)}"; known kinds: memory, sqlite`);
  }
  return { backend, store: createObjectStore(backend, storeOpts) };
}
