/**
 * The VPA recommender (vertical-pod-autoscaler/pkg/recommender): aggregates usage history into decaying
 * histograms and turns percentiles into target / lower / upper bound requests. Pure: no I/O, no clock.
 */
import type { RecommendedContainerResources } from '../../core/api/index.js';
import { AggregateContainerState, ContainerState, defaultAggregationConfig } from './aggregate.js';
import { defaultEstimatorConfig, estimate } from './estimator.js';
import type { Amounts } from './estimator.js';
import { capToPolicy, containerPolicy, controlledResources } from './policy.js';
import { cpuMillicores, formatCpu, formatMemory, memoryBytes } from './quantity.js';
import type { VpaContainerDetail, VpaContainerHistory, VpaRecommendInput, VpaRecommendation, VpaRecommenderConfig } from './types.js';

function feed(state: ContainerState, h: VpaContainerHistory): void {
  for (const s of [...(h.cpuSamples ?? [])].sort((a, b) => a.timestamp - b.timestamp)) state.addCpuSample(s.millicores, s.timestamp);
  const requestBytes = h.requests?.memory !== undefined ? memoryBytes(h.requests.memory) : 0;
  const events = [
    ...(h.memorySamples ?? []).map((s) => ({ t: s.timestamp, oom: false, bytes: s.bytes })),
    ...(h.ooms ?? []).map((o) => ({ t: o.timestamp, oom: true, bytes: o.memoryRequestBytes ?? requestBytes })),
  ].sort((a, b) => a.t - b.t || Number(a.oom) - Number(b.oom));
  for (const e of events) {
    if (e.oom) state.recordOom(e.t, e.bytes);
    else state.addMemorySample(e.bytes, e.t);
  }
}

/** Aggregates every container instance by container name. */
function aggregateByName(containers: readonly VpaContainerHistory[], cfg: VpaRecommenderConfig): Map<string, AggregateContainerState> {
  const byName = new Map<string, AggregateContainerState>();
  for (const h of containers) {
    let agg = byName.get(h.container);
    if (!agg) {
      agg = new AggregateContainerState(cfg);
      byName.set(h.container, agg);
    }
    const request = h.requests?.cpu !== undefined ? cpuMillicores(h.requests.cpu) : 0;
    feed(new ContainerState(agg, request), h);
  }
  return byName;
}

function toList(a: Amounts, resources: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of resources) {
    if (r === 'cpu') out.cpu = formatCpu(a.cpu);
    else if (r === 'memory') out.memory = formatMemory(a.memory);
  }
  return out;
}

function capped(list: Record<string, string>, amounts: Amounts, policy: Parameters<typeof capToPolicy>[3]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [r, v] of Object.entries(list)) out[r] = capToPolicy(r, v, r === 'cpu' ? amounts.cpu : amounts.memory, policy);
  return out;
}

function describe(d: VpaContainerDetail, rec: RecommendedContainerResources): string {
  const target = Object.entries(rec.target).map(([r, v]) => `${r} ${v}`).join(', ');
  return `${d.containerName}: target ${target || 'none'} from ${d.totalSamples} samples (confidence ${d.confidenceDays.toFixed(2)} days)`;
}

/**
 * Computes `status.recommendation` for a VPA from its containers' usage history, as Kubernetes' VPA
 * recommender does: containers in mode Off or without CPU samples get no recommendation; values are limited
 * to `controlledResources` and capped to minAllowed/maxAllowed (`uncappedTarget` keeps the raw target).
 */
export function vpaRecommend(input: VpaRecommendInput): VpaRecommendation {
  const cfg: VpaRecommenderConfig = { ...defaultAggregationConfig, ...defaultEstimatorConfig, ...input.config };
  const eligible = [...aggregateByName(input.containers, cfg)]
    .filter(([name, agg]) => containerPolicy(input.vpa, name)?.mode !== 'Off' && agg.totalSamplesCount > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const perPod = input.containersPerPod ?? eligible.length;
  const containerRecommendations: RecommendedContainerResources[] = [];
  const details: VpaContainerDetail[] = [];
  for (const [name, agg] of eligible) {
    const e = estimate(agg, cfg, perPod);
    const policy = containerPolicy(input.vpa, name);
    const resources = controlledResources(policy);
    containerRecommendations.push({
      containerName: name,
      target: capped(toList(e.target, resources), e.target, policy),
      lowerBound: capped(toList(e.lowerBound, resources), e.lowerBound, policy),
      upperBound: capped(toList(e.upperBound, resources), e.upperBound, policy),
      uncappedTarget: toList(e.target, resources),
    });
    details.push({ containerName: name, confidenceDays: e.confidence, totalSamples: agg.totalSamplesCount, target: e.target, lowerBound: e.lowerBound, upperBound: e.upperBound });
  }
  const lines = details.map((d, i) => describe(d, containerRecommendations[i] ?? { target: {} }));
  return { containerRecommendations, details, explanation: lines.length ? lines.join('; ') : 'no container has usage history to recommend from' };
}
