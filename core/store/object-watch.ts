/** Object watches: backend put/delete → ADDED/MODIFIED/DELETED, with Kubernetes' filtered-watch transitions. */
import type { KubeObject } from '../api/index.js';
import { decodeKv, decodeValue, parseResourceVersion, prefixFor } from './keys.js';
import type { Backend, BackendEvent, ObjectEvent, ObjectWatchOptions, ResourceRef } from './types.js';

type Filter = (obj: KubeObject) => boolean;

/**
 * The object event a backend change means for a watcher with `filter`, or undefined.
 * An object that starts matching is ADDED, one that stops matching is DELETED (carrying
 * its previous state at the change's revision), as Kubernetes' watch cache does.
 */
export function translateEvent(ev: BackendEvent, filter: Filter | undefined): ObjectEvent | undefined {
  const matches = (o: KubeObject): boolean => !filter || filter(o);
  const cur = decodeValue(ev.value, ev.modRevision);
  if (ev.type === 'delete') return matches(cur) ? { type: 'DELETED', object: cur } : undefined;
  if (!filter) return { type: ev.created ? 'ADDED' : 'MODIFIED', object: cur };
  const prev = !ev.created && ev.prevValue !== undefined ? decodeValue(ev.prevValue, ev.modRevision) : undefined;
  const prevMatched = prev !== undefined && matches(prev);
  if (matches(cur)) return { type: prevMatched ? 'MODIFIED' : 'ADDED', object: cur };
  return prevMatched && prev ? { type: 'DELETED', object: prev } : undefined;
}

/**
 * Watches `res`. Without a resourceVersion (or "0"), first sends ADDED for every current
 * matching object, then changes after that snapshot; else changes after the given revision.
 */
export async function watchObjects(backend: Backend, res: ResourceRef, opts: ObjectWatchOptions): Promise<void> {
  const prefix = prefixFor(res, opts.namespace);
  const filter = opts.filter;
  let after: number;
  if (opts.resourceVersion === undefined || opts.resourceVersion === '' || opts.resourceVersion === '0') {
    const snapshot = await backend.list(prefix);
    if (opts.signal.aborted) return;
    for (const kv of snapshot.items) {
      const obj = decodeKv(kv);
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
