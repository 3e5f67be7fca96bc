/**
 * Usage aggregation of the VPA recommender (pkg/recommender/model): per-container CPU samples weighted by
 * request, per-interval memory peaks, OOM bumps, and the aggregate a recommendation is computed from.
 */
import { DecayingHistogram, ExponentialBuckets } from './histogram.js';

export interface AggregationConfig {
  /** CPU histogram: first bucket size in cores (Kubernetes' long-standing default 0.01), max 1000 cores. */
  cpuFirstBucketCores: number;
  cpuMaxCores: number;
  /** Memory histogram: first bucket 1e7 bytes, max 1e12 bytes. */
  memoryFirstBucketBytes: number;
  memoryMaxBytes: number;
  /** Each bucket is this fraction wider than the previous (0.05). */
  bucketSizeGrowth: number;
  cpuHalfLifeMs: number;
  memoryHalfLifeMs: number;
  /** One memory peak per container per interval (24 h). */
  memoryAggregationIntervalMs: number;
  /** Minimal CPU sample weight (0.1 cores). */
  minSampleWeight: number;
  oomBumpUpRatio: number;
  oomMinBumpUpBytes: number;
}

const DAY_MS = 24 * 3600 * 1000;

export const defaultAggregationConfig: AggregationConfig = {
  cpuFirstBucketCores: 0.01,
  cpuMaxCores: 1000,
  memoryFirstBucketBytes: 1e7,
  memoryMaxBytes: 1e12,
  bucketSizeGrowth: 0.05,
  cpuHalfLifeMs: DAY_MS,
  memoryHalfLifeMs: DAY_MS,
  memoryAggregationIntervalMs: DAY_MS,
  minSampleWeight: 0.1,
  oomBumpUpRatio: 1.2,
  oomMinBumpUpBytes: 100 * 1024 * 1024,
};

/** Truncates to a whole resource amount in [0, 1e14], as VPA's ResourceAmount does. */
export function resourceAmount(x: number): number {
  if (Number.isNaN(x) || x < 0) return 0;
  return x > 1e14 ? 1e14 : Math.trunc(x);
}

/** The aggregated history of all containers with one name (AggregateContainerState). */
export class AggregateContainerState {
  readonly cpu: DecayingHistogram;
  readonly memoryPeaks: DecayingHistogram;
  firstSampleStart: number | undefined;
  lastSampleStart: number | undefined;
  totalSamplesCount = 0;

  constructor(readonly config: AggregationConfig) {
    const epsilon = 0.001 * config.minSampleWeight;
    const growth = 1 + config.bucketSizeGrowth;
    this.cpu = new DecayingHistogram(new ExponentialBuckets(config.cpuMaxCores, config.cpuFirstBucketCores, growth, epsilon), config.cpuHalfLifeMs);
    this.memoryPeaks = new DecayingHistogram(new ExponentialBuckets(config.memoryMaxBytes, config.memoryFirstBucketBytes, growth, epsilon), config.memoryHalfLifeMs);
  }

  /** A CPU sample in millicores, weighted by max(request in cores, minSampleWeight). */
  addCpuSample(usageMillicores: number, requestMillicores: number, measureStart: number): void {
    this.cpu.addSample(usageMillicores / 1000, Math.max(requestMillicores / 1000, this.config.minSampleWeight), measureStart);
    if (this.lastSampleStart === undefined || measureStart > this.lastSampleStart) this.lastSampleStart = measureStart;
    if (this.firstSampleStart === undefined || measureStart < this.firstSampleStart) this.firstSampleStart = measureStart;
    this.totalSamplesCount++;
  }
}

/** One container instance's state: dedups CPU samples and keeps one memory peak per interval (ContainerState). */
export class ContainerState {
  private lastCpuSampleStart = Number.NEGATIVE_INFINITY;
  private lastMemorySampleStart = Number.NEGATIVE_INFINITY;
  private memoryPeak = 0;
  private oomPeak = 0;
  private windowEnd: number | undefined;

  constructor(private readonly aggregate: AggregateContainerState, private readonly requestMillicores: number) {}

  /** Returns false for invalid, duplicate or out-of-order samples. */
  addCpuSample(usageMillicores: number, measureStart: number): boolean {
    if (usageMillicores < 0 || !(measureStart > this.lastCpuSampleStart)) return false;
    this.aggregate.addCpuSample(resourceAmount(usageMillicores), this.requestMillicores, measureStart);
    this.lastCpuSampleStart = measureStart;
    return true;
  }

  addMemorySample(bytes: number, measureStart: number, isOom = false): boolean {
    const usage = resourceAmount(bytes);
    if (bytes < 0 || (!isOom && measureStart < this.lastMemorySampleStart)) return false;
    this.lastMemorySampleStart = measureStart;
    if (this.windowEnd === undefined) this.windowEnd = measureStart;
    let addNewPeak = false;
    if (measureStart < this.windowEnd) {
      const oldMax = Math.max(this.memoryPeak, this.oomPeak);
      if (oldMax !== 0 && usage > oldMax) {
        this.aggregate.memoryPeaks.subtractSample(oldMax, 1, this.windowEnd);
        addNewPeak = true;
      }
    } else {
      const interval = this.aggregate.config.memoryAggregationIntervalMs;
      const shift = Math.floor((measureStart - this.windowEnd) / interval) * interval + interval;
      this.windowEnd += shift;
      this.memoryPeak = 0;
      this.oomPeak = 0;
      addNewPeak = true;
    }
    if (addNewPeak) {
      this.aggregate.memoryPeaks.addSample(usage, 1, this.windowEnd);
      if (isOom) this.oomPeak = usage;
      else this.memoryPeak = usage;
    }
    return true;
  }

  /** Records an OOM kill as a memory sample of max(used + minBump, used × ratio), used = max(request, peak). */
  recordOom(timestamp: number, requestedBytes: number): boolean {
    const cfg = this.aggregate.config;
    if (this.windowEnd !== undefined && timestamp < this.windowEnd - cfg.memoryAggregationIntervalMs) return false;
    const used = Math.max(resourceAmount(requestedBytes), this.memoryPeak);
    const needed = Math.max(used + resourceAmount(cfg.oomMinBumpUpBytes), resourceAmount(used * cfg.oomBumpUpRatio));
    return this.addMemorySample(needed, timestamp, true);
  }
}
