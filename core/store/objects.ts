/** `createObjectStore`: Kubernetes object semantics (see semantics.ts) over any `Backend`. */
import { randomInt, randomUUID } from 'node:crypto';
import { ApiError, isAlreadyExists, isConflict, isGone, isNotFound, type KubeObject } from '../api/index.js';
import { rfc3339, systemClock, type Clock } from '../util/index.js';
import {
  alreadyExists, conflict, continueTooOld, decodeContinue, decodeKv, decodeValue, encodeContinue, encodeObject,
  notFound, objectKey, parseResourceVersion, prefixFor,
} from './keys.js';
import { watchObjects } from './object-watch.js';
import {
  canonicalJson, finalizersFor, markDeleting, nameSuffixAlphabet, preconditionFailure, prepareCreate, prepareUpdate,
  readyToRemove, requireNameOrGenerate,
} from './semantics.js';
import type { Backend, DeleteOptions, KeyValue, ListOptions, ObjectStore, ObjectWatchOptions, ResourceRef, WriteOptions } from './types.js';

export interface ObjectStoreOptions {
  clock?: Clock;
  /** Makes object uids (default `crypto.randomUUID`). */
  uid?: () => string;
  /** Makes the 5-character `generateName` suffix (default: random from Kubernetes' alphabet). */
  nameSuffix?: () => string;
}

/** How often a write retries after losing a compare-and-swap race it did not ask to lose. */
const maxRetries = 16;
const maxNameAttempts = 8;

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += nameSuffixAlphabet[randomInt(nameSuffixAlphabet.length)] ?? '';
  return s;
}

export function createObjectStore(backend: Backend, opts: ObjectStoreOptions = {}): ObjectStore {
  return new KubeObjectStore(backend, opts);
}

class KubeObjectStore implements ObjectStore {
  private readonly clock: Clock;
  private readonly uid: () => string;
  private readonly nameSuffix: () => string;

  constructor(readonly backend: Backend, opts: ObjectStoreOptions) {
    this.clock = opts.clock ?? systemClock;
    this.uid = opts.uid ?? (() => randomUUID());
    this.nameSuffix = opts.nameSuffix ?? randomSuffix;
  }

  private async read(res: ResourceRef, namespace: string | undefined, name: string): Promise<{ key: string; kv: KeyValue }> {
    const key = objectKey(res, namespace, name);
    const kv = await this.backend.get(key);
    if (!kv) throw notFound(res, name);
    return { key, kv };
  }

  async get(res: ResourceRef, namespace: string | undefined, name: string): Promise<KubeObject> {
    return decodeKv((await this.read(res, namespace, name)).kv);
  }

  async list(res: ResourceRef, opts: ListOptions = {}): Promise<{ items: KubeObject[]; resourceVersion: string; continue?: string }> {
    const prefix = prefixFor(res, opts.namespace);
    const range = opts.continue ? decodeContinue(opts.continue, prefix) : {};
    let snapshot: { items: KeyValue[]; revision: number };
    try {
      snapshot = await this.backend.list(prefix, range);
    } catch (err) {
      throw opts.continue && isGone(err) ? continueTooOld() : err;
    }
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    const items: KubeObject[] = [];
    let lastKey: string | undefined;
    let i = 0;
    for (; i < snapshot.items.length && items.length < limit; i++) {
      const kv = snapshot.items[i];
      if (!kv) continue;
      const obj = decodeKv(kv);
      lastKey = kv.key;
      if (!opts.filter || opts.filter(obj)) items.push(obj);
    }
    const resourceVersion = String(snapshot.revision);
    const more = lastKey !== undefined && hasMatch(snapshot.items, i, opts.filter);
    return more && lastKey !== undefined ? { items, resourceVersion, continue: encodeContinue(lastKey, snapshot.revision) } : { items, resourceVersion };
  }

  async create(res: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    requireNameOrGenerate(res, obj);
    const namespace = res.namespaced ? obj.metadata.namespace : undefined;
    const fixed = obj.metadata.name;
    for (let attempt = 1; ; attempt++) {
      const name = fixed || `${obj.metadata.generateName ?? ''}${this.nameSuffix()}`;
      const key = objectKey(res, namespace, name);
      const next = prepareCreate({ res, obj, name, uid: this.uid(), now: rfc3339(this.clock.now()) });
      opts.prepare?.(next);
      try {
        if (opts.dryRun) {
          if (await this.backend.get(key)) throw new ApiError('AlreadyExists', key);
          return next;
        }
        const value = encodeObject(next);
        return decodeValue(value, await this.backend.create(key, value));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        if (fixed || attempt >= maxNameAttempts) throw alreadyExists(res, name);
      }
    }
  }

  async update(res: ResourceRef, obj: KubeObject, opts: WriteOptions & { subresource?: 'status' | '' } = {}): Promise<KubeObject> {
    const name = obj.metadata?.name;
    if (!name) throw new ApiError('BadRequest', 'metadata.name is required for an update');
    const want = obj.metadata.resourceVersion || undefined;
    if (want !== undefined) parseResourceVersion(want);
    for (let attempt = 1; ; attempt++) {
      const { key, kv } = await this.read(res, res.namespaced ? obj.metadata.namespace : undefined, name);
      if (want !== undefined && want !== String(kv.modRevision)) throw conflict(res, name);
      const stored = JSON.parse(kv.value) as KubeObject;
      const next = prepareUpdate(res, stored, obj, opts.subresource ?? '');
      if (canonicalJson(next) === canonicalJson(stored)) return decodeKv(kv);
      if (opts.dryRun) return decodeValue(encodeObject(next), kv.modRevision);
      const value = encodeObject(next);
      try {
        const rev = readyToRemove(next) ? await this.backend.delete(key, kv.modRevision) : await this.backend.update(key, value, kv.modRevision);
        return decodeValue(value, rev);
      } catch (err) {
        if (isNotFound(err)) throw notFound(res, name);
        if (!isConflict(err)) throw err;
        if (want !== undefined || attempt >= maxRetries) throw conflict(res, name);
      }
    }
  }

  async delete(res: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    for (let attempt = 1; ; attempt++) {
      const { key, kv } = await this.read(res, namespace, name);
      const stored = decodeKv(kv);
      const failed = preconditionFailure(stored, opts.preconditions);
      if (failed) throw conflict(res, name, failed);
      if (stored.metadata.deletionTimestamp) return stored;
      const finalizers = finalizersFor(stored.metadata.finalizers ?? [], opts.propagationPolicy);
      const next = finalizers.length > 0 ? markDeleting(stored, finalizers, rfc3339(this.clock.now())) : undefined;
      if (opts.dryRun) return next ?? stored;
      try {
        if (next) {
          const value = encodeObject(next);
          return decodeValue(value, await this.backend.update(key, value, kv.modRevision));
        }
        return decodeValue(kv.value, await this.backend.delete(key, kv.modRevision));
      } catch (err) {
        if (isNotFound(err)) throw notFound(res, name);
        if (!isConflict(err) || attempt >= maxRetries) throw err;
      }
    }
  }

  watch(res: ResourceRef, opts: ObjectWatchOptions): Promise<void> {
    return watchObjects(this.backend, res, opts);
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/** Whether any item from index `from` on passes the filter (so another page exists). */
function hasMatch(items: readonly KeyValue[], from: number, filter: ListOptions['filter']): boolean {
  if (!filter) return from < items.length;
  for (let i = from; i < items.length; i++) {
    const kv = items[i];
    if (kv && filter(decodeKv(kv))) return true;
  }
  return false;
}
