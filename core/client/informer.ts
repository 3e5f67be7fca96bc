/** `Informer`: a list+watch cache of one resource with event handlers (client-go's reflector and indexer, simplified). */
import { ApiError, isGone } from '../api/index.js';
import type { KubeObject } from '../api/index.js';
import type { Clock, Logger } from '../util/index.js';
import type { KubeClient } from './client.js';
import { backoffDelay } from './ratelimit.js';
import type { BackoffOptions } from './ratelimit.js';
import type { ResourceTarget } from './resource.js';
import { objectKey } from './resource.js';
import type { WatchEvent } from './watch.js';

export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  /** Also called with `oldObj === newObj` on a periodic resync. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** The last known state of the deleted object. */
  onDelete?(obj: T): void;
}

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerOptions extends InformerScope {
  client: Pick<KubeClient, 'listAll' | 'watch'>;
  target: ResourceTarget;
  clock: Clock;
  log: Logger;
  /** Re-deliver every cached object as an update this often; off when absent. */
  resyncMs?: number;
  /** Back-off between failed list/watch attempts; default 200 ms doubling to 30 s. */
  backoff?: BackoffOptions;
  /** Server-side watch timeout; the informer re-watches from its resourceVersion when it ends. Default 300. */
  watchTimeoutSeconds?: number;
}

/**
 * Lists, then watches from the list's resourceVersion; re-watches when the server ends a watch,
 * re-lists (with back-off) after 410 Gone or a broken watch. Handlers run synchronously, in event order.
 */
export class Informer<T extends KubeObject = KubeObject> {
  readonly target: ResourceTarget;
  private readonly cache = new Map<string, T>();
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly syncWaiters: (() => void)[] = [];
  private synced = false;
  private running = false;
  private rv = '';
  private failures = 0;

  constructor(private readonly opts: InformerOptions) {
    this.target = opts.target;
  }

  /** Adds handlers; objects already cached are delivered to `onAdd` at once. Returns a function that removes them. */
  addHandlers(h: InformerHandlers<T>): () => void {
    this.handlers.add(h);
    for (const obj of this.cache.values()) this.call(() => h.onAdd?.(obj));
    return () => this.handlers.delete(h);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been loaded; rejects if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** The cached objects. They are shared with every other handler and controller: never mutate them. */
  list(): T[] {
    return [...this.cache.values()];
  }

  /** The cached object under `namespace/name` (or `name` when cluster-scoped); shared, never mutate it. */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  /** The resourceVersion the cache is current to. */
  get resourceVersion(): string {
    return this.rv;
  }

  /** Runs until `signal` aborts. Calling it twice is an error. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`informer for ${this.target.plural} is already running`);
    this.running = true;
    const resync = this.opts.resyncMs ? this.resyncLoop(this.opts.resyncMs, signal) : Promise.resolve();
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (e) {
        if (signal.aborted) break;
        const gone = isGone(e) || (e instanceof ApiError && e.code === 410);
        const delay = gone && this.failures === 0 ? 0 : backoffDelay(this.failures, this.opts.backoff?.baseMs ?? 200, this.opts.backoff?.maxMs ?? 30_000);
        this.failures++;
        this.opts.log.warn(gone ? 'watch expired, re-listing' : 'list or watch failed', { resource: this.target.plural, error: (e as Error).message, delayMs: delay });
        await this.opts.clock.sleep(delay, signal).catch(() => undefined);
      }
    }
    await resync;
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    const scope = this.scope();
    const list = await this.opts.client.listAll<T>(this.target, { ...scope, signal });
    this.replace(list.items, list.metadata.resourceVersion ?? '');
    while (!signal.aborted) {
      const stream = await this.opts.client.watch<T>(this.target, {
        ...scope,
        resourceVersion: this.rv,
        allowBookmarks: true,
        timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
        signal,
      });
      let events = 0;
      for await (const ev of stream) {
        events++;
        this.failures = 0;
        this.apply(ev);
      }
      // A stream that closes without even a bookmark is not a normal timeout: back off and re-list.
      if (events === 0 && !signal.aborted) throw new ApiError('ServiceUnavailable', 'watch closed without any event');
    }
  }

  private scope(): InformerScope {
    const { namespace, labelSelector, fieldSelector } = this.opts;
    return { namespace, labelSelector, fieldSelector };
  }

  /** Replaces the cache with a fresh list, delivering adds, changed objects as updates, and deletes. */
  private replace(items: readonly T[], rv: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit((h) => h.onAdd?.(obj));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit((h) => h.onUpdate?.(old, obj));
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(old));
    }
    this.rv = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private apply(ev: WatchEvent<T>): void {
    const obj = ev.object;
    const rv = obj.metadata.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.rv = rv;
      return;
    }
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (ev.type === 'DELETED') {
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(obj));
    } else {
      this.cache.set(key, obj);
      if (old) this.emit((h) => h.onUpdate?.(old, obj));
      else this.emit((h) => h.onAdd?.(obj));
    }
    if (rv) this.rv = rv;
  }

  private async resyncLoop(ms: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.opts.clock.sleep(ms, signal);
      } catch {
        return;
      }
      if (!this.synced) continue;
      for (const obj of this.cache.values()) this.emit((h) => h.onUpdate?.(obj, obj));
    }
  }

  private emit(fn: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.opts.log.error('informer handler failed', { resource: this.target.plural, error: (e as Error).message });
    }
  }
}
