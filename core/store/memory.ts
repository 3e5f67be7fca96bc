/** The in-memory backend (tests, `--store memory`): state is lost when the process ends. */
import { ApiError } from '../api/index.js';
import { defaultHistorySize } from './history.js';
import { KvState, planWrite, type WriteOp } from './state.js';
import type { Backend, BackendWatchOptions, KeyValue, ListRange } from './types.js';

export interface MemoryBackendOptions {
  /** How many changes are kept for watch-from-revision (default 10,000). */
  historySize?: number;
}

export class MemoryBackend implements Backend {
  readonly name = 'memory';
  private readonly state: KvState;
  private closed = false;

  constructor(opts: MemoryBackendOptions = {}) {
    // etcd's convention: an empty store is at revision 1 and the first write makes revision 2.
    // Nothing happened at or before revision 1, so a watch from 0 misses nothing.
    this.state = new KvState({ revision: 1, compactedRevision: 0, historySize: opts.historySize ?? defaultHistorySize });
  }

  private write(op: WriteOp): Promise<number> {
    try {
      if (this.closed) throw closedError();
      const m = planWrite(op, this.state.get(op.key), this.state.revision + 1);
      this.state.apply([m]);
      return Promise.resolve(m.event.modRevision);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  get(key: string): Promise<KeyValue | undefined> {
    return Promise.resolve(this.state.get(key));
  }

  list(prefix: string, range?: ListRange): Promise<{ items: KeyValue[]; revision: number }> {
    try {
      return Promise.resolve(this.state.list(prefix, range));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  create(key: string, value: string): Promise<number> {
    return this.write({ type: 'create', key, value });
  }

  update(key: string, value: string, expectedModRevision?: number): Promise<number> {
    return this.write({ type: 'update', key, value, expectedModRevision });
  }

  delete(key: string, expectedModRevision?: number): Promise<number> {
    return this.write({ type: 'delete', key, expectedModRevision });
  }

  watch(opts: BackendWatchOptions): Promise<void> {
    try {
      if (this.closed) throw closedError();
      this.state.watch(opts);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  revision(): Promise<number> {
    return Promise.resolve(this.state.revision);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.state.closeWatches(closedError());
    }
    return Promise.resolve();
  }
}

export function closedError(): ApiError {
  return new ApiError('ServiceUnavailable', 'store is closed');
}
