/** `behavior` normalization (policies, selectPolicy, windows, scale events) and the helpers around hpaDecide. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hpaDecide, hpaPodFromPod, mergeHpaConditions, recordScaleEvent } from '../../../autoscaler/index.js';
import type { HPAScalingRules, HorizontalPodAutoscaler } from '../../../core/api/index.js';
import type { HpaDecideInput, ScaleEventHistory, TimestampedRecommendation } from '../../../autoscaler/index.js';
import { NOW, SEC, cpuSamples, cpuUtil, externalMetric, makeInput, makePods } from './fixtures.js';

type Behavior = NonNullable<HorizontalPodAutoscaler['spec']['behavior']>;

/** An input whose single metric proposes exactly `proposal` replicas (External AverageValue of 1 per pod). */
function proposing(proposal: number, o: {
  current: number; behavior?: Behavior; min?: number; max?: number; history?: TimestampedRecommendation[]; events?: ScaleEventHistory;
}): HpaDecideInput {
  return makeInput({
    currentReplicas: o.current,
    pods: makePods(o.current),
    spec: { minReplicas: o.min ?? 1, maxReplicas: o.max ?? 100, metrics: [externalMetric({ averageValue: '1' })], ...(o.behavior ? { behavior: o.behavior } : {}) },
    metrics: [{ type: 'External', values: [proposal * 1000] }],
    ...(o.history ? { recommendations: o.history } : {}),
    ...(o.events ? { scaleEvents: o.events } : {}),
  });
}

const noDownWindow = (rules: HPAScalingRules = {}): Behavior => ({ scaleDown: { stabilizationWindowSeconds: 0, ...rules } });
const up = (rules: HPAScalingRules): Behavior => ({ scaleUp: rules, scaleDown: { stabilizationWindowSeconds: 0 } });

interface Case { name: string; input: HpaDecideInput; replicas: number; ableToScale?: string; limited?: [string, string]; explanation?: RegExp }

