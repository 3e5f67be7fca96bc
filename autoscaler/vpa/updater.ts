/**
 * The VPA updater loop (modes Recreate and Auto): evicts, through the pods' `eviction` subresource, pods whose
 * requests fall outside the recommended bounds, within the eviction tolerance (see `planEvictions`).
 */
import type { Pod, VerticalPodAutoscaler } from '../../core/api/index.js';
import { objectKey } from '../../core/client/index.js';
import type { EventRecorder, Informer, KubeClient, SharedInformerFactory } from '../../core/client/index.js';
import type { Clock, Logger } from '../../core/util/index.js';
import type { AutoscalerMetrics } from '../metrics/index.js';
import { podsTarget, vpaTarget } from './controller.js';
import { targetSelector } from './target.js';
import { evictsPods, planEvictions } from './updater-plan.js';

export interface VpaUpdaterOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  /** Default 60 000 ms. */
  intervalMs?: number;
  /** Default 0.5. */
  evictionTolerance?: number;
  metrics?: AutoscalerMetrics;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class VpaUpdater {
  readonly name = 'vpa-updater';
  private readonly vpas: Informer<VerticalPodAutoscaler>;

  constructor(private readonly o: VpaUpdaterOptions) {
    this.vpas = o.informers.informerFor<VerticalPodAutoscaler>(vpaTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.vpas.waitForSync(signal).catch(() => undefined);
    while (!signal.aborted) {
      await this.o.clock.sleep(this.o.intervalMs ?? 60_000, signal).catch(() => undefined);
      if (!signal.aborted) await this.runOnce(signal);
    }
  }

  /** One pass over every VPA in an evicting mode; returns the names (`ns/name`) of the pods evicted. */
  async runOnce(signal: AbortSignal): Promise<string[]> {
    const evicted: string[] = [];
    for (const vpa of this.vpas.list().filter(evictsPods)) {
      try {
        evicted.push(...await this.update(vpa, signal));
      } catch (e) {
        if (!signal.aborted) this.o.log.warn('vpa update failed', { vpa: objectKey(vpa), error: messageOf(e) });
      }
    }
    return evicted;
  }

  private async update(vpa: VerticalPodAutoscaler, signal: AbortSignal): Promise<string[]> {
    const namespace = vpa.metadata.namespace ?? 'default';
    const selector = await targetSelector(this.o.client, namespace, vpa.spec.targetRef, signal);
    if (selector === '') return [];
    const pods = (await this.o.client.list<Pod>(podsTarget, { namespace, labelSelector: selector, signal })).items;
    const plan = planEvictions(vpa, pods, this.o.evictionTolerance ?? 0.5);
    this.o.log.debug('vpa update plan', { vpa: objectKey(vpa), evict: plan.evict.length, reason: plan.reason });
    const done: string[] = [];
    for (const pod of plan.evict) {
      const name = pod.metadata.name ?? '';
      const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } };
      try {
        await this.o.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`, body, { signal });
      } catch (e) {
        this.o.log.warn('eviction failed', { pod: `${namespace}/${name}`, error: messageOf(e) });
        continue;
      }
      this.o.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Normal', 'EvictedByVPA', 'Pod was evicted by VPA Updater to apply resource recommendation.');
      this.o.recorder.event({ ...vpa, apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler' }, 'Normal', 'EvictedPod', `VPA Updater evicted Pod ${name} to apply resource recommendation.`);
      this.o.metrics?.vpaEvictions.inc({ namespace, name: vpa.metadata.name ?? '' });
      done.push(`${namespace}/${name}`);
    }
    return done;
  }
}
