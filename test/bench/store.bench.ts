/**
 * Store micro benchmark (not a test): creates/s with 32 concurrent writers through the
 * object store, on the memory backend (the baseline) and on sqlite (durable: WAL,
 * synchronous=FULL, group commit). Target: sqlite ≥ 5,000 durable creates/s.
 *
 *   node --import tsx test/bench/store.bench.ts [--writers 32] [--seconds 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { KubeObject } from '../../core/api/index.js';
import { SqliteBackend, openStore, type ObjectStore, type ResourceRef, type StoreKind } from '../../core/store/index.js';

const { values } = parseArgs({ options: { writers: { type: 'string', default: '32' }, seconds: { type: 'string', default: '3' } } });
const writers = Number(values.writers);
const seconds = Number(values.seconds);
const configmaps: ResourceRef = { group: '', plural: 'configmaps', namespaced: true };

function configMap(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bench', labels: { app: 'bench' } }, data: { key: 'value'.repeat(20) } };
}

async function run(store: ObjectStore): Promise<{ creates: number; perSecond: number }> {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() < end; i++) {
      await store.create(configmaps, configMap(`w${w}-${i}`));
      n++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  const elapsed = (performance.now() - start) / 1000;
  return { creates: n, perSecond: n / elapsed };
}

function commitSummary(backend: SqliteBackend): string {
  const s = backend.stats();
  const perCommitMs = s.commits ? (s.commitSeconds * 1000) / s.commits : 0;
  return ` (${s.commits} commits, ${(s.writes / Math.max(1, s.commits)).toFixed(1)} writes/commit, ${perCommitMs.toFixed(2)} ms/commit incl. fsync)`;
}

async function bench(kind: StoreKind): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), `skiff-bench-${kind}-`));
  try {
    const { store, backend } = openStore(kind, dir);
    const r = await run(store);
    const extra = backend instanceof SqliteBackend ? commitSummary(backend) : '';
    await store.close();
    console.log(`${kind.padEnd(7)} ${writers} writers: ${r.creates} creates in ${seconds}s = ${Math.round(r.perSecond)} creates/s${extra}`);
    return r.perSecond;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const memory = await bench('memory');
const sqlite = await bench('sqlite');
console.log(`sqlite/memory ratio: ${(sqlite / memory).toFixed(3)}; durable target 5000/s: ${sqlite >= 5000 ? 'met' : 'NOT met'}`);
