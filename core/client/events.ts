/** `EventRecorder`: writes `v1` Events, aggregating repeats (client-go's EventCorrelator idea) and rate-limited per object. */
import { isNotFound } from '../api/index.js';
import type { Event, KubeObject } from '../api/index.js';
import { rfc3339 } from '../util/index.js';
import type { Clock, Logger } from '../util/index.js';
import type { KubeClient } from './client.js';
import { TokenBucket } from './ratelimit.js';
import type { ResourceTarget } from './resource.js';

export const eventTarget: ResourceTarget = { apiVersion: 'v1', plural: 'events', namespaced: true };

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: Pick<KubeClient, 'create' | 'patch'>;
  /** `source.component`, e.g. `deployment-controller`. */
  component: string;
  host?: string;
  clock: Clock;
  log: Logger;
  /** Spam filter per involved object: burst (default 25) refilled at `refillPerSecond` (default 1/300, as client-go). */
  burst?: number;
  refillPerSecond?: number;
  /** Aggregation entries kept (least recently used evicted); default 4096. */
  cacheSize?: number;
  /**
   * When this aborts (the component shuts down), events are no longer recorded, queued writes are
   * dropped and the write in flight is cancelled: a backlog must not outlive the API server.
   */
  signal?: AbortSignal;
}

interface Entry {
  namespace: string;
  name: string;
  event: Event;
  count: number;
  lastTimestamp: string;
  created: boolean;
  written: number;
}

/** The namespace an object's events go to: its own, or `default` for cluster-scoped objects. */
export function eventNamespace(obj: KubeObject): string {
  return obj.metadata.namespace || 'default';
}

/** Pure: the Event first recorded for `obj` (named by the server from `<object name>.`). */
export function buildEvent(obj: KubeObject, type: EventType, reason: string, message: string, component: string, now: number, host?: string): Event {
  const ts = rfc3339(now);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${obj.metadata.name ?? 'object'}.`, namespace: eventNamespace(obj) },
    involvedObject: {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
      ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    },
    reason,
    message,
    type,
    source: { component, ...(host ? { host } : {}) },
    reportingComponent: component,
    firstTimestamp: ts,
    lastTimestamp: ts,
    count: 1,
  };
}

/** The signal of one write: aborts after `timeoutMs` or with `stop`; call `done` when the write is over. */
function writeSignal(stop: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onStop = (): void => ac.abort(stop?.reason);
  stop?.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(() => ac.abort(new DOMException('event write timed out', 'TimeoutError')), timeoutMs);
  timer.unref();
  return {
    signal: ac.signal,
    done: () => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', onStop);
    },
  };
}

export class EventRecorder {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, TokenBucket>();
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly o: EventRecorderOptions) {}

  /**
   * Records an event about `obj`. Repeats of the same (object, type, reason, message) bump
   * `count` and `lastTimestamp` of one Event. Never throws; failures are logged. Writes are
   * asynchronous and in order; `flush` waits for them.
   */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    try {
      this.record(obj, type, reason, message);
    } catch (e) {
      this.o.log.warn('event not recorded', { reason, error: (e as Error).message });
    }
  }

  /** Resolves when every event recorded so far has been written (or has failed, or was dropped by `signal`). */
  flush(): Promise<void> {
    return this.tail;
  }

  private record(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.o.signal?.aborted) return;
    const objKey = obj.metadata.uid || `${obj.apiVersion}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
    if (!this.bucket(objKey).tryTake()) {
      this.o.log.debug('event dropped by spam filter', { reason, object: objKey });
      return;
    }
    const key = JSON.stringify([objKey, type, reason, message]);
    const now = this.o.clock.now();
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      entry.count++;
      entry.lastTimestamp = rfc3339(now);
    } else {
      const event = buildEvent(obj, type, reason, message, this.o.component, now, this.o.host);
      entry = { namespace: eventNamespace(obj), name: '', event, count: 1, lastTimestamp: rfc3339(now), created: false, written: 0 };
    }
    this.entries.set(key, entry);
    this.evict();
    const e = entry;
    this.tail = this.tail.then(() => this.write(e));
  }

  private async write(e: Entry): Promise<void> {
    if (e.written === e.count || this.o.signal?.aborted) return;
    const count = e.count;
    const { signal, done } = writeSignal(this.o.signal, 10_000);
    try {
      if (e.created) {
        try {
          await this.o.client.patch(eventTarget, e.namespace, e.name, { count, lastTimestamp: e.lastTimestamp }, 'merge', { signal });
        } catch (err) {
          if (!isNotFound(err)) throw err;
          e.created = false; // someone deleted it: write it again
        }
      }
      if (!e.created) {
        const created = await this.o.client.create(eventTarget, { ...e.event, count, lastTimestamp: e.lastTimestamp }, { signal });
        e.name = created.metadata.name ?? '';
        e.created = true;
      }
      e.written = count;
    } catch (err) {
      if (!this.o.signal?.aborted) this.o.log.warn('event write failed', { event: e.name, namespace: e.namespace, error: (err as Error).message });
    } finally {
      done();
    }
  }

  private bucket(objKey: string): TokenBucket {
    let b = this.buckets.get(objKey);
    if (!b) {
      b = new TokenBucket(this.o.refillPerSecond ?? 1 / 300, this.o.burst ?? 25, this.o.clock);
      this.buckets.set(objKey, b);
      if (this.buckets.size > (this.o.cacheSize ?? 4096)) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
    }
    return b;
  }

  private evict(): void {
    while (this.entries.size > (this.o.cacheSize ?? 4096)) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}
