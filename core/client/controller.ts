/** The shared controller runner (STYLE.md §6): queue, de-duplication, retries with back-off, one log line per error. */
import type { Clock, Logger } from '../util/index.js';
import { WorkQueue } from './workqueue.js';

/** A component that runs until its signal aborts. */
export interface Controller {
  readonly name: string;
  start(signal: AbortSignal): Promise<void>;
}

export type ReconcileResult = { requeueAfterMs?: number } | void;

/** Re-reads current state for `key` and converges it; throwing retries the key with back-off. */
export type Reconcile = (key: string, signal: AbortSignal) => Promise<ReconcileResult>;

export interface ControllerRunnerOptions {
  name: string;
  reconcile: Reconcile;
  /** Concurrent reconciles (never two for the same key); default 1. */
  workers?: number;
  clock: Clock;
  log: Logger;
  queue?: WorkQueue;
}

export class ControllerRunner {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly reconcile: Reconcile;
  private readonly workers: number;
  private readonly log: Logger;

  constructor(opts: ControllerRunnerOptions) {
    this.name = opts.name;
    this.reconcile = opts.reconcile;
    this.workers = Math.max(1, opts.workers ?? 1);
    this.log = opts.log;
    this.queue = opts.queue ?? new WorkQueue({ clock: opts.clock });
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Processes keys until `signal` aborts, then shuts the queue down and waits for in-flight reconciles. */
  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) {
      this.queue.shutDown();
      return;
    }
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    const workers = Array.from({ length: this.workers }, () => this.worker(signal));
    await Promise.all(workers);
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.processOne(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async processOne(key: string, signal: AbortSignal): Promise<void> {
    try {
      const result = await this.reconcile(key, signal);
      this.queue.forget(key);
      if (result && result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (e) {
      if (signal.aborted) return;
      this.log.child({ controller: this.name, key }).error('reconcile failed', { error: e instanceof Error ? e.message : String(e), retries: this.queue.numRequeues(key) });
      this.queue.addRateLimited(key);
    }
  }
}
