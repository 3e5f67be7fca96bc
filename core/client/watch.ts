/** Parsing of the newline-delimited JSON watch stream into typed events. */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api/index.js';
import type { KubeObject, Status } from '../api/index.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

interface RawEvent {
  type?: unknown;
  object?: unknown;
}

/**
 * Yields the events of one watch response. An `ERROR` event (e.g. 410 Gone) is thrown as
 * `ApiError.fromStatus`; the iterator ends when the server closes the stream or `signal` aborts.
 */
export async function* parseWatchStream<T extends KubeObject>(res: IncomingMessage, signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
  let buf = '';
  try {
    for await (const chunk of res) {
      buf += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) yield decodeEvent<T>(line);
        nl = buf.indexOf('\n');
      }
    }
  } catch (e) {
    if (signal?.aborted) return;
    if (e instanceof ApiError) throw e;
    throw new ApiError('ServiceUnavailable', `watch stream broken: ${(e as Error).message}`, undefined, { cause: e });
  } finally {
    res.destroy();
  }
  const rest = buf.trim();
  if (rest && !signal?.aborted) yield decodeEvent<T>(rest);
}

/** Decodes one line of a watch stream; `ERROR` events and garbage become an `ApiError`. */
export function decodeEvent<T extends KubeObject>(line: string): WatchEvent<T> {
  let ev: RawEvent;
  try {
    ev = JSON.parse(line) as RawEvent;
  } catch (e) {
    throw new ApiError('InternalError', 'invalid watch event from server', undefined, { cause: e });
  }
  if (ev.type === 'ERROR') {
    const st = (ev.object ?? {}) as Partial<Status>;
    const code = st.code ?? 500;
    // Kubernetes reports an expired resourceVersion as reason "Expired" (or "Gone") with code 410.
    if (code === 410) throw new ApiError('Gone', st.message ?? 'resourceVersion too old', st.details, { code });
    throw ApiError.fromStatus(st, code);
  }
  if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED' && ev.type !== 'BOOKMARK') {
    throw new ApiError('InternalError', `unknown watch event type ${String(ev.type)}`);
  }
  if (typeof ev.object !== 'object' || ev.object === null) {
    throw new ApiError('InternalError', 'watch event without object');
  }
  return { type: ev.type, object: ev.object as T };
}
