/**
 * Watch fan-out. Events are delivered synchronously, in revision order, to every watcher
 * whose prefix matches. A write made from inside an `onEvent` callback is queued and
 * delivered after the current event has reached everyone, so order is kept for all.
 */
import type { BackendEvent } from './types.js';

export interface Watcher {
  prefix: string;
  /** The newest revision this watcher has seen; older events are never delivered twice. */
  lastRevision: number;
  onEvent: (ev: BackendEvent) => void;
  onError?: ((err: Error) => void) | undefined;
  /** Set once the watch has ended (aborted, failed or closed). */
  closed: boolean;
  /** Releases what the watch holds (its abort listener). */
  detach?: () => void;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private queue: BackendEvent[] = [];
  private delivering = false;

  get count(): number {
    return this.watchers.size;
  }

  add(w: Watcher): void {
    this.watchers.add(w);
  }

  remove(w: Watcher): void {
    w.closed = true;
    this.watchers.delete(w);
    w.detach?.();
  }

  /** Delivers `w` one event now (replay); a throwing callback ends the watch. */
  deliver(w: Watcher, ev: BackendEvent): void {
    if (w.closed || ev.modRevision <= w.lastRevision || !ev.key.startsWith(w.prefix)) return;
    w.lastRevision = ev.modRevision;
    try {
      w.onEvent(ev);
    } catch (err) {
      this.fail(w, err instanceof Error ? err : new Error(String(err)));
    }
  }

  publish(events: readonly BackendEvent[]): void {
    this.queue.push(...events);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const ev = this.queue[i];
        if (!ev) continue;
        for (const w of this.watchers) this.deliver(w, ev);
      }
    } finally {
      this.queue = [];
      this.delivering = false;
    }
  }

  /** Ends every watch with `err` (backend closed). */
  closeAll(err: Error): void {
    for (const w of [...this.watchers]) this.fail(w, err);
  }

  private fail(w: Watcher, err: Error): void {
    if (w.closed) return;
    this.remove(w);
    w.onError?.(err);
  }
}
