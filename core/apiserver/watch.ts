/**
 * Watch: a chunked stream of newline-delimited `{"type","object"}` events, one write per event,
 * each shared change encoded once for all watchers, with BOOKMARKs, `timeoutSeconds`, initial events, and 410 Expired as an ERROR event.
 */
import { ApiError, apiVersionOf, isGone } from '../api/index.js';
import type { KubeObject } from '../api/index.js';
import type { ObjectWatchOptions, WatchEventType } from '../store/index.js';
import type { Ctx } from './context.js';
import { isTrue } from './context.js';
import { filterOf, includeObjectOf } from './handlers/read.js';
import { compileFieldSelector } from './selectors.js';
import { tableFor, wantsTable } from './tables.js';

type Presenter = (obj: KubeObject) => KubeObject;
const asStored: Presenter = (obj) => obj;

/**
 * Encoded lines of the objects a store watch shares between its watchers (deep-frozen, see
 * ObjectWatchOptions.onEvent), per presentation (as stored, or a version view's `out`) and
 * event type: serialised once, the same bytes written to every watcher. Keyed weakly by the
 * shared object, so a line lives as long as its object. Process-wide but invisible: frozen
 * objects cannot change, so a cached line is always what encoding would produce.
 */
const sharedLines = new WeakMap<KubeObject, Map<Presenter, Partial<Record<WatchEventType, Buffer>>>>();

function encodeLine(type: WatchEventType, object: unknown): Buffer {
  return Buffer.from(JSON.stringify({ type, object }) + '\n');
}

/** The line for `obj` as `present` shows it; cached only for frozen (shared, immutable) objects. */
function lineFor(type: WatchEventType, obj: KubeObject, present: Presenter): Buffer {
  if (!Object.isFrozen(obj)) return encodeLine(type, present(obj));
  let byPresenter = sharedLines.get(obj);
  if (!byPresenter) sharedLines.set(obj, (byPresenter = new Map()));
  let byType = byPresenter.get(present);
  if (!byType) byPresenter.set(present, (byType = {}));
  return (byType[type] ??= encodeLine(type, present(obj)));
}

/** Default watch length when the client gives no timeoutSeconds (Kubernetes picks 30–60 min). */
const defaultTimeoutSeconds = 1800;

function expired(message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 };
}

function timeoutOf(ctx: Ctx): number {
  const raw = ctx.query.get('timeoutSeconds');
  if (raw === null || raw === '') return defaultTimeoutSeconds;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new ApiError('BadRequest', `invalid timeoutSeconds "${raw}"`);
  return n === 0 ? defaultTimeoutSeconds : n;
}

/** Serves a watch on the context's resource; `name` narrows it to one object. */
export async function serveWatch(ctx: Ctx, name?: string): Promise<void> {
  const base = filterOf(ctx);
  const byName = name === undefined ? undefined : compileFieldSelector(`metadata.name=${name}`);
  const filter = base && byName ? (o: KubeObject) => base(o) && byName(o) : base ?? byName;
  // setTimeout cannot wait longer than 2^31-1 ms (about 24.8 days).
  const timeoutMs = Math.min(timeoutOf(ctx) * 1000, 2 ** 31 - 1);
  const requested = ctx.query.get('resourceVersion') ?? '';
  if (requested !== '' && !/^\d{1,18}$/.test(requested)) throw new ApiError('BadRequest', `invalid resource version "${requested}"`);
  const table = wantsTable(ctx.req.headers.accept);
  const include = includeObjectOf(ctx);
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  ctx.signal.addEventListener('abort', stop, { once: true });
  const { res, info, deps } = ctx;
  let lastRv = ctx.query.get('resourceVersion') ?? '';

  const presenter: Presenter = ctx.view?.out ?? asStored;
  const writeLine = (line: Buffer): void => {
    if (ac.signal.aborted || res.writableEnded) return;
    res.write(line);
  };
  const write = (type: WatchEventType, object: unknown): void => writeLine(encodeLine(type, object));
  const emit = (type: WatchEventType, obj: KubeObject): void => {
    lastRv = obj.metadata.resourceVersion ?? lastRv;
    if (type === 'BOOKMARK' || type === 'ERROR') write(type, obj);
    else if (!table) writeLine(lineFor(type, obj, presenter));
    else write(type, tableFor(info, [obj], deps.clock.now(), include, { resourceVersion: lastRv }));
  };
  const bookmark = (rv = lastRv, annotations?: Record<string, string>): void => {
    lastRv = rv;
    const metadata: Record<string, unknown> = { resourceVersion: lastRv };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: info.kind, apiVersion: apiVersionOf(info.group, info.version), metadata });
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  try {
    const rv = await sendInitial(ctx, filter, emit, bookmark);
    const opts: ObjectWatchOptions = {
      resourceVersion: rv, signal: ac.signal, onEvent: (ev) => emit(ev.type, ev.object),
      onError: (err) => {
        write('ERROR', isGone(err) ? expired(err.message) : { ...new ApiError('InternalError', err.message).toStatus() });
        ac.abort();
      },
    };
    if (ctx.path.namespace !== undefined) opts.namespace = ctx.path.namespace;
    if (filter) opts.filter = filter;
    await deps.store.watch(ctx.ref, opts);
  } catch (e) {
    if (!isGone(e)) throw e;
    write('ERROR', expired(e instanceof Error ? e.message : 'too old resource version'));
    ac.abort();
  }
  if (isTrue(ctx.query.get('allowWatchBookmarks'))) void bookmarks(ctx, ac.signal, () => bookmark());
  void deps.clock.sleep(timeoutMs, ac.signal).then(stop, () => undefined);
  await new Promise<void>((resolve) => (ac.signal.aborted ? resolve() : ac.signal.addEventListener('abort', () => resolve(), { once: true })));
  ctx.signal.removeEventListener('abort', stop);
  if (!res.writableEnded) res.end();
}

async function bookmarks(ctx: Ctx, signal: AbortSignal, send: () => void): Promise<void> {
  send();
  try {
    for (;;) {
      await ctx.deps.clock.sleep(ctx.deps.bookmarkIntervalMs, signal);
      send();
    }
  } catch {
    // aborted: the watch is over
  }
}

/**
 * Without a resourceVersion (or "0"), or with sendInitialEvents=true, the current objects come
 * first as ADDED; then the watch continues from the list's revision. Returns that revision.
 */
async function sendInitial(ctx: Ctx, filter: ((o: KubeObject) => boolean) | undefined,
  emit: (t: WatchEventType, o: KubeObject) => void, bookmark: (rv: string, a?: Record<string, string>) => void): Promise<string> {
  const rv = ctx.query.get('resourceVersion') ?? '';
  const initial = ctx.query.get('sendInitialEvents') === 'true';
  if (rv !== '' && rv !== '0' && !initial) return rv;
  const opts: { namespace?: string; filter?: (o: KubeObject) => boolean } = {};
  if (ctx.path.namespace !== undefined) opts.namespace = ctx.path.namespace;
  if (filter) opts.filter = filter;
  const list = await ctx.deps.store.list(ctx.ref, opts);
  for (const item of list.items) emit('ADDED', item);
  if (initial) bookmark(list.resourceVersion, { 'k8s.io/initial-events-end': 'true' });
  return list.resourceVersion;
}
