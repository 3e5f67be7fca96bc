/**
 * Container logs kept for `kubectl logs`: one file per container run, each line stored with its
 * RFC 3339 timestamp (stripped unless `timestamps=true`), so `--previous`, `--tail`,
 * `--since-time` and `-f` work from files alone.
 */
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../util/index.js';

export interface LogQuery {
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceTime?: number;
  limitBytes?: number;
  follow?: boolean;
}

/** Splits raw output into lines and prefixes each with a timestamp. */
export class LineStamper {
  private partial = '';
  constructor(private readonly out: WriteStream, private readonly clock: Clock) {}

  write(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (lines.length === 0) return;
    const ts = new Date(this.clock.now()).toISOString();
    this.out.write(lines.map((l) => `${ts} ${l}\n`).join(''));
  }

  end(): Promise<void> {
    if (this.partial) this.out.write(`${new Date(this.clock.now()).toISOString()} ${this.partial}\n`);
    this.partial = '';
    return new Promise((r) => this.out.end(r));
  }
}

export class LogStore {
  constructor(private readonly root: string, private readonly clock: Clock) {}

  private dir(podUid: string, container: string): string {
    return join(this.root, podUid, container);
  }

  /** Opens the log file for run number `run` (0-based restart count) of a container. */
  open(podUid: string, container: string, run: number): LineStamper {
    const d = this.dir(podUid, container);
    mkdirSync(d, { recursive: true });
    return new LineStamper(createWriteStream(join(d, `${run}.log`), { flags: 'a' }), this.clock);
  }

  /** The file of the latest (or previous) run, if any. */
  file(podUid: string, container: string, run: number, previous: boolean): string | undefined {
    const n = previous ? run - 1 : run;
    if (n < 0) return undefined;
    const f = join(this.dir(podUid, container), `${n}.log`);
    return existsSync(f) ? f : undefined;
  }

  /** Formats stored lines for a query (everything but following). */
  static render(stored: string, q: LogQuery): string {
    let lines = stored.split('\n').filter((l) => l.length > 0);
    if (q.sinceTime !== undefined) {
      const since = q.sinceTime;
      lines = lines.filter((l) => Date.parse(l.slice(0, l.indexOf(' '))) >= since);
    }
    if (q.tailLines !== undefined) lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
    const out = lines.map((l) => (q.timestamps ? l : l.slice(l.indexOf(' ') + 1))).join('\n');
    const text = out ? out + '\n' : '';
    return q.limitBytes !== undefined ? text.slice(0, q.limitBytes) : text;
  }

  read(file: string, q: LogQuery): string {
    return LogStore.render(readFileSync(file, 'utf8'), q);
  }

  /**
   * Streams new complete lines appended to `file` after `offset` until `signal` aborts or
   * `done()` says the container stopped and the file is drained.
   */
  async follow(file: string, offset: number, q: LogQuery, write: (s: string) => void, done: () => boolean, signal: AbortSignal): Promise<void> {
    let pos = offset;
    let partial = '';
    while (!signal.aborted) {
      const size = existsSync(file) ? statSync(file).size : 0;
      if (size > pos) {
        const fd = openSync(file, 'r');
        try {
          const buf = Buffer.alloc(size - pos);
          readSync(fd, buf, 0, buf.length, pos);
          pos = size;
          const text = partial + buf.toString();
          const cut = text.lastIndexOf('\n') + 1;
          partial = text.slice(cut);
          if (cut > 0) write(LogStore.render(text.slice(0, cut), { timestamps: q.timestamps }));
        } finally {
          closeSync(fd);
        }
      } else if (done()) {
        return;
      }
      await this.clock.sleep(200, signal).catch(() => undefined);
    }
  }

  removePod(podUid: string): void {
    rmSync(join(this.root, podUid), { recursive: true, force: true });
  }
}