const cases: Case[] = [
  { name: 'default scale-up rules: max(4 pods, 100%) per 15 s', replicas: 10, limited: ['True', 'ScaleUpLimit'],
    explanation: /limited to 10 by scale-up policy Percent=100\/15s/, input: proposing(50, { current: 5, behavior: noDownWindow() }) },
  { name: 'scale-up Pods policy only', replicas: 9, limited: ['True', 'ScaleUpLimit'],
    input: proposing(50, { current: 5, behavior: up({ policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] }) }) },
  { name: 'scale-up selectPolicy Min picks the smaller limit', replicas: 14,
    input: proposing(50, { current: 10, behavior: up({ selectPolicy: 'Min', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }] }) }) },
  { name: 'scale-up selectPolicy Max picks the larger limit', replicas: 20,
    input: proposing(50, { current: 10, behavior: up({ selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }] }) }) },
  { name: 'scale-up Disabled keeps the current count', replicas: 5, limited: ['True', 'ScaleUpLimit'],
    input: proposing(50, { current: 5, behavior: up({ selectPolicy: 'Disabled' }) }) },
  { name: 'scale-up counts replicas added within the period', replicas: 8,
    input: proposing(20, { current: 6, behavior: up({ policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] }), events: { up: [{ replicaChange: 2, timestamp: NOW - 30 * SEC }], down: [] } }) },
  { name: 'scale-up ignores events older than the period', replicas: 10,
    input: proposing(20, { current: 6, behavior: up({ policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] }), events: { up: [{ replicaChange: 2, timestamp: NOW - 90 * SEC }], down: [] } }) },
  { name: 'scale-up Percent policy rounds up', replicas: 4,
    input: proposing(20, { current: 3, behavior: up({ policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] }) }) },
  { name: 'scale-up limited by maxReplicas reports TooManyReplicas', replicas: 10, limited: ['True', 'TooManyReplicas'],
    input: proposing(50, { current: 3, max: 10, behavior: up({ policies: [{ type: 'Pods', value: 100, periodSeconds: 60 }] }) }) },
  { name: 'default scale-down window (300 s) holds the highest recent recommendation', replicas: 10, ableToScale: 'ScaleDownStabilized',
    input: proposing(2, { current: 10, behavior: {}, history: [{ replicas: 10, timestamp: NOW - 60 * SEC }] }) },
  { name: 'default scale-down policy allows 100% per 15 s once the window passes', replicas: 2,
    input: proposing(2, { current: 10, behavior: {}, history: [{ replicas: 10, timestamp: NOW - 301 * SEC }] }) },
  { name: 'scale-down Percent 50% per 60 s', replicas: 5, limited: ['True', 'ScaleDownLimit'],
    input: proposing(2, { current: 10, behavior: noDownWindow({ policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] }) }) },
  { name: 'scale-down selectPolicy Min keeps the smaller change', replicas: 8,
    input: proposing(2, { current: 10, behavior: noDownWindow({ selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] }) }) },
  { name: 'scale-down selectPolicy Max allows the larger change', replicas: 5,
    input: proposing(2, { current: 10, behavior: noDownWindow({ policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] }) }) },
  { name: 'scale-down counts replicas removed within the period', replicas: 7,
    input: proposing(2, { current: 8, behavior: noDownWindow({ policies: [{ type: 'Pods', value: 3, periodSeconds: 60 }] }), events: { up: [], down: [{ replicaChange: 2, timestamp: NOW - 30 * SEC }] } }) },
  { name: 'scale-down Disabled keeps the current count', replicas: 10, limited: ['True', 'ScaleDownLimit'],
    input: proposing(2, { current: 10, behavior: noDownWindow({ selectPolicy: 'Disabled' }) }) },
  { name: 'scale-down below minReplicas reports TooFewReplicas', replicas: 3, limited: ['True', 'TooFewReplicas'],
    input: proposing(1, { current: 10, min: 3, behavior: noDownWindow() }) },
  { name: 'scale-up window applies the lowest recent recommendation', replicas: 6, ableToScale: 'ScaleUpStabilized', limited: ['False', 'DesiredWithinRange'],
    input: proposing(10, { current: 4, behavior: { scaleUp: { stabilizationWindowSeconds: 60 } }, history: [{ replicas: 6, timestamp: NOW - 30 * SEC }] }) },
];

describe('hpaDecide with behavior', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = hpaDecide(c.input);
      assert.equal(d.desiredReplicas, c.replicas, d.explanation);
      const able = d.conditions.find((x) => x.type === 'AbleToScale');
      assert.equal(able?.reason, c.ableToScale ?? 'ReadyForNewScale');
      if (c.limited) {
        const lim = d.conditions.find((x) => x.type === 'ScalingLimited');
        assert.deepEqual([lim?.status, lim?.reason], c.limited);
      }
      if (c.explanation) assert.match(d.explanation, c.explanation);
    });
  }
});

