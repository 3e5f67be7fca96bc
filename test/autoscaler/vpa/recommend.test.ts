/** VPA recommender: histograms, decay, percentiles, confidence bounds, policies and OOM bumps. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DecayingHistogram, ExponentialBuckets, Histogram, vpaRecommend } from '../../../autoscaler/index.js';
import type { VpaContainerHistory } from '../../../autoscaler/index.js';
import type { ContainerResourcePolicy, VerticalPodAutoscaler } from '../../../core/api/index.js';

const NOW = Date.UTC(2026, 0, 10);
const MIN = 60_000;
const DAY = 86_400_000;
const Mi = 1024 * 1024;
const cpuBuckets = (): ExponentialBuckets => new ExponentialBuckets(1000, 0.01, 1.05, 0.0001);
const memBuckets = (): ExponentialBuckets => new ExponentialBuckets(1e12, 1e7, 1.05, 0.0001);
/** The end of the bucket holding `v`: what a percentile landing on `v` returns. */
const bucketEnd = (b: ExponentialBuckets, v: number): number => b.bucketStart(b.findBucket(v) + 1);
const withMargin = (x: number): number => Math.trunc(x) + Math.trunc(Math.trunc(x) * 0.15);

function makeVpa(policies?: ContainerResourcePolicy[]): VerticalPodAutoscaler {
  return {
    apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'web', namespace: 'default' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...(policies ? { resourcePolicy: { containerPolicies: policies } } : {}) },
  };
}

/** Per-minute samples of constant usage over `days` days, ending at NOW. */
function steady(o: { days: number; cpu: number; memMi: number; container?: string; pod?: string; cpuRequest?: string }): VpaContainerHistory {
  const cpuSamples: { timestamp: number; millicores: number }[] = [];
  const memorySamples: { timestamp: number; bytes: number }[] = [];
  for (let t = NOW - o.days * DAY; t < NOW; t += MIN) {
    cpuSamples.push({ timestamp: t, millicores: o.cpu });
    memorySamples.push({ timestamp: t, bytes: o.memMi * Mi });
  }
  return { pod: o.pod ?? 'web-1', container: o.container ?? 'app', requests: { cpu: o.cpuRequest ?? '500m', memory: '512Mi' }, cpuSamples, memorySamples };
}

describe('ExponentialBuckets', () => {
  it('has 176 buckets for both the CPU and the memory scheme', () => {
    assert.equal(cpuBuckets().numBuckets, 176);
    assert.equal(memBuckets().numBuckets, 176);
  });
  it('findBucket inverts bucketStart, and the first bucket covers [0, first)', () => {
    const b = cpuBuckets();
    assert.equal(b.findBucket(0.005), 0);
    assert.equal(b.bucketStart(1), 0.01);
    for (const i of [1, 10, 50, 120]) assert.equal(b.findBucket(b.bucketStart(i) * 1.0000001), i);
    assert.equal(b.findBucket(1e9), 175);
  });
});

describe('Histogram percentiles', () => {
  const b = cpuBuckets();
  const uniform = new Histogram(b);
  for (let v = 1; v <= 10; v++) for (let k = 0; k < 10; k++) uniform.addSample(v, 1);
  const table: { p: number; value: number }[] = [{ p: 0.5, value: 5 }, { p: 0.9, value: 9 }, { p: 0.95, value: 10 }, { p: 0.1, value: 1 }];
  for (const c of table) {
    it(`P${c.p * 100} of 1..10 cores is the end of the bucket holding ${c.value}`, () => {
      const got = uniform.percentile(c.p);
      assert.equal(got, bucketEnd(b, c.value));
      assert.ok(got >= c.value && got <= c.value * 1.05 + 0.01, `${got} within a bucket of ${c.value}`);
    });
  }
  it('an empty histogram has percentile 0', () => assert.equal(new Histogram(b).percentile(0.9), 0));
});

