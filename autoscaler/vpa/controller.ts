/**
 * The VPA recommender loop: every interval, for each VerticalPodAutoscaler, samples its target pods' usage
 * (resource metrics source) and OOM kills into per-container histories, calls `vpaRecommend` and writes
 * `status.recommendation` with the RecommendationProvided condition.
 */
import { deepEqual, isNotFound, setCondition } from '../../core/api/index.js';
import type { Condition, Pod, VerticalPodAutoscaler } from '../../core/api/index.js';
import { objectKey } from '../../core/client/index.js';
import type { EventRecorder, Informer, KubeClient, ResourceTarget, SharedInformerFactory } from '../../core/client/index.js';
import { rfc3339 } from '../../core/util/index.js';
import type { Clock, Logger } from '../../core/util/index.js';
import type { AutoscalerMetrics, ResourceMetricsReader } from '../metrics/index.js';
import { defaultHistoryLimits, UsageHistory } from './history.js';
import type { HistoryLimits } from './history.js';
import { vpaRecommend } from './recommend.js';
import { targetSelector } from './target.js';
import type { VpaRecommendation, VpaRecommenderConfig } from './types.js';

export const vpaTarget: ResourceTarget = { apiVersion: 'autoscaling.k8s.io/v1', plural: 'verticalpodautoscalers', namespaced: true };
export const podsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'pods', namespaced: true };

export interface VpaRecommenderOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  resource: ResourceMetricsReader;
  /** How often usage is sampled and recommendations written; default 10 000 ms. */
  intervalMs?: number;
  config?: Partial<VpaRecommenderConfig>;
  historyLimits?: HistoryLimits;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Pure: the status a recommendation produces, conditions merged into `prev`. */
export function recommenderStatus(prev: VerticalPodAutoscaler['status'], rec: VpaRecommendation, now: number): NonNullable<VerticalPodAutoscaler['status']> {
  const provided = rec.containerRecommendations.length > 0;
  const cond: Condition = provided
    ? { type: 'RecommendationProvided', status: 'True', reason: 'RecommendationProvided', message: rec.explanation }
    : { type: 'RecommendationProvided', status: 'False', reason: 'NoUsageHistory', message: rec.explanation };
  return {
    ...prev,
    recommendation: provided ? { containerRecommendations: rec.containerRecommendations } : {},
    conditions: setCondition(prev?.conditions, cond, rfc3339(now)),
  };
}

export class VpaRecommender {
  readonly name = 'vpa-recommender';
  private readonly vpas: Informer<VerticalPodAutoscaler>;
  private readonly histories = new Map<string, UsageHistory>();

  constructor(private readonly o: VpaRecommenderOptions) {
    this.vpas = o.informers.informerFor<VerticalPodAutoscaler>(vpaTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.vpas.waitForSync(signal).catch(() => undefined);
    while (!signal.aborted) {
      await this.runOnce(signal);
      await this.o.clock.sleep(this.o.intervalMs ?? 10_000, signal).catch(() => undefined);
    }
  }

  /** One round over every VPA; a failing VPA is logged and does not stop the others. */
  async runOnce(signal: AbortSignal): Promise<void> {
    const vpas = this.vpas.list();
    const live = new Set(vpas.map(objectKey));
    for (const key of this.histories.keys()) if (!live.has(key)) this.histories.delete(key);
    for (const vpa of vpas) {
      try {
        await this.recommend(vpa, signal);
      } catch (e) {
        if (!signal.aborted) this.o.log.warn('recommendation failed', { vpa: objectKey(vpa), error: messageOf(e) });
      }
    }
  }

  private historyOf(key: string): UsageHistory {
    let h = this.histories.get(key);
    if (!h) {
      h = new UsageHistory(this.o.historyLimits ?? defaultHistoryLimits);
      this.histories.set(key, h);
    }
    return h;
  }

  private async recommend(vpa: VerticalPodAutoscaler, signal: AbortSignal): Promise<void> {
    const namespace = vpa.metadata.namespace ?? 'default';
    const now = this.o.clock.now();
    const selector = await targetSelector(this.o.client, namespace, vpa.spec.targetRef, signal);
    if (selector === '') throw new Error(`target ${vpa.spec.targetRef.kind}/${vpa.spec.targetRef.name} has no selector`);
    const pods = (await this.o.client.list<Pod>(podsTarget, { namespace, labelSelector: selector, signal })).items;
    const usage = await this.o.resource.podUsage(namespace, selector, signal);
    const history = this.historyOf(objectKey(vpa));
    for (const pod of pods) {
      const u = usage.get(pod.metadata.name ?? '');
      if (u) history.addUsage(pod, u, now);
      history.addOoms(pod, now);
    }
    const containersPerPod = pods[0]?.spec.containers.length;
    const rec = vpaRecommend({ vpa, containers: history.containers(), ...(containersPerPod ? { containersPerPod } : {}), ...(this.o.config ? { config: this.o.config } : {}) });
    await this.writeStatus(vpa, rec, now, signal);
  }

  private async writeStatus(vpa: VerticalPodAutoscaler, rec: VpaRecommendation, now: number, signal: AbortSignal): Promise<void> {
    let fresh: VerticalPodAutoscaler;
    try {
      fresh = await this.o.client.get<VerticalPodAutoscaler>(vpaTarget, vpa.metadata.namespace, vpa.metadata.name ?? '', { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const status = recommenderStatus(fresh.status, rec, now);
    if (deepEqual(status, fresh.status)) return;
    await this.o.client.updateStatus(vpaTarget, { ...fresh, status }, { signal });
  }
}

export interface VpaOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  resource: ResourceMetricsReader;
  /** Recommender sampling interval; default 10 000 ms. */
  recommenderIntervalMs?: number;
  /** Updater interval; default 60 000 ms (the VPA updater's default). */
  updaterIntervalMs?: number;
  /** Fraction of replicas that may be evicted at once; default 0.5 (at least one pod). */
  evictionTolerance?: number;
  config?: Partial<VpaRecommenderConfig>;
  metrics?: AutoscalerMetrics;
}