describe('hpaDecide details', () => {
  it('stores the unstabilized recommendation, replacing the last stale one', () => {
    const d = hpaDecide(proposing(2, { current: 10, behavior: {}, history: [{ replicas: 7, timestamp: NOW - 900 * SEC }, { replicas: 10, timestamp: NOW - 60 * SEC }] }));
    assert.deepEqual(d.recommendations, [{ replicas: 2, timestamp: NOW }, { replicas: 10, timestamp: NOW - 60 * SEC }]);
  });

  it('per-HPA scale-up tolerance widens the dead band', () => {
    const base = { spec: { metrics: [cpuUtil(38)] }, metrics: [cpuSamples([300, 500, 700])] };
    assert.equal(hpaDecide(makeInput(base)).desiredReplicas, 4);
    const tolerant = makeInput({ ...base, spec: { metrics: [cpuUtil(38)], behavior: { scaleUp: { tolerance: '0.5' } } } });
    assert.equal(hpaDecide(tolerant).desiredReplicas, 3);
  });

  it('reports currentMetrics as Kubernetes formats them', () => {
    const d = hpaDecide(makeInput({ spec: { metrics: [cpuUtil(30)] }, metrics: [cpuSamples([300, 500, 700])] }));
    assert.deepEqual(d.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '500m' } } }]);
    assert.equal(d.chosenMetric, 'cpu resource utilization (percentage of request)');
    assert.equal(d.rescaleReason, 'cpu resource utilization (percentage of request) above target');
    assert.match(d.explanation, /^cpu 50% of target 30% over 3 ready pods → 5; scaling 3 → 5$/);
    assert.equal(d.conditions.find((c) => c.type === 'ScalingActive')?.message, 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
  });

  it('does not mutate its input', () => {
    const input = proposing(2, { current: 10, behavior: {}, history: [{ replicas: 10, timestamp: NOW - 60 * SEC }] });
    const snapshot = structuredClone(input);
    hpaDecide(input);
    assert.deepEqual(input, snapshot);
  });
});

describe('recordScaleEvent', () => {
  const behavior: Behavior = { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } };
  const cases: { name: string; prev: number; next: number; history: ScaleEventHistory; want: ScaleEventHistory; behavior?: Behavior }[] = [
    { name: 'appends a scale-up', prev: 3, next: 5, history: { up: [], down: [] }, want: { up: [{ replicaChange: 2, timestamp: NOW }], down: [] } },
    { name: 'reuses the slot of an event older than the longest period', prev: 5, next: 6,
      history: { up: [{ replicaChange: 9, timestamp: NOW - 61 * SEC }, { replicaChange: 1, timestamp: NOW - 10 * SEC }], down: [] },
      want: { up: [{ replicaChange: 1, timestamp: NOW }, { replicaChange: 1, timestamp: NOW - 10 * SEC }], down: [] } },
    { name: 'records a scale-down as a positive change', prev: 6, next: 2, history: { up: [], down: [] }, want: { up: [], down: [{ replicaChange: 4, timestamp: NOW }] } },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(recordScaleEvent(c.history, behavior, c.prev, c.next, NOW), c.want));
  }
  it('records nothing without behavior', () => {
    assert.deepEqual(recordScaleEvent({ up: [], down: [] }, undefined, 1, 4, NOW), { up: [], down: [] });
  });
});

describe('hpaPodFromPod and mergeHpaConditions', () => {
  it('extracts readiness, times and requests from a Pod', () => {
    const pod = hpaPodFromPod({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', deletionTimestamp: '2026-01-01T12:00:00Z' },
      spec: { containers: [{ name: 'app', resources: { requests: { cpu: '250m' } } }] },
      status: { phase: 'Running', startTime: '2026-01-01T11:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T11:01:00Z' }] },
    });
    assert.deepEqual(pod, {
      name: 'a', phase: 'Running', containers: [{ name: 'app', requests: { cpu: '250m' } }],
      ready: { status: 'True', lastTransitionTime: Date.UTC(2026, 0, 1, 11, 1) }, startTime: Date.UTC(2026, 0, 1, 11), deletionTimestamp: NOW,
    });
  });

  it('keeps lastTransitionTime unless the status changes', () => {
    const old = [{ type: 'AbleToScale', status: 'True' as const, reason: 'X', lastTransitionTime: '2020-01-01T00:00:00.000Z' },
      { type: 'ScalingActive', status: 'True' as const, reason: 'Y', lastTransitionTime: '2020-01-01T00:00:00.000Z' }];
    const merged = mergeHpaConditions(old, [{ type: 'AbleToScale', status: 'True', reason: 'Z' }, { type: 'ScalingActive', status: 'False', reason: 'W' }], NOW);
    assert.deepEqual(merged.map((c) => [c.reason, c.lastTransitionTime]), [['Z', '2020-01-01T00:00:00.000Z'], ['W', new Date(NOW).toISOString()]]);
  });
});
