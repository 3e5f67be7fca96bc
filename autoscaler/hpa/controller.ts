/**
 * The HPA controller: every sync period, for each HorizontalPodAutoscaler, reads the target's scale
 * subresource and pods, gathers metric samples, calls `hpaDecide`, applies the scale, writes status and
 * the `autoscaling.skiff.dev/last-decision` annotation, and records events. Recommendation and scale-event
 * history live in memory per HPA (lost on restart, as in Kubernetes).
 */
import { isNotFound } from '../../core/api/index.js';
import type { Condition, HorizontalPodAutoscaler, Pod, Scale } from '../../core/api/index.js';
import { ControllerRunner, objectKey, splitKey } from '../../core/client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ResourceTarget, SharedInformerFactory } from '../../core/client/index.js';
import type { Clock, Logger } from '../../core/util/index.js';
import type { AutoscalerMetrics, MetricsSources } from '../metrics/index.js';
import { defaultTargetApiVersion, failedMetricReason, LAST_DECISION_ANNOTATION, lastDecisionAnnotation, nextStatus } from './controller-status.js';
import { hpaDecide } from './decide.js';
import { recordScaleEvent } from './events.js';
import { gatherSamples } from './gather.js';
import { hpaPodFromPod } from './pods.js';
import type { HpaDecision, ScaleEventHistory, TimestampedRecommendation } from './types.js';

export const hpaTarget: ResourceTarget = { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true };
const podTarget: ResourceTarget = { apiVersion: 'v1', plural: 'pods', namespaced: true };

export interface HpaControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  sources: MetricsSources;
  /** Default 15 000 ms (`--horizontal-pod-autoscaler-sync-period`). */
  syncPeriodMs?: number;
  tolerance?: number;
  downscaleStabilizationSeconds?: number;
  cpuInitializationPeriodSeconds?: number;
  initialReadinessDelaySeconds?: number;
  metrics?: AutoscalerMetrics;
}

