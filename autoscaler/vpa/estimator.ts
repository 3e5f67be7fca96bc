/**
 * The VPA estimators (pkg/recommender/logic/estimator.go and recommender.go): percentile → safety margin →
 * confidence multiplier (bounds only) → per-container share of the pod minimum.
 */
import { resourceAmount } from './aggregate.js';
import type { AggregateContainerState } from './aggregate.js';

export interface EstimatorConfig {
  safetyMarginFraction: number;
  podMinCpuMillicores: number;
  podMinMemoryMb: number;
  targetCpuPercentile: number;
  lowerBoundCpuPercentile: number;
  upperBoundCpuPercentile: number;
  targetMemoryPercentile: number;
  lowerBoundMemoryPercentile: number;
  upperBoundMemoryPercentile: number;
}

export const defaultEstimatorConfig: EstimatorConfig = {
  safetyMarginFraction: 0.15,
  podMinCpuMillicores: 25,
  podMinMemoryMb: 250,
  targetCpuPercentile: 0.9,
  lowerBoundCpuPercentile: 0.5,
  upperBoundCpuPercentile: 0.95,
  targetMemoryPercentile: 0.9,
  lowerBoundMemoryPercentile: 0.5,
  upperBoundMemoryPercentile: 0.95,
};

const DAY_MS = 24 * 3600 * 1000;

/**
 * How much the history is worth, in days: min(lifespan in days, samples / (60·24)). A steady stream of one
 * sample a minute over N days gives N.
 */
export function confidence(s: AggregateContainerState): number {
  const lifespanDays = s.firstSampleStart === undefined || s.lastSampleStart === undefined ? 0 : (s.lastSampleStart - s.firstSampleStart) / DAY_MS;
  return Math.min(lifespanDays, s.totalSamplesCount / (60 * 24));
}

export interface Amounts { cpu: number; memory: number }
export interface Estimate { target: Amounts; lowerBound: Amounts; upperBound: Amounts; confidence: number }

const withMargin = (base: number, fraction: number): number => base + resourceAmount(base * fraction);
const withConfidence = (base: number, conf: number, multiplier: number, exponent: number): number =>
  resourceAmount(base * (1 + multiplier / conf) ** exponent);

/** Estimates target, lower and upper bounds (CPU in millicores, memory in bytes) for one container. */
export function estimate(s: AggregateContainerState, cfg: EstimatorConfig, containersPerPod: number): Estimate {
  const fraction = 1 / containersPerPod;
  const minCpu = resourceAmount(resourceAmount(cfg.podMinCpuMillicores * 0.001 * 1000) * fraction);
  const minMemory = resourceAmount(resourceAmount(cfg.podMinMemoryMb * 1024 * 1024) * fraction);
  const conf = confidence(s);
  const cpuAt = (p: number): number => withMargin(resourceAmount(s.cpu.percentile(p) * 1000), cfg.safetyMarginFraction);
  const memAt = (p: number): number => withMargin(resourceAmount(s.memoryPeaks.percentile(p)), cfg.safetyMarginFraction);
  return {
    target: { cpu: Math.max(cpuAt(cfg.targetCpuPercentile), minCpu), memory: Math.max(memAt(cfg.targetMemoryPercentile), minMemory) },
    lowerBound: {
      cpu: Math.max(withConfidence(cpuAt(cfg.lowerBoundCpuPercentile), conf, 0.001, -2), minCpu),
      memory: Math.max(withConfidence(memAt(cfg.lowerBoundMemoryPercentile), conf, 0.001, -2), minMemory),
    },
    upperBound: {
      cpu: Math.max(withConfidence(cpuAt(cfg.upperBoundCpuPercentile), conf, 1, 1), minCpu),
      memory: Math.max(withConfidence(memAt(cfg.upperBoundMemoryPercentile), conf, 1, 1), minMemory),
    },
    confidence: conf,
  };
}
