/** Per-metric replica proposals (horizontal.go computeReplicasForMetric and computeStatusFor*Metric). */
import type { Condition, MetricSpec, MetricStatus, MetricTarget } from '../../core/api/index.js';
import { metricName, goSelectorString } from './names.js';
import type { GroupTiming } from './pods.js';
import { quantityMilli, formatMilli } from './quantity.js';
import { ReplicaCalcError, perPodReplicas, plainMetricReplicas, resourceReplicas, valueReplicas } from './replicas.js';
import type { PodMetric, Tolerances } from './replicas.js';
import type { HpaMetricSamples, HpaPod, MetricProposal, PodResourceSample } from './types.js';

export interface MetricContext {
  specReplicas: number;
  statusReplicas: number;
  pods: readonly HpaPod[];
  tolerances: Tolerances;
  timing: GroupTiming;
  namespace: string;
}

export interface MetricOutcome {
  proposal: MetricProposal;
  status?: MetricStatus;
  /** ScalingActive=False condition to report if this metric decides the outcome. */
  condition?: Condition;
  /** The error Kubernetes returns for this metric. */
  error?: string;
}

const unable = (reason: string, err: string): Condition => ({
  type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${err}`,
});

function failure(spec: MetricSpec, reason: string, conditionErr: string, returnedErr: string, averaged = false): MetricOutcome {
  return {
    proposal: { metric: metricName(spec, averaged), type: spec.type, error: returnedErr },
    condition: unable(reason, conditionErr),
    error: returnedErr,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function milliOf(q: string | undefined, what: string): number {
  if (q === undefined) throw new ReplicaCalcError(`${what} is not set`);
  return quantityMilli(q);
}

function resourceSamples(samples: Record<string, PodResourceSample>, container: string): Map<string, PodMetric> {
  const out = new Map<string, PodMetric>();
  for (const [pod, s] of Object.entries(samples)) {
    let value: number | undefined;
    if (container !== '') value = s.containers?.[container];
    else value = s.containers ? Object.values(s.containers).reduce((a, b) => a + b, 0) : s.value;
    if (value !== undefined) out.set(pod, { value, timestamp: s.timestamp, windowSeconds: s.windowSeconds });
  }
  return out;
}

function resourceMetric(spec: MetricSpec, samples: HpaMetricSamples, ctx: MetricContext): MetricOutcome {
  const container = spec.type === 'ContainerResource' ? spec.containerResource?.container ?? '' : '';
  const source = spec.type === 'ContainerResource' ? spec.containerResource : spec.resource;
  const resource = source?.name ?? '';
  const target: MetricTarget | undefined = source?.target;
  const reason = spec.type === 'ContainerResource' ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  const wrap = (e: string): string => spec.type === 'ContainerResource'
    ? `failed to get ${container} container metric value: ${e}` : `failed to get ${resource} resource metric value: ${e}`;
  const averaged = target?.averageValue !== undefined;
  if (!averaged && target?.averageUtilization === undefined) {
    const e = 'invalid resource metric source: neither an average utilization target nor an average value target was set';
    return failure(spec, reason, e, wrap(e));
  }
  try {
    if (samples.type === 'Error') throw new ReplicaCalcError(`unable to get metrics for resource ${resource}: ${samples.message}`);
    if (samples.type !== 'Resource' && samples.type !== 'ContainerResource') throw new ReplicaCalcError(`unable to get metrics for resource ${resource}: no samples`);
    const podSamples = resourceSamples(samples.pods, container);
    const base = { metric: metricName(spec, averaged), type: spec.type, timestamp: samples.timestamp };
    let current: MetricStatus['resource'];
    let proposal: MetricProposal;
    if (averaged) {
      const targetUsage = milliOf(target?.averageValue, 'averageValue');
      const r = plainMetricReplicas({ ...ctx, currentReplicas: ctx.specReplicas, targetUsage, resource, samples: podSamples });
      proposal = { ...base, replicas: r.replicas, currentValue: r.usage, target: targetUsage, readyPods: r.readyPods };
      current = { name: resource, current: { averageValue: formatMilli(r.usage) } };
    } else {
      const targetUtilization = target?.averageUtilization ?? 0;
      const r = resourceReplicas({ ...ctx, currentReplicas: ctx.specReplicas, targetUtilization, resource, container, samples: podSamples });
      proposal = { ...base, replicas: r.replicas, utilization: r.utilization, currentValue: r.rawUtilization, target: targetUtilization, readyPods: r.readyPods };
      current = { name: resource, current: { averageUtilization: r.utilization, averageValue: formatMilli(r.rawUtilization) } };
    }
    const status: MetricStatus = spec.type === 'ContainerResource'
      ? { type: spec.type, containerResource: { ...current, container } }
      : { type: 'Resource', resource: current };
    return { proposal, status };
  } catch (err) {
    const e = `failed to get ${resource} utilization: ${messageOf(err)}`;
    return failure(spec, reason, e, wrap(e), averaged);
  }
}

function podsMetric(spec: MetricSpec, samples: HpaMetricSamples, ctx: MetricContext): MetricOutcome {
  const name = spec.pods?.metric.name ?? '';
  try {
    if (samples.type === 'Error') throw new ReplicaCalcError(`unable to get metric ${name}: ${samples.message}`);
    if (samples.type !== 'Pods') throw new ReplicaCalcError(`unable to get metric ${name}: no samples`);
    const targetUsage = milliOf(spec.pods?.target.averageValue, 'averageValue');
    const podSamples = new Map<string, PodMetric>(Object.entries(samples.pods).map(([p, v]) => [p, { value: v, timestamp: 0, windowSeconds: 0 }]));
    const r = plainMetricReplicas({ ...ctx, currentReplicas: ctx.specReplicas, targetUsage, resource: '', samples: podSamples });
    const metric = { name, ...(spec.pods?.metric.selector ? { selector: spec.pods.metric.selector } : {}) };
    return {
      proposal: { metric: metricName(spec, true), type: 'Pods', replicas: r.replicas, currentValue: r.usage, target: targetUsage, readyPods: r.readyPods, timestamp: samples.timestamp },
      status: { type: 'Pods', pods: { metric, current: { averageValue: formatMilli(r.usage) } } },
    };
  } catch (err) {
    return failure(spec, 'FailedGetPodsMetric', messageOf(err), `failed to get pods metric value: ${messageOf(err)}`, true);
  }
}

function objectMetric(spec: MetricSpec, samples: HpaMetricSamples, ctx: MetricContext): MetricOutcome {
  const obj = spec.object;
  const name = obj?.metric.name ?? '';
  const averaged = obj?.target.type === 'AverageValue';
  if (!obj || (obj.target.type !== 'Value' && !averaged)) {
    const e = 'invalid object metric source: neither a value target nor an average value target was set';
    return failure(spec, 'FailedGetObjectMetric', e, `failed to get object metric value: ${e}`);
  }
  try {
    if (samples.type === 'Error') {
      throw new ReplicaCalcError(`unable to get metric ${name}: ${obj.describedObject.kind} on ${ctx.namespace} ${obj.describedObject.name}/${samples.message}`);
    }
    if (samples.type !== 'Object') throw new ReplicaCalcError(`unable to get metric ${name}: no samples`);
    const metric = { name, ...(obj.metric.selector ? { selector: obj.metric.selector } : {}) };
    const base = { metric: metricName(spec, averaged), type: 'Object', timestamp: samples.timestamp };
    if (averaged) {
      const target = milliOf(obj.target.averageValue, 'averageValue');
      const r = perPodReplicas(ctx.statusReplicas, samples.value, target, ctx.tolerances);
      return {
        proposal: { ...base, replicas: r.replicas, currentValue: r.usage, target },
        status: { type: 'Object', object: { describedObject: obj.describedObject, metric, current: { averageValue: formatMilli(r.usage) } } },
      };
    }
    const target = milliOf(obj.target.value, 'value');
    const replicas = valueReplicas(ctx.specReplicas, samples.value, target, ctx.tolerances, ctx.pods);
    return {
      proposal: { ...base, replicas, currentValue: samples.value, target },
      status: { type: 'Object', object: { describedObject: obj.describedObject, metric, current: { value: formatMilli(samples.value) } } },
    };
  } catch (err) {
    const inner = averaged ? `failed to get ${name} object metric: ${messageOf(err)}` : messageOf(err);
    return failure(spec, 'FailedGetObjectMetric', messageOf(err), `failed to get object metric value: ${inner}`, averaged);
  }
}

function externalMetric(spec: MetricSpec, samples: HpaMetricSamples, ctx: MetricContext): MetricOutcome {
  const ext = spec.external;
  const name = ext?.metric.name ?? '';
  const averaged = ext?.target.averageValue !== undefined;
  if (!ext || (!averaged && ext.target.value === undefined)) {
    const e = 'invalid external metric source: neither a value target nor an average value target was set';
    return failure(spec, 'FailedGetExternalMetric', e, e);
  }
  try {
    if (samples.type === 'Error') {
      throw new ReplicaCalcError(`unable to get external metric ${ctx.namespace}/${name}/${goSelectorString(ext.metric.selector)}: ${samples.message}`);
    }
    if (samples.type !== 'External') throw new ReplicaCalcError(`unable to get external metric ${name}: no samples`);
    const usage = samples.values.reduce((a, b) => a + b, 0);
    const metric = { name, ...(ext.metric.selector ? { selector: ext.metric.selector } : {}) };
    const base = { metric: metricName(spec, averaged), type: 'External', timestamp: samples.timestamp };
    if (averaged) {
      const target = milliOf(ext.target.averageValue, 'averageValue');
      const r = perPodReplicas(ctx.statusReplicas, usage, target, ctx.tolerances);
      return {
        proposal: { ...base, replicas: r.replicas, currentValue: r.usage, target },
        status: { type: 'External', external: { metric, current: { averageValue: formatMilli(r.usage) } } },
      };
    }
    const target = milliOf(ext.target.value, 'value');
    const replicas = valueReplicas(ctx.specReplicas, usage, target, ctx.tolerances, ctx.pods);
    return {
      proposal: { ...base, replicas, currentValue: usage, target },
      status: { type: 'External', external: { metric, current: { value: formatMilli(usage) } } },
    };
  } catch (err) {
    const e = averaged ? `failed to get ${name} external metric: ${messageOf(err)}` : `failed to get external metric ${name}: ${messageOf(err)}`;
    return failure(spec, 'FailedGetExternalMetric', messageOf(err), e, averaged);
  }
}

/** Computes one metric's proposal, status, or failure condition. */
export function computeMetric(spec: MetricSpec, samples: HpaMetricSamples | undefined, ctx: MetricContext): MetricOutcome {
  const s: HpaMetricSamples = samples ?? { type: 'Error', message: 'no samples provided' };
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource':
      return resourceMetric(spec, s, ctx);
    case 'Pods':
      return podsMetric(spec, s, ctx);
    case 'Object':
      return objectMetric(spec, s, ctx);
    case 'External':
      return externalMetric(spec, s, ctx);
    default: {
      const e = `unknown metric source type ${JSON.stringify(String((spec as { type: unknown }).type))}`;
      return failure(spec, 'InvalidMetricSourceType', e, e);
    }
  }
}
