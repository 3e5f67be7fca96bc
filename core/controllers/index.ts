/** core/controllers: the core control-plane controllers (namespace lifecycle, garbage collection). */
import type { Controller, KubeClient, SharedInformerFactory } from '../client/index.js';
import type { Clock, Logger } from '../util/index.js';
import { GarbageCollector } from './gc/collector.js';
import { NamespaceController } from './namespace.js';

export { NamespaceController, namespacesTarget, systemNamespaces, resourcesToEmpty, withoutKubernetesFinalizer } from './namespace.js';
export type { NamespaceControllerOptions } from './namespace.js';
export { GarbageCollector, collectableResources } from './gc/collector.js';
export type { GarbageCollectorOptions } from './gc/collector.js';
export { decideDependent, blocksOwner, gcFinalizer, policyForDependentOf, foregroundFinalizer, orphanFinalizer } from './gc/decide.js';
export type { DependentAction, OwnerState } from './gc/decide.js';

export interface CoreControllersOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
}

export interface StartedControllers {
  controllers: readonly Controller[];
  /** Resolves when every controller has stopped (after `signal` aborts). Errors are logged, never thrown. */
  done: Promise<void>;
}

/** Starts the namespace controller and the garbage collector; they run until `signal` aborts. */
export function startCoreControllers(opts: CoreControllersOptions): StartedControllers {
  const { client, informers, clock, signal } = opts;
  const controllers: Controller[] = [
    new NamespaceController({ client, informers, clock, log: opts.log.child({ controller: 'namespace' }) }),
    new GarbageCollector({ client, informers, clock, log: opts.log.child({ controller: 'garbage-collector' }) }),
  ];
  const done = Promise.all(
    controllers.map((c) => c.start(signal).catch((e: unknown) => opts.log.error('controller stopped', { controller: c.name, error: (e as Error).message }))),
  ).then(() => undefined);
  informers.start(signal);
  return { controllers, done };
}
