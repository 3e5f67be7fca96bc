/**
 * The in-memory key-value state both backends share: sorted keys, one revision, the
 * bounded change history and the watch fan-out. Writes are split into a pure `planWrite`
 * (check + compute) and `apply` (make visible, record, notify), so a durable backend can
 * persist planned changes before applying them.
 */
import { ApiError } from '../api/index.js';
import { EventHistory } from './history.js';
import { WatchHub, type Watcher } from './hub.js';
import { SortedKeys } from './sorted-keys.js';
import type { BackendEvent, BackendWatchOptions, KeyValue, ListRange } from './types.js';

export type WriteOp =
  | { type: 'create'; key: string; value: string }
  | { type: 'update'; key: string; value: string; expectedModRevision?: number | undefined }
  | { type: 'delete'; key: string; expectedModRevision?: number | undefined };

/** A checked change: the event it produces and the key's state after it (absent for a delete). */
export interface Mutation {
  event: BackendEvent;
  next?: KeyValue;
  prev?: KeyValue;
}

/** Checks `op` against the key's current state and computes the change at `revision`. Throws ApiError. */
export function planWrite(op: WriteOp, current: KeyValue | undefined, revision: number): Mutation {
  if (op.type === 'create') {
    if (current) throw new ApiError('AlreadyExists', `key "${op.key}" already exists`);
    const next = { key: op.key, value: op.value, createRevision: revision, modRevision: revision };
    return { event: { type: 'put', key: op.key, value: op.value, modRevision: revision, created: true }, next };
  }
  if (!current) throw new ApiError('NotFound', `key "${op.key}" not found`);
  if (op.expectedModRevision !== undefined && op.expectedModRevision !== current.modRevision) {
    throw new ApiError('Conflict', `key "${op.key}" was modified: expected revision ${op.expectedModRevision}, found ${current.modRevision}`);
  }
  if (op.type === 'delete') {
    const event: BackendEvent = { type: 'delete', key: op.key, value: current.value, modRevision: revision, created: false, prevValue: current.value };
    return { event, prev: current };
  }
  const next = { key: op.key, value: op.value, createRevision: current.createRevision, modRevision: revision };
  const event: BackendEvent = { type: 'put', key: op.key, value: op.value, modRevision: revision, created: false, prevValue: current.value };
  return { event, next, prev: current };
}

export class KvState {
  private readonly items = new Map<string, KeyValue>();
  private readonly keys: SortedKeys;
  private rev: number;
  private readonly history: EventHistory;
  private readonly hub = new WatchHub();

  /** `compactedRevision` (default `revision`): changes at or below it are unknown to this state. */
  constructor(opts: { revision: number; historySize: number; initial?: readonly KeyValue[]; compactedRevision?: number }) {
    this.rev = opts.revision;
    this.history = new EventHistory(opts.historySize, opts.compactedRevision ?? opts.revision);
    for (const kv of opts.initial ?? []) this.items.set(kv.key, kv);
    this.keys = new SortedKeys(this.items.keys());
  }

  get revision(): number {
    return this.rev;
  }

  get watcherCount(): number {
    return this.hub.count;
  }

  get(key: string): KeyValue | undefined {
    return this.items.get(key);
  }

  /** Makes planned changes visible, records them and notifies watchers. Revisions must follow on. */
  apply(mutations: readonly Mutation[]): void {
    if (mutations.length === 0) return;
    for (const m of mutations) {
      const { key } = m.event;
      if (m.next) {
        if (!this.items.has(key)) this.keys.insert(key);
        this.items.set(key, m.next);
      } else if (this.items.delete(key)) {
        this.keys.remove(key);
      }
      this.rev = m.event.modRevision;
      this.history.push(m.prev ? { event: m.event, prev: m.prev } : { event: m.event });
    }
    this.hub.publish(mutations.map((m) => m.event));
  }

  list(prefix: string, range: ListRange = {}): { items: KeyValue[]; revision: number } {
    const at = range.revision ?? this.rev;
    if (at >= this.rev) return { items: this.scan(prefix, range.startAfter), revision: this.rev };
    if (at < this.history.compactedRevision) throw this.gone(at);
    return { items: this.rewind(prefix, at, range.startAfter), revision: at };
  }

  private scan(prefix: string, startAfter: string | undefined): KeyValue[] {
    const out: KeyValue[] = [];
    for (const key of this.keys.from(startAfter !== undefined && startAfter > prefix ? startAfter : prefix)) {
      if (!key.startsWith(prefix)) break;
      if (startAfter !== undefined && key <= startAfter) continue;
      const kv = this.items.get(key);
      if (kv) out.push(kv);
    }
    return out;
  }

  /** The state under `prefix` as it was at `revision`, undoing newer changes from the history. */
  private rewind(prefix: string, revision: number, startAfter: string | undefined): KeyValue[] {
    const state = new Map<string, KeyValue>();
    for (const kv of this.scan(prefix, startAfter)) state.set(kv.key, kv);
    const newer = this.history.after(revision);
    for (let i = newer.length - 1; i >= 0; i--) {
      const rec = newer[i];
      if (!rec) continue;
      const { key } = rec.event;
      if (!key.startsWith(prefix) || (startAfter !== undefined && key <= startAfter)) continue;
      if (rec.prev) state.set(key, rec.prev);
      else state.delete(key);
    }
    return [...state.keys()].sort().flatMap((k) => state.get(k) ?? []);
  }

  private gone(revision: number): ApiError {
    return new ApiError('Gone', `too old resource version: ${revision} (${this.history.compactedRevision})`);
  }

  /** Replays kept changes after `afterRevision`, then keeps the watcher registered until abort. */
  watch(opts: BackendWatchOptions): void {
    if (opts.afterRevision < this.history.compactedRevision) throw this.gone(opts.afterRevision);
    if (opts.signal.aborted) return;
    const w: Watcher = { prefix: opts.prefix, lastRevision: opts.afterRevision, onEvent: opts.onEvent, onError: opts.onError, closed: false };
    for (const rec of this.history.after(opts.afterRevision)) this.hub.deliver(w, rec.event);
    // The watcher may have ended during the replay (a slow client's watch is closed mid-way).
    if (w.closed || opts.signal.aborted) return;
    this.hub.add(w);
    const onAbort = (): void => this.hub.remove(w);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    w.detach = () => opts.signal.removeEventListener('abort', onAbort);
  }

  /** Ends every watch with `err`. */
  closeWatches(err: Error): void {
    this.hub.closeAll(err);
  }
}
