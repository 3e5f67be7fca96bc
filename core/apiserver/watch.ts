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
import { WatchOutbox } from './watch-outbox.js';
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
  // A watcher whose connection does not drain is ended once this much waits for it (as Kubernetes
  // terminates an unresponsive watcher); its client re-watches from the last event it read.
  let fellBehind = false;
  let replaying = true;
  const outbox = new WatchOutbox(res, ac.signal, {
    bound: deps.maxWatchBufferBytes,
    onBuffered: (bytes) => deps.watchMetrics.buffered(bytes),
    onOverflow: (bytes) => {
      fellBehind = true;
      deps.watchMetrics.terminated(info.plural);
      deps.log.warn('watcher fell behind, closing it', { resource: info.plural, bufferedBytes: bytes, resourceVersion: lastRv });
      ac.abort();
    },
  });
  const queue = (encode: () => Buffer): void => (replaying ? outbox.deferred(encode) : outbox.line(encode()));
  const write = (type: WatchEventType, object: unknown): void => queue(() => encodeLine(type, object));
  /** An ERROR ends the watch: it goes out at once, ahead of anything still waiting. */
  const writeError = (status: Record<string, unknown>): void => {
    outbox.clear();
    if (!res.writableEnded) res.write(encodeLine('ERROR', status));
    ac.abort();
  };
  const emit = (type: WatchEventType, obj: KubeObject): void => {
    lastRv = obj.metadata.resourceVersion ?? lastRv;
    const rv = lastRv;
    if (type === 'BOOKMARK' || type === 'ERROR') write(type, obj);
    else if (!table) queue(() => lineFor(type, obj, presenter));
    else write(type, tableFor(info, [obj], deps.clock.now(), include, { resourceVersion: rv }));
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
      onError: (err) => writeError(isGone(err) ? expired(err.message) : { ...new ApiError('InternalError', err.message).toStatus() }),
    };
    if (ctx.path.namespace !== undefined) opts.namespace = ctx.path.namespace;
    if (filter) opts.filter = filter;
    // The store replays its history inside this call; what arrives after it is live.
    await deps.store.watch(ctx.ref, opts);
    replaying = false;
  } catch (e) {
    if (!isGone(e)) throw e;
    writeError(expired(e instanceof Error ? e.message : 'too old resource version'));
  }
  if (isTrue(ctx.query.get('allowWatchBookmarks'))) void bookmarks(ctx, ac.signal, () => bookmark());
  void deps.clock.sleep(timeoutMs, ac.signal).then(stop, () => undefined);
  await new Promise<void>((resolve) => (ac.signal.aborted ? resolve() : ac.signal.addEventListener('abort', () => resolve(), { once: true })));
  finish();

  function finish(): void {
    ctx.signal.removeEventListener('abort', stop);
    outbox.clear();
    if (!res.writableEnded) res.end();
    if (fellBehind) void destroyUnlessFlushed(ctx, endGraceMs);
  }
}

/** How long an ended watch that fell behind may take to flush before its connection is dropped. */
const endGraceMs = 30_000;

/** Drops the connection of an ended response that is still not flushed after `graceMs` (its client is not reading). */
async function destroyUnlessFlushed(ctx: Ctx, graceMs: number): Promise<void> {
  const { res } = ctx;
  if (res.writableFinished || res.destroyed) return;
  const flushed = new AbortController();
  const done = (): void => flushed.abort();
  res.once('finish', done);
  res.once('close', done);
  try {
    await ctx.deps.clock.sleep(graceMs, flushed.signal);
    res.destroy();
  } catch {
    // flushed or closed in time
  } finally {
    res.off('finish', done);
    res.off('close', done);
  }
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
