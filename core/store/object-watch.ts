/** Object watches: backend put/delete → ADDED/MODIFIED/DELETED, with Kubernetes' filtered-watch transitions. */
import type { KubeObject } from '../api/index.js';
import { decodeFrozen, parseResourceVersion, prefixFor } from './keys.js';
import type { Backend, BackendEvent, ObjectEvent, ObjectWatchOptions, ResourceRef } from './types.js';

type Filter = (obj: KubeObject) => boolean;

interface DecodedEvent {
  readonly cur: KubeObject;
  /** The previous state, decoded on first need (a filtered watch of an update); null when there is none. */
  prev?: KubeObject | null;
}

/**
 * Decodes each backend event once for all of its watchers. A backend hands every watcher the
 * same BackendEvent object (WatchHub delivers one event to all watchers before the next), so
 * entries are keyed by identity and the objects are deep-frozen: all watchers share them.
 * Only the most recent events are kept: a backend's history holds event objects long after
 * delivery, and their decoded forms should not be pinned along with them.
 */
class SharedDecodes {
  private readonly recent = new Map<BackendEvent, DecodedEvent>();

  constructor(private readonly capacity: number) {}

  current(ev: BackendEvent): KubeObject {
    return this.entry(ev).cur;
  }

  previous(ev: BackendEvent): KubeObject | undefined {
    const e = this.entry(ev);
    if (e.prev === undefined) e.prev = !ev.created && ev.prevValue !== undefined ? decodeFrozen(ev.prevValue, ev.modRevision) : null;
    return e.prev ?? undefined;
  }

  private entry(ev: BackendEvent): DecodedEvent {
    const hit = this.recent.get(ev);
    if (hit) return hit;
    const e: DecodedEvent = { cur: decodeFrozen(ev.value, ev.modRevision) };
    this.recent.set(ev, e);
    if (this.recent.size > this.capacity) {
      const oldest = this.recent.keys().next();
      if (!oldest.done) this.recent.delete(oldest.value);
    }
    return e;
  }
}

/** Process-wide, but invisible: entries are keyed by event identity and decoding is pure. */
const shared = new SharedDecodes(64);

/**
 * The object event a backend change means for a watcher with `filter`, or undefined.
 * An object that starts matching is ADDED, one that stops matching is DELETED (carrying
 * its previous state at the change's revision), as Kubernetes' watch cache does.
 * The objects are shared with every other watcher of `ev` and frozen.
 */
export function translateEvent(ev: BackendEvent, filter: Filter | undefined): ObjectEvent | undefined {
  const matches = (o: KubeObject): boolean => !filter || filter(o);
  const cur = shared.current(ev);
  if (ev.type === 'delete') return matches(cur) ? { type: 'DELETED', object: cur } : undefined;
  if (!filter) return { type: ev.created ? 'ADDED' : 'MODIFIED', object: cur };
  const prev = shared.previous(ev);
  const prevMatched = prev !== undefined && matches(prev);
  if (matches(cur)) return { type: prevMatched ? 'MODIFIED' : 'ADDED', object: cur };
  return prevMatched && prev ? { type: 'DELETED', object: prev } : undefined;
}

/**
 * Watches `res`. Without a resourceVersion (or "0"), first sends ADDED for every current
 * matching object, then changes after that snapshot; else changes after the given revision.
 * Every delivered object is deep-frozen (see ObjectWatchOptions.onEvent).
 */
export async function watchObjects(backend: Backend, res: ResourceRef, opts: ObjectWatchOptions): Promise<void> {
  const prefix = prefixFor(res, opts.namespace);
  const filter = opts.filter;
  let after: number;
  if (opts.resourceVersion === undefined || opts.resourceVersion === '' || opts.resourceVersion === '0') {
    const snapshot = await backend.list(prefix);
    if (opts.signal.aborted) return;
    for (const kv of snapshot.items) {
      const obj = decodeFrozen(kv.value, kv.modRevision);
      if (!filter || filter(obj)) opts.onEvent({ type: 'ADDED', object: obj });
    }
    after = snapshot.revision;
  } else {
    after = parseResourceVersion(opts.resourceVersion);
  }
  await backend.watch({
    prefix,
    afterRevision: after,
    signal: opts.signal,
    onEvent: (ev) => {
      const out = translateEvent(ev, filter);
      if (out) opts.onEvent(out);
    },
    onError: opts.onError,
  });
}
