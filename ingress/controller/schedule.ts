/**
 * When to rebuild the route table. An isolated change rebuilds at the end of the current event-loop turn
 * (so the events delivered together coalesce into one build); under a storm of changes, a rebuild starts no
 * sooner than max(minGapMs, costFactor × the last build's duration) after the previous one started, so a
 * table that is slow to build takes at most about 1/costFactor of the CPU. A change that arrives while a
 * rebuild is waiting is picked up by that rebuild (it reads the newest state when it runs); a change that
 * arrives after a rebuild started schedules another, so the final state is never lost.
 */
import type { Clock } from '../../core/util/index.js';

export interface LastBuild {
  /** Clock time the build started (ms). */
  readonly startedAt: number;
  /** How long it took (ms). */
  readonly durationMs: number;
}

export interface RebuildSchedulerOptions {
  readonly clock: Clock;
  /** Stops scheduling: pending waits are dropped. */
  readonly signal: AbortSignal;
  /** Least time between the starts of two rebuilds. */
  readonly minGapMs: number;
  /** The gap is also at least `costFactor` × the last build's duration. */
  readonly costFactor: number;
  /** One rebuild; synchronous. Errors are the callee's business (they are rethrown). */
  readonly run: () => void;
  /** Runs `fn` once the current turn's events are handled. Default `setImmediate`. */
  readonly defer?: (fn: () => void) => void;
}

/** Pure: milliseconds to wait before the next rebuild may start (0: right away). */
export function rebuildDelay(now: number, last: LastBuild | undefined, minGapMs: number, costFactor: number): number {
  if (last === undefined) return 0;
  const gap = Math.max(minGapMs, costFactor * last.durationMs);
  return Math.max(0, last.startedAt + gap - now);
}

const deferImmediate = (fn: () => void): void => { setImmediate(fn); };

export class RebuildScheduler {
  #pending = false;
  #last: LastBuild | undefined;
  #builds = 0;

  constructor(private readonly o: RebuildSchedulerOptions) {}

  /** Rebuilds started so far. */
  get builds(): number {
    return this.#builds;
  }

  /** The last build's start and duration, if any. */
  get last(): LastBuild | undefined {
    return this.#last;
  }

  /** Asks for a rebuild; however many calls arrive before it starts, it runs once. */
  schedule(): void {
    if (this.#pending || this.o.signal.aborted) return;
    this.#pending = true;
    const wait = rebuildDelay(this.o.clock.now(), this.#last, this.o.minGapMs, this.o.costFactor);
    if (wait <= 0) {
      (this.o.defer ?? deferImmediate)(() => this.#fire());
      return;
    }
    this.o.clock.sleep(wait, this.o.signal).then(() => this.#fire(), () => { this.#pending = false; });
  }

  /** Rebuilds now, outside the schedule (e.g. the first build once the informers have synced). */
  runNow(): void {
    this.#runTimed();
  }

  #fire(): void {
    this.#pending = false;
    if (this.o.signal.aborted) return;
    this.#runTimed();
  }

  #runTimed(): void {
    const startedAt = this.o.clock.now();
    this.#builds++;
    try {
      this.o.run();
    } finally {
      this.#last = { startedAt, durationMs: Math.max(0, this.o.clock.now() - startedAt) };
    }
  }
}
