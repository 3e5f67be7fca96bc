/** The in-memory backend (tests, `--store memory`): state is lost when the process ends. */
import { defaultHistorySize } from './history.js';
import { KvState, planWrite, type WriteOp } from './state.js';
import { closedError, StateBackend } from './state-backend.js';

export interface MemoryBackendOptions {
  /** How many changes are kept for watch-from-revision (default 10,000). */
  historySize?: number;
}

export class MemoryBackend extends StateBackend {
  readonly name = 'memory';

  constructor(opts: MemoryBackendOptions = {}) {
    // etcd's convention: an empty store is at revision 1 and the first write makes revision 2.
    // Nothing happened at or before revision 1, so a watch from 0 misses nothing.
    super(new KvState({ revision: 1, compactedRevision: 0, historySize: opts.historySize ?? defaultHistorySize }));
  }

  protected write(op: WriteOp): Promise<number> {
    try {
      if (this.closed) throw closedError();
      const m = planWrite(op, this.state.get(op.key), this.state.revision + 1);
      this.state.apply([m]);
      return Promise.resolve(m.event.modRevision);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.state.closeWatches(closedError());
    }
    return Promise.resolve();
  }
}
