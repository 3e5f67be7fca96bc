/** `SnapshotHub`: the latest snapshot and its subscribers; publishes only when the content changed. */
import type { Snapshot } from './types.js';

export type Listener = (snap: Snapshot) => void;

/** What decides "changed": everything but the generation time and the series' moving end time. */
export function contentKey(s: Snapshot): string {
  const series = Object.fromEntries(Object.entries(s.series).map(([k, v]) => [k, v.values]));
  return JSON.stringify({ ...s, generatedAt: '', series });
}

export class SnapshotHub {
  private latest: Snapshot | undefined;
  private key = '';
  private readonly listeners = new Set<Listener>();

  current(): Snapshot | undefined {
    return this.latest;
  }

  /** Stores `snap`; tells subscribers only if it differs from the last one. Returns whether it did. */
  publish(snap: Snapshot): boolean {
    const key = contentKey(snap);
    this.latest = snap;
    if (key === this.key) return false;
    this.key = key;
    for (const l of this.listeners) l(snap);
    return true;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
