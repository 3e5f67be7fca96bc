/**
 * What the memory and sqlite backends share: reads, watches and the revision come from one
 * in-memory KvState; only how a write becomes durable differs (`write`).
 */
import { ApiError } from '../api/index.js';
import type { KvState, WriteOp } from './state.js';
import type { Backend, BackendWatchOptions, KeyValue, ListRange } from './types.js';

export function closedError(): ApiError {
  return new ApiError('ServiceUnavailable', 'store is closed');
}

export abstract class StateBackend implements Backend {
  abstract readonly name: string;
  protected closed = false;

  constructor(protected readonly state: KvState) {}

  /** Applies one write; resolves with its revision once it is as durable as the backend makes it. */
  protected abstract write(op: WriteOp): Promise<number>;

  abstract close(): Promise<void>;

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
}
