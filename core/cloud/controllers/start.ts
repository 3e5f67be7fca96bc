/** The one place the cloud controllers are wired: `startCloudControllers` runs those the provider has capabilities for. */
import type { Registry } from 'prom-client';
import type { Controller, EventRecorder, KubeClient, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { createCloudMetrics, instrumentProvider } from '../metrics.js';
import type { CloudMetrics } from '../metrics.js';
import type { CloudProvider } from '../types.js';
import type { CloudControllerContext } from './context.js';
import { NodeController } from './node.js';
import { NodeLifecycleController } from './node-lifecycle.js';
import type { NodeLifecycleOptions } from './node-lifecycle.js';
import { ServiceController } from './service.js';
import type { ServiceControllerOptions } from './service.js';
import { OwnershipSweep } from './sweep.js';
import type { SweepOptions } from './sweep.js';
import { VolumeController } from './volume.js';

export interface StartCloudControllersOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  provider: CloudProvider;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  /** Registry for `skiff_cloud_*` metrics (or metrics already created in one); none when absent. */
  metrics?: Registry | CloudMetrics;
  /** Cluster name in ownership tags; default `skiff`. Must match the provider's `clusterName`. */
  clusterName?: string;
  service?: ServiceControllerOptions;
  lifecycle?: NodeLifecycleOptions;
  sweep?: SweepOptions;
}

export interface CloudControllers {
  /** The provider as the controllers call it (instrumented when metrics are on). */
  provider: CloudProvider;
  controllers: readonly Controller[];
  /** Resolves when every controller has stopped after `signal` aborted. */
  done: Promise<void>;
}

function isCloudMetrics(m: Registry | CloudMetrics): m is CloudMetrics {
  return 'calls' in m && 'reconcileDuration' in m;
}

/** Starts the controllers for the capabilities `provider` has, and the informers they use. */
export function startCloudControllers(opts: StartCloudControllersOptions): CloudControllers {
  const metrics = opts.metrics === undefined ? undefined : isCloudMetrics(opts.metrics) ? opts.metrics : createCloudMetrics(opts.metrics);
  const provider = metrics ? instrumentProvider(opts.provider, metrics, opts.clock) : opts.provider;
  const ctx: CloudControllerContext = {
    client: opts.client, informers: opts.informers, recorder: opts.recorder, provider, clock: opts.clock,
    log: opts.log.child({ component: 'cloud-controller-manager', provider: provider.name }),
    ...(metrics ? { metrics } : {}), ...(opts.clusterName ? { clusterName: opts.clusterName } : {}),
  };
  const controllers: Controller[] = [];
  if (provider.instances) controllers.push(new NodeController(ctx, provider.instances), new NodeLifecycleController(ctx, provider.instances, opts.lifecycle));
  if (provider.loadBalancers) controllers.push(new ServiceController(ctx, provider.loadBalancers, opts.service));
  if (provider.volumes) controllers.push(new VolumeController(ctx, provider.volumes));
  if (provider.loadBalancers || provider.volumes) controllers.push(new OwnershipSweep(ctx, provider.loadBalancers, provider.volumes, opts.sweep));
  const runs = controllers.map((c) => c.start(opts.signal).catch((e: unknown) => ctx.log.error('controller stopped', { controller: c.name, error: (e as Error).message })));
  opts.informers.start(opts.signal);
  return { provider, controllers, done: Promise.all(runs).then(() => undefined) };
}
