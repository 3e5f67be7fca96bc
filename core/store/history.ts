/** A bounded, revision-ordered history of changes (a ring buffer), for watch-from-revision and past reads. */
import type { BackendEvent, KeyValue } from './types.js';

/** One change, with the key's previous state so that past revisions can be reconstructed. */
export interface HistoryRecord {
  event: BackendEvent;
  /** The key's state before this change; absent when the change created the key. */
  prev?: KeyValue;
}

export const defaultHistorySize = 10_000;

export class EventHistory {
  private readonly ring: (HistoryRecord | undefined)[];
  private start = 0;
  private count = 0;
  private compacted: number;

  /** `compactedRevision`: changes at or below it are not (or no longer) kept. */
  constructor(size: number, compactedRevision: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`history size must be a positive integer, got ${size}`);
    this.ring = new Array<HistoryRecord | undefined>(size);
    this.compacted = compactedRevision;
  }

  /** The newest revision that is no longer kept: a watch may start after it, not before. */
  get compactedRevision(): number {
    return this.compacted;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a change; records must come in increasing revision order. */
  push(rec: HistoryRecord): void {
    const cap = this.ring.length;
    if (this.count === cap) {
      const oldest = this.ring[this.start];
      if (oldest) this.compacted = oldest.event.modRevision;
      this.ring[this.start] = rec;
      this.start = (this.start + 1) % cap;
      return;
    }
    this.ring[(this.start + this.count) % cap] = rec;
    this.count++;
  }

  private at(i: number): HistoryRecord {
    const rec = this.ring[(this.start + i) % this.ring.length];
    if (!rec) throw new Error(`history slot ${i} is empty`);
    return rec;
  }

  /** Index of the first record with revision > `revision` (binary search). */
  private firstAfter(revision: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).event.modRevision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Every kept record with revision > `revision`, oldest first. */
  after(revision: number): HistoryRecord[] {
    const out: HistoryRecord[] = [];
    for (let i = this.firstAfter(revision); i < this.count; i++) out.push(this.at(i));
    return out;
  }
}
