/**
 * How the scheduler records Events. `SchedulerRecorder` is the shape core/client's EventRecorder is
 * expected to have; until it lands, `createEventWriter` writes plain v1 Events through the client.
 */
import type { Event, KubeObject } from '../api/index.js';
import type { KubeClient } from '../client/index.js';
import type { Clock, Logger } from '../util/index.js';
import { rfc3339 } from '../util/index.js';

export type EventType = 'Normal' | 'Warning';

export interface SchedulerRecorder {
  /** Records an event about `regarding`. Never throws: failures are logged, not propagated. */
  event(regarding: KubeObject, type: EventType, reason: string, message: string): void;
}

export const SCHEDULER_NAME = 'default-scheduler';
const eventsTarget = { apiVersion: 'v1', plural: 'events', namespaced: true };

/** A recorder that POSTs one v1 Event per call (no aggregation), as `default-scheduler`. */
export function createEventWriter(opts: { client: Pick<KubeClient, 'create'>; clock: Clock; log: Logger; signal?: AbortSignal }): SchedulerRecorder {
  let seq = 0;
  return {
    event(regarding, type, reason, message) {
      const ns = regarding.metadata.namespace ?? 'default';
      const now = rfc3339(opts.clock.now());
      const ev: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${regarding.metadata.name ?? 'unknown'}.${opts.clock.now().toString(16)}${(seq++).toString(16)}`, namespace: ns },
        involvedObject: {
          apiVersion: regarding.apiVersion, kind: regarding.kind, name: regarding.metadata.name,
          namespace: ns, uid: regarding.metadata.uid, resourceVersion: regarding.metadata.resourceVersion,
        },
        type, reason, message,
        source: { component: SCHEDULER_NAME },
        reportingComponent: SCHEDULER_NAME,
        firstTimestamp: now, lastTimestamp: now, count: 1,
      };
      opts.client.create(eventsTarget, ev, { signal: opts.signal }).catch((e: unknown) => {
        opts.log.warn('event not recorded', { reason, error: e instanceof Error ? e.message : String(e) });
      });
    },
  };
}
