/** Fixtures for the store tests: both backends behind one factory, object builders, a watch recorder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../core/api/index.js';
import {
  MemoryBackend, SqliteBackend, createObjectStore, type Backend, type ObjectEvent, type ObjectStore, type ObjectStoreOptions,
  type ObjectWatchOptions, type ResourceRef,
} from '../../../core/store/index.js';
import { FakeClock } from '../../../core/util/index.js';

export const deployments: ResourceRef = { group: 'apps', plural: 'deployments', namespaced: true };
export const namespaces: ResourceRef = { group: '', plural: 'namespaces', namespaced: false };
export const configmaps: ResourceRef = { group: '', plural: 'configmaps', namespaced: true };

export interface BackendFixture {
  backend: Backend;
  /** Closes the backend and removes its files. */
  cleanup(): Promise<void>;
}

export function tempDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `skiff-store-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const backendKinds: { name: string; make(opts?: { historySize?: number }): BackendFixture }[] = [
  {
    name: 'memory',
    make: (opts = {}) => {
      const backend = new MemoryBackend(opts);
      return { backend, cleanup: () => backend.close() };
    },
  },
  {
    name: 'sqlite',
    make: (opts = {}) => {
      const tmp = tempDir('sqlite');
      const backend = new SqliteBackend(join(tmp.dir, 'state.db'), opts);
      return {
        backend,
        cleanup: async () => {
          await backend.close();
          tmp.remove();
        },
      };
    },
  },
];

export interface StoreFixture extends BackendFixture {
  store: ObjectStore;
  clock: FakeClock;
}

/** An object store with a fake clock and predictable uids (`uid-1`, `uid-2`…). */
export function makeStore(kind: (typeof backendKinds)[number], opts: ObjectStoreOptions & { historySize?: number } = {}): StoreFixture {
  const { historySize, ...storeOpts } = opts;
  const fx = kind.make(historySize === undefined ? {} : { historySize });
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0, 500));
  let n = 0;
  const store = createObjectStore(fx.backend, { clock, uid: () => `uid-${++n}`, ...storeOpts });
  return { ...fx, store, clock };
}

export function makeDeployment(p: {
  name?: string;
  generateName?: string;
  namespace?: string;
  replicas?: number;
  labels?: Record<string, string>;
  finalizers?: string[];
  status?: Record<string, unknown>;
}): KubeObject {
  const metadata: KubeObject['metadata'] = { namespace: p.namespace ?? 'default' };
  if (p.name !== undefined) metadata.name = p.name;
  if (p.generateName !== undefined) metadata.generateName = p.generateName;
  if (p.labels) metadata.labels = p.labels;
  if (p.finalizers) metadata.finalizers = p.finalizers;
  const obj: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: p.replicas ?? 1 } };
  if (p.status) obj.status = p.status;
  return obj;
}

export function makeNamespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** Records object watch events; `stop()` aborts the watch. */
export class WatchRecorder {
  readonly events: ObjectEvent[] = [];
  readonly errors: Error[] = [];
  private readonly ac = new AbortController();

  async start(store: ObjectStore, res: ResourceRef, opts: Omit<ObjectWatchOptions, 'signal' | 'onEvent' | 'onError'> = {}): Promise<this> {
    await store.watch(res, {
      ...opts,
      signal: this.ac.signal,
      onEvent: (ev) => this.events.push(ev),
      onError: (err) => this.errors.push(err),
    });
    return this;
  }

  /** `TYPE name@resourceVersion` for each event, for compact assertions. */
  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}@${e.object.metadata.resourceVersion ?? ''}`);
  }

  stop(): void {
    this.ac.abort();
  }
}

/** Lets queued work (such as a group-commit flush) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function specOf(obj: KubeObject): Record<string, unknown> {
  return (obj.spec ?? {}) as Record<string, unknown>;
}
