/**
 * The embedded durable backend: better-sqlite3 with WAL and `synchronous=FULL`.
 *
 * Reads are served from a full in-memory copy (the shared `KvState`). Writes use group
 * commit: they queue, and one `setImmediate` flush checks each against the state (plus the
 * batch's earlier changes), persists all that pass in ONE transaction, and only after the
 * commit makes them visible, notifies watchers and settles each write's promise. A failed
 * check (AlreadyExists, NotFound, Conflict) fails only its own write.
 *
 * The revision lives in the `meta` table and survives restarts; the watch history does not,
 * so a watch from a revision before the restart gets 410 Gone and the client re-lists.
 */
import Database from 'better-sqlite3';
import { ApiError } from '../api/index.js';
import { defaultHistorySize } from './history.js';
import { closedError, StateBackend } from './state-backend.js';
import { checkStateFile, initStateFile, stateFileError, StateFileError } from './sqlite-file.js';
import { KvState, planWrite, type Mutation, type WriteOp } from './state.js';
import type { KeyValue } from './types.js';

export interface SqliteBackendOptions {
  /** How many changes are kept in memory for watch-from-revision (default 10,000). */
  historySize?: number;
}

/** Group-commit counters, e.g. for metrics: batch size = writes / commits. */
export interface SqliteCommitStats {
  commits: number;
  writes: number;
  /** Total time spent committing (including the fsync). */
  commitSeconds: number;
}

interface PendingWrite {
  op: WriteOp;
  resolve: (revision: number) => void;
  reject: (err: unknown) => void;
}

interface Row {
  key: string;
  value: string;
  create_revision: number;
  mod_revision: number;
}

function openDatabase(path: string): { db: Database.Database; rows: Row[]; revision: number } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    // Whose file it is, before anything (even the journal mode) is written to it.
    checkStateFile(db, path);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`journal_mode is ${String(mode)}, WAL is required`);
    db.pragma('synchronous = FULL');
    initStateFile(db);
    const rows = db.prepare('SELECT key, value, create_revision, mod_revision FROM kv').all() as Row[];
    const meta = db.prepare("SELECT value FROM meta WHERE name = 'revision'").get() as { value: number } | undefined;
    return { db, rows, revision: meta?.value ?? 1 };
  } catch (err) {
    db?.close();
    throw err instanceof StateFileError ? err : stateFileError(path, err);
  }
}

export class SqliteBackend extends StateBackend {
  readonly name = 'sqlite';
  readonly path: string;
  private readonly db: Database.Database;
  private queue: PendingWrite[] = [];
  private failure: string | undefined;
  private scheduled = false;
  private readonly counters: SqliteCommitStats = { commits: 0, writes: 0, commitSeconds: 0 };
  private readonly putStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly revisionStmt: Database.Statement;

  /** Opens (or creates) the database file at `path`; throws a clear error if it cannot. */
  constructor(path: string, opts: SqliteBackendOptions = {}) {
    const { db, rows, revision } = openDatabase(path);
    const initial = rows.map((r) => ({ key: r.key, value: r.value, createRevision: r.create_revision, modRevision: r.mod_revision }));
    super(new KvState({ revision, historySize: opts.historySize ?? defaultHistorySize, initial }));
    this.path = path;
    this.db = db;
    this.putStmt = db.prepare(
      'INSERT INTO kv (key, value, create_revision, mod_revision) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT(key) DO UPDATE SET value = excluded.value, mod_revision = excluded.mod_revision',
    );
    this.deleteStmt = db.prepare('DELETE FROM kv WHERE key = ?');
    this.revisionStmt = db.prepare(
      "INSERT INTO meta (name, value) VALUES ('revision', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
    );
  }

  /** Queues the write for the next group commit. */
  protected write(op: WriteOp): Promise<number> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued write in one transaction, then applies and settles them. */
  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (this.closed) {
      for (const p of batch) p.reject(closedError());
      return;
    }
    let outcomes: (Mutation | ApiError)[];
    const started = performance.now();
    try {
      outcomes = this.db.transaction(() => this.persist(batch))();
      this.counters.commits++;
      this.counters.writes += batch.length;
      this.counters.commitSeconds += (performance.now() - started) / 1000;
    } catch (err) {
      // Nothing of the batch is visible or acknowledged; sqlite rolled the transaction back (if it
      // did not, e.g. after an I/O error, roll back now so the next batch starts clean). Like
      // kube-apiserver when etcd refuses a write: 500 with the store's reason.
      this.rollback();
      const why = err instanceof Error ? err.message : String(err);
      const code = (err as { code?: unknown }).code;
      this.failure = `the store cannot write: ${why}${typeof code === 'string' ? ` (${code})` : ''}`;
      const failure = new ApiError('InternalError', this.failure, undefined, { cause: err });
      for (const p of batch) p.reject(failure);
      return;
    }
    // Only a commit that wrote rows shows the disk takes writes again (a batch of refused checks writes none).
    if (outcomes.some((o) => !(o instanceof ApiError))) this.failure = undefined;
    this.state.apply(outcomes.filter((o): o is Mutation => !(o instanceof ApiError)));
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o === undefined || o instanceof ApiError) p.reject(o);
      else p.resolve(o.event.modRevision);
    });
  }

  /** Runs inside the transaction: checks each write against state + this batch, writes rows. */
  private persist(batch: readonly PendingWrite[]): (Mutation | ApiError)[] {
    const overlay = new Map<string, KeyValue | undefined>();
    let revision = this.state.revision;
    const outcomes = batch.map((p): Mutation | ApiError => {
      const { key } = p.op;
      const current = overlay.has(key) ? overlay.get(key) : this.state.get(key);
      let m: Mutation;
      try {
        m = planWrite(p.op, current, revision + 1);
      } catch (err) {
        if (err instanceof ApiError) return err;
        throw err;
      }
      revision++;
      if (m.next) this.putStmt.run(key, m.next.value, m.next.createRevision, m.next.modRevision);
      else this.deleteStmt.run(key);
      overlay.set(key, m.next);
      return m;
    });
    if (revision !== this.state.revision) this.revisionStmt.run(revision);
    return outcomes;
  }

  /** Rolls back a transaction sqlite left open after a failed commit. */
  private rollback(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // already rolled back
    }
  }

  /** Why the last commit failed, until one succeeds again. */
  writeFailure(): string | undefined {
    return this.failure;
  }

  /** A copy of the group-commit counters since open. */
  stats(): SqliteCommitStats {
    return { ...this.counters };
  }

  /** Commits what is queued, ends every watch and closes the database. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.flush();
    this.closed = true;
    this.state.closeWatches(closedError());
    this.db.close();
    return Promise.resolve();
  }
}
