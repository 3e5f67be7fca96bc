/**
 * The lines a watch connection has yet to send. They are written as fast as the connection drains;
 * what waits is bounded: once the connection's unsent bytes plus the waiting lines of live events
 * pass `bound`, the outbox overflows and the watch is ended (as Kubernetes terminates a watcher that
 * cannot keep up). Lines of a replay or an initial list wait as references to objects the store's
 * history or the list holds anyway, encoded when their turn comes, so a long replay to a reader
 * that keeps up is paced instead of counted.
 */
import type { ServerResponse } from 'node:http';

export interface OutboxOptions {
  /** Unsent bytes (connection buffer + waiting live lines) at which the outbox overflows. */
  bound: number;
  /** Told the unsent bytes after every change. */
  onBuffered(bytes: number): void;
  /** Called once, when the bound is passed; nothing is written after. */
  onOverflow(bytes: number): void;
}

type Item = Buffer | (() => Buffer);

export class WatchOutbox {
  private items: (Item | undefined)[] = [];
  private head = 0;
  private waitingBytes = 0;
  private draining = false;
  private overflowed = false;

  constructor(private readonly res: ServerResponse, private readonly signal: AbortSignal, private readonly opts: OutboxOptions) {}

  /** Queues a live event's line; it counts against the bound until written. */
  line(buf: Buffer): void {
    if (this.closed()) return;
    this.items.push(buf);
    this.waitingBytes += buf.length;
    this.pump();
  }

  /** Queues a line of an object something else holds (replay, initial list); encoded when written. */
  deferred(encode: () => Buffer): void {
    if (this.closed()) return;
    this.items.push(encode);
    this.pump();
  }

  /** Drops whatever still waits (the watch is ending). */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.waitingBytes = 0;
  }

  private closed(): boolean {
    return this.overflowed || this.signal.aborted || this.res.writableEnded;
  }

  private pump(): void {
    // Above the socket's own high-water mark, so a full connection always emits 'drain'.
    const high = Math.max(this.opts.bound / 2, 64 * 1024);
    while (this.head < this.items.length && this.res.writableLength < high && !this.closed()) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined;
      if (item === undefined) continue;
      if (typeof item === 'function') {
        this.res.write(item());
      } else {
        this.waitingBytes -= item.length;
        this.res.write(item);
      }
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    const unsent = this.res.writableLength + this.waitingBytes;
    this.opts.onBuffered(unsent);
    if (unsent > this.opts.bound && !this.overflowed) {
      this.overflowed = true;
      this.clear();
      this.opts.onOverflow(unsent);
      return;
    }
    if (this.head < this.items.length && !this.draining && !this.closed()) {
      this.draining = true;
      void drained(this.res, this.signal).then(() => {
        this.draining = false;
        this.pump();
      });
    }
  }
}

/** Resolves when `res` drains, closes, or `signal` aborts. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
