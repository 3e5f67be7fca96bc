/** A de-duplicating, rate-limited work queue of string keys (client-go's workqueue semantics). */
import type { Clock } from '../util/index.js';
import { ItemBackoff } from './ratelimit.js';
import type { BackoffOptions } from './ratelimit.js';

export interface WorkQueueOptions {
  clock: Clock;
  /** Per-key exponential back-off for `addRateLimited`; default 5 ms doubling up to 1000 s. */
  backoff?: BackoffOptions;
}

/**
 * Keys queued while waiting are processed once; a key re-added while being processed is
 * queued again when `done` is called, so one key is never processed by two workers at once.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly backoff: ItemBackoff;
  private readonly timers = new AbortController();
  /** One pending delayed add per key: the earliest wins. */
  private readonly delayed = new Map<string, { at: number; cancel: AbortController }>();
  private readonly clock: Clock;
  private stopped = false;

  constructor(opts: WorkQueueOptions) {
    this.clock = opts.clock;
    this.backoff = new ItemBackoff(opts.backoff);
  }

  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Adds `key` after `ms` of the injected clock (immediately when `ms <= 0`); of several pending delays for a key the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return; // an earlier add is already scheduled
    pending?.cancel.abort();
    const cancel = new AbortController();
    const entry = { at, cancel };
    this.delayed.set(key, entry);
    const onStop = (): void => cancel.abort();
    this.timers.signal.addEventListener('abort', onStop, { once: true });
    this.clock.sleep(ms, cancel.signal).then(
      () => {
        this.timers.signal.removeEventListener('abort', onStop);
        if (this.delayed.get(key) === entry) this.delayed.delete(key);
        this.add(key);
      },
      () => this.timers.signal.removeEventListener('abort', onStop),
    );
  }

  /** Adds `key` after its next back-off delay. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.backoff.when(key));
  }

  /** Resets the back-off of `key` (call after a success). */
  forget(key: string): void {
    this.backoff.forget(key);
  }

  numRequeues(key: string): number {
    return this.backoff.numRequeues(key);
  }

  /** Waits for the next key; `undefined` once the queue is shut down (or `signal` aborts). Call `done` after processing. */
  get(signal?: AbortSignal): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.stopped || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = (k: string | undefined): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(k);
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Marks `key` processed; if it was re-added meanwhile it goes back on the queue. */
  done(key: string): void {
    this.processing.delete(key);
    if (!this.dirty.has(key) || this.stopped) return;
    this.dirty.delete(key);
    this.add(key);
  }

  /** Number of keys waiting (not counting those being processed or delayed). */
  len(): number {
    return this.queue.length;
  }

  get shuttingDown(): boolean {
    return this.stopped;
  }

  /** Stops accepting keys, cancels delayed adds and releases every waiting `get` with `undefined`. */
  shutDown(): void {
    this.stopped = true;
    this.timers.abort();
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
