/** Wiring of the VPA: the recommender and the updater, started together. */
import { VpaRecommender } from './controller.js';
import type { VpaOptions } from './controller.js';
import { VpaUpdater } from './updater.js';

export interface StartedVpa {
  recommender: VpaRecommender;
  updater: VpaUpdater;
  /** Resolves when both loops have stopped (after `signal` aborts); errors are logged, never thrown. */
  done: Promise<void>;
}

/** Starts the VPA recommender and updater (and the informers they need); they run until `signal` aborts. */
export function startVpa(o: VpaOptions): StartedVpa {
  const { client, informers, clock, signal } = o;
  const recommender = new VpaRecommender({
    client, informers, clock, log: o.log.child({ controller: 'vpa-recommender' }), resource: o.resource,
    ...(o.recommenderIntervalMs !== undefined ? { intervalMs: o.recommenderIntervalMs } : {}),
    ...(o.config ? { config: o.config } : {}),
  });
  const updater = new VpaUpdater({
    client, informers, clock, recorder: o.recorder, log: o.log.child({ controller: 'vpa-updater' }),
    ...(o.updaterIntervalMs !== undefined ? { intervalMs: o.updaterIntervalMs } : {}),
    ...(o.evictionTolerance !== undefined ? { evictionTolerance: o.evictionTolerance } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
  });
  const guard = (name: string, p: Promise<void>): Promise<void> => p.catch((e: unknown) => o.log.error('controller stopped', { controller: name, error: (e as Error).message }));
  const done = Promise.all([guard(recommender.name, recommender.start(signal)), guard(updater.name, updater.start(signal))]).then(() => undefined);
  informers.start(signal);
  return { recommender, updater, done };
}