describe('DecayingHistogram', () => {
  const cases = [
    { name: 'a sample 24 h older counts half', ageDays: 1, boundary: 1 / 3 },
    { name: 'a sample 48 h older counts a quarter', ageDays: 2, boundary: 1 / 5 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const h = new DecayingHistogram(cpuBuckets(), DAY);
      h.addSample(1, 1, NOW - c.ageDays * DAY);
      h.addSample(2, 1, NOW);
      assert.equal(h.percentile(c.boundary - 0.01), bucketEnd(h.buckets, 1));
      assert.equal(h.percentile(c.boundary + 0.01), bucketEnd(h.buckets, 2));
    });
  }
  it('shifts its reference to a whole half-life since Go zero time, forgetting ancient samples', () => {
    const h = new DecayingHistogram(cpuBuckets(), DAY);
    h.addSample(1, 1, NOW - 150 * DAY);
    h.addSample(2, 1, NOW);
    assert.equal((h.referenceTimestamp - Date.UTC(1970, 0, 1)) % DAY, 0);
    assert.ok(Number.isFinite(h.totalWeight));
    assert.equal(h.percentile(0.01), bucketEnd(h.buckets, 2));
  });
});

describe('vpaRecommend', () => {
  it('steady 500m / 300Mi for a week: P90 bucket end plus 15%', () => {
    const r = vpaRecommend({ vpa: makeVpa(), containers: [steady({ days: 7, cpu: 500, memMi: 300 })] });
    const cpu = withMargin(bucketEnd(cpuBuckets(), 0.5) * 1000);
    assert.equal(cpu, 587);
    assert.deepEqual(r.containerRecommendations[0]?.target, { cpu: '587m', memory: String(withMargin(bucketEnd(memBuckets(), 300 * Mi))) });
    assert.deepEqual(r.containerRecommendations[0]?.uncappedTarget, r.containerRecommendations[0]?.target);
    assert.match(r.explanation, /^app: target cpu 587m/);
  });

  const bounds = [
    { days: 1, upper: '1174m', lower: '585m', confidence: 1 },
    { days: 7, upper: '670m', lower: '586m', confidence: 7 },
  ];
  for (const c of bounds) {
    it(`confidence bounds after ${c.days} day(s): upper ×(1+1/conf), lower ×(1+0.001/conf)^-2`, () => {
      const r = vpaRecommend({ vpa: makeVpa(), containers: [steady({ days: c.days, cpu: 500, memMi: 300 })] });
      const rec = r.containerRecommendations[0];
      assert.equal(rec?.upperBound?.cpu, c.upper);
      assert.equal(rec?.lowerBound?.cpu, c.lower);
      assert.ok(Math.abs((r.details[0]?.confidenceDays ?? 0) - c.confidence) < 0.01);
      assert.equal(r.details[0]?.upperBound.cpu, Math.trunc(587 * (1 + 1 / (r.details[0]?.confidenceDays ?? 1))));
    });
  }

  it('a single sample gives an unbounded upper bound and the minimum as lower bound', () => {
    const r = vpaRecommend({ vpa: makeVpa(), containers: [{ pod: 'p', container: 'app', cpuSamples: [{ timestamp: NOW, millicores: 500 }] }] });
    assert.equal(r.containerRecommendations[0]?.upperBound?.cpu, '100G');
    assert.equal(r.containerRecommendations[0]?.lowerBound?.cpu, '25m');
    assert.equal(r.containerRecommendations[0]?.lowerBound?.memory, '250Mi');
  });

  it('caps to maxAllowed and minAllowed but keeps uncappedTarget', () => {
    const vpa = makeVpa([{ containerName: 'app', maxAllowed: { cpu: '200m' }, minAllowed: { memory: '1Gi' } }]);
    const rec = vpaRecommend({ vpa, containers: [steady({ days: 7, cpu: 500, memMi: 300 })] }).containerRecommendations[0];
    assert.equal(rec?.target.cpu, '200m');
    assert.equal(rec?.upperBound?.cpu, '200m');
    assert.equal(rec?.lowerBound?.cpu, '200m');
    assert.equal(rec?.target.memory, '1Gi');
    assert.equal(rec?.uncappedTarget?.cpu, '587m');
  });

  const oomCases = [
    { name: 'OOM bump of at least 100Mi over the request', requestMi: 200, expectMi: 300 },
    { name: 'OOM bump of 20% over a large request', requestMi: 1024, expectMi: 1024 * 1.2 },
  ];
  for (const c of oomCases) {
    it(c.name, () => {
      const oom: VpaContainerHistory = {
        pod: 'p', container: 'app', requests: { memory: `${c.requestMi}Mi` },
        cpuSamples: [{ timestamp: NOW - MIN, millicores: 100 }],
        memorySamples: [{ timestamp: NOW - MIN, bytes: 100 * Mi }], ooms: [{ timestamp: NOW }],
      };
      const plain: VpaContainerHistory = { ...oom, memorySamples: [{ timestamp: NOW - MIN, bytes: Math.trunc(c.expectMi * Mi) }], ooms: [] };
      const got = vpaRecommend({ vpa: makeVpa(), containers: [oom] }).containerRecommendations[0]?.target.memory;
      assert.equal(got, vpaRecommend({ vpa: makeVpa(), containers: [plain] }).containerRecommendations[0]?.target.memory);
      assert.equal(got, String(withMargin(bucketEnd(memBuckets(), Math.trunc(c.expectMi * Mi)))));
    });
  }

  it('keeps one memory peak per container per 24 h interval', () => {
    const base = { pod: 'p', container: 'app', cpuSamples: [{ timestamp: NOW, millicores: 100 }] };
    const twoSamples = vpaRecommend({ vpa: makeVpa(), containers: [{ ...base, memorySamples: [{ timestamp: NOW - 2 * MIN, bytes: 100 * Mi }, { timestamp: NOW - MIN, bytes: 400 * Mi }] }] });
    const peakOnly = vpaRecommend({ vpa: makeVpa(), containers: [{ ...base, memorySamples: [{ timestamp: NOW - MIN, bytes: 400 * Mi }] }] });
    assert.deepEqual(twoSamples.containerRecommendations, peakOnly.containerRecommendations);
  });

  it('recommends only controlledResources and skips containers in mode Off', () => {
    const vpa = makeVpa([{ containerName: 'sidecar', mode: 'Off' }, { containerName: '*', controlledResources: ['cpu'] }]);
    const r = vpaRecommend({ vpa, containers: [steady({ days: 1, cpu: 500, memMi: 300 }), steady({ days: 1, cpu: 50, memMi: 30, container: 'sidecar' })] });
    assert.deepEqual(r.containerRecommendations.map((c) => c.containerName), ['app']);
    assert.deepEqual(Object.keys(r.containerRecommendations[0]?.target ?? {}), ['cpu']);
  });

  it('splits the pod minimums across containers', () => {
    const tiny = (container: string): VpaContainerHistory => ({ pod: 'p', container, cpuSamples: [{ timestamp: NOW, millicores: 1 }], memorySamples: [{ timestamp: NOW, bytes: Mi }] });
    const r = vpaRecommend({ vpa: makeVpa(), containers: [tiny('a'), tiny('b')] });
    assert.deepEqual(r.containerRecommendations.map((c) => c.target), [{ cpu: '12m', memory: '125Mi' }, { cpu: '12m', memory: '125Mi' }]);
  });

  it('weights CPU samples by request (at least 0.1 core) and drops duplicate timestamps', () => {
    const low = { pod: 'a', container: 'app', requests: { cpu: '0' }, cpuSamples: [{ timestamp: NOW, millicores: 100 }] };
    const high = { pod: 'b', container: 'app', requests: { cpu: '900m' }, cpuSamples: [{ timestamp: NOW, millicores: 2000 }, { timestamp: NOW, millicores: 9000 }] };
    const r = vpaRecommend({ vpa: makeVpa(), containers: [low, high] });
    assert.equal(r.details[0]?.totalSamples, 2);
    // weights 0.1 (100m) and 0.9 (2000m): P90 falls in the 2-core bucket, P5 in the 100m bucket.
    assert.equal(r.details[0]?.target.cpu, withMargin(bucketEnd(cpuBuckets(), 2) * 1000));
    const p05 = vpaRecommend({ vpa: makeVpa(), containers: [low, high], config: { targetCpuPercentile: 0.05 } });
    assert.equal(p05.details[0]?.target.cpu, withMargin(bucketEnd(cpuBuckets(), 0.1) * 1000));
  });

  it('returns no recommendation without history', () => {
    const r = vpaRecommend({ vpa: makeVpa(), containers: [{ pod: 'p', container: 'app' }] });
    assert.deepEqual(r.containerRecommendations, []);
  });
});