interface HpaState {
  recommendations: TimestampedRecommendation[];
  scaleEvents: ScaleEventHistory;
  /** The desired replicas last explained in an event, to avoid an event every sync. */
  explained?: number;
  /** Warning events (reason|message) of the previous sync: a failure repeated every sync is recorded once. */
  warnings: Set<string>;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class HpaController implements Controller {
  readonly name = 'horizontal-pod-autoscaler';
  private readonly runner: ControllerRunner;
  private readonly hpas: Informer<HorizontalPodAutoscaler>;
  private readonly state = new Map<string, HpaState>();
  private readonly syncPeriodMs: number;

  constructor(private readonly o: HpaControllerOptions) {
    this.syncPeriodMs = o.syncPeriodMs ?? 15_000;
    this.runner = new ControllerRunner({ name: this.name, reconcile: (key, signal) => this.reconcile(key, signal), clock: o.clock, log: o.log });
    this.hpas = o.informers.informerFor<HorizontalPodAutoscaler>(hpaTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    const remove = this.hpas.addHandlers({
      onAdd: (h) => this.runner.enqueue(objectKey(h)),
      onUpdate: (a, b) => {
        if (JSON.stringify(a.spec) !== JSON.stringify(b.spec)) this.runner.enqueue(objectKey(b));
      },
      onDelete: (h) => this.state.delete(objectKey(h)),
    });
    try {
      await this.runner.run(signal);
    } finally {
      remove();
    }
  }

  /** One sync of one HPA; always requeues after the sync period while the HPA exists. */
  async reconcile(key: string, signal: AbortSignal): Promise<{ requeueAfterMs: number } | undefined> {
    const { namespace = 'default', name } = splitKey(key);
    let hpa: HorizontalPodAutoscaler;
    try {
      hpa = await this.o.client.get<HorizontalPodAutoscaler>(hpaTarget, namespace, name, { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.state.delete(key);
      return undefined;
    }
    try {
      await this.sync(key, hpa, signal);
      this.o.metrics?.hpaReconciles.inc({ result: 'success' });
    } catch (e) {
      this.o.metrics?.hpaReconciles.inc({ result: 'error' });
      throw e;
    }
    return { requeueAfterMs: this.syncPeriodMs };
  }

  private stateOf(key: string): HpaState {
    let s = this.state.get(key);
    if (!s) {
      s = { recommendations: [], scaleEvents: { up: [], down: [] }, warnings: new Set() };
      this.state.set(key, s);
    }
    return s;
  }

  private async readScale(hpa: HorizontalPodAutoscaler, signal: AbortSignal): Promise<{ target: ResourceTarget; scale: Scale }> {
    const ref = hpa.spec.scaleTargetRef;
    const info = await this.o.client.resourceFor(ref.apiVersion ?? defaultTargetApiVersion(ref.kind), ref.kind, { signal });
    const scale = await this.o.client.getScale(info, hpa.metadata.namespace ?? 'default', ref.name, { signal });
    return { target: info, scale };
  }

  private async sync(key: string, hpa: HorizontalPodAutoscaler, signal: AbortSignal): Promise<void> {
    const namespace = hpa.metadata.namespace ?? 'default';
    const now = this.o.clock.now();
    let target: ResourceTarget;
    let scale: Scale;
    try {
      ({ target, scale } = await this.readScale(hpa, signal));
    } catch (e) {
      const msg = messageOf(e);
      this.o.recorder.event(hpa, 'Warning', 'FailedGetScale', msg);
      await this.fail(hpa, now, { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${msg}` });
      return;
    }
    const current = scale.spec?.replicas ?? 0;
    const selector = scale.status?.selector ?? '';
    if (selector === '') {
      this.o.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      await this.fail(hpa, now, { type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message: 'the HPA target\'s scale is missing a selector' }, current);
      return;
    }
    const pods = (await this.o.client.list<Pod>(podTarget, { namespace, labelSelector: selector, signal })).items;
    const samples = await gatherSamples({ hpa, namespace, selector, pods, sources: this.o.sources, signal });
    const st = this.stateOf(key);
    const decision = hpaDecide({
      hpa, currentReplicas: current, statusReplicas: scale.status?.replicas ?? current, pods: pods.map(hpaPodFromPod), metrics: samples, now,
      recommendations: st.recommendations, scaleEvents: st.scaleEvents,
      ...(this.o.tolerance !== undefined ? { tolerance: this.o.tolerance } : {}),
      ...(this.o.downscaleStabilizationSeconds !== undefined ? { downscaleStabilizationSeconds: this.o.downscaleStabilizationSeconds } : {}),
      ...(this.o.cpuInitializationPeriodSeconds !== undefined ? { cpuInitializationPeriodSeconds: this.o.cpuInitializationPeriodSeconds } : {}),
      ...(this.o.initialReadinessDelaySeconds !== undefined ? { initialReadinessDelaySeconds: this.o.initialReadinessDelaySeconds } : {}),
    });
    st.recommendations = decision.recommendations;
    this.recordMetricFailures(hpa, st, decision);
    const applied = decision.rescale ? await this.rescale(hpa, target, scale, decision, signal) : undefined;
    const desired = applied?.ok === false ? current : decision.desiredReplicas;
    if (applied?.ok) st.scaleEvents = recordScaleEvent(st.scaleEvents, hpa.spec.behavior, current, desired, now, this.o.downscaleStabilizationSeconds);
    this.explain(hpa, st, current, desired, decision);
    this.o.metrics?.hpaDesiredReplicas.set({ namespace, name: hpa.metadata.name ?? '' }, desired);
    const conditions = applied ? [...decision.conditions, applied.condition] : decision.conditions;
    await this.writeStatus(hpa, nextStatus({ hpa, now, currentReplicas: current, desiredReplicas: desired, currentMetrics: decision.currentMetrics, conditions, rescaled: applied?.ok === true }), signal);
    await this.annotate(hpa, lastDecisionAnnotation(now, desired, current, decision.explanation), signal);
  }

  /**
   * Warning events for failed metrics, as Kubernetes records them, but only when they differ from the previous
   * sync's: a persistent failure would otherwise use up the recorder's per-object budget and crowd out
   * SuccessfulRescale events.
   */
  private recordMetricFailures(hpa: HorizontalPodAutoscaler, st: HpaState, d: HpaDecision): void {
    const now: [string, string][] = d.proposals.flatMap((p): [string, string][] => (p.error !== undefined ? [[failedMetricReason(p.type), p.error]] : []));
    if (d.error !== undefined) now.push(['FailedComputeMetricsReplicas', d.error]);
    const keys = new Set(now.map(([r, m]) => `${r}|${m}`));
    for (const [reason, message] of now) if (!st.warnings.has(`${reason}|${message}`)) this.o.recorder.event(hpa, 'Warning', reason, message);
    st.warnings = keys;
  }

  private explain(hpa: HorizontalPodAutoscaler, st: HpaState, current: number, desired: number, d: HpaDecision): void {
    if (st.explained === desired && desired === current) return;
    st.explained = desired;
    this.o.recorder.event(hpa, 'Normal', 'ScalingDecision', d.explanation);
  }

  private async rescale(
    hpa: HorizontalPodAutoscaler, target: ResourceTarget, scale: Scale, d: HpaDecision, signal: AbortSignal,
  ): Promise<{ ok: boolean; condition: Condition }> {
    const desired = d.desiredReplicas;
    try {
      await this.o.client.updateScale(target, hpa.metadata.namespace ?? 'default', hpa.spec.scaleTargetRef.name, { ...scale, spec: { ...scale.spec, replicas: desired } }, { signal });
    } catch (e) {
      const msg = messageOf(e);
      this.o.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${d.rescaleReason}; error: ${msg}`);
      return { ok: false, condition: { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${msg}` } };
    }
    this.o.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${d.rescaleReason}`);
    const direction = desired > (scale.spec?.replicas ?? 0) ? 'up' : 'down';
    this.o.metrics?.hpaRescales.inc({ namespace: hpa.metadata.namespace ?? 'default', name: hpa.metadata.name ?? '', direction });
    return { ok: true, condition: { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` } };
  }

  /** Writes a failure condition, keeping the previous desired replicas. */
  private async fail(hpa: HorizontalPodAutoscaler, now: number, condition: Condition, current?: number): Promise<void> {
    const currentReplicas = current ?? hpa.status?.currentReplicas ?? 0;
    await this.writeStatus(hpa, nextStatus({ hpa, now, currentReplicas, desiredReplicas: hpa.status?.desiredReplicas ?? currentReplicas, conditions: [condition], rescaled: false }));
  }

  private async writeStatus(hpa: HorizontalPodAutoscaler, status: NonNullable<HorizontalPodAutoscaler['status']>, signal?: AbortSignal): Promise<void> {
    await this.o.client.updateStatus<HorizontalPodAutoscaler>(hpaTarget, { ...hpa, status }, signal ? { signal } : {});
  }

  private async annotate(hpa: HorizontalPodAutoscaler, value: string, signal: AbortSignal): Promise<void> {
    const patch = { metadata: { annotations: { [LAST_DECISION_ANNOTATION]: value } } };
    await this.o.client.patch(hpaTarget, hpa.metadata.namespace, hpa.metadata.name ?? '', patch, 'merge', { signal });
  }
}

export interface StartedHpaController {
  controller: HpaController;
  /** Resolves when the controller has stopped (after `signal` aborts); errors are logged, never thrown. */
  done: Promise<void>;
}

/** Starts the HPA controller (and the informers it needs); it runs until `signal` aborts. */
export function startHpaController(o: HpaControllerOptions & { signal: AbortSignal }): StartedHpaController {
  const { signal, ...rest } = o;
  const controller = new HpaController({ ...rest, log: o.log.child({ controller: 'horizontal-pod-autoscaler' }) });
  const done = controller.start(signal).catch((e: unknown) => o.log.error('controller stopped', { controller: controller.name, error: messageOf(e) }));
  o.informers.start(signal);
  return { controller, done };
}
