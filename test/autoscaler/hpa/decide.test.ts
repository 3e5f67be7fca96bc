/**
 * HPA decision table. Cases follow Kubernetes' replica_calculator_test.go and horizontal_test.go
 * (pkg/controller/podautoscaler); expected numbers are Kubernetes' integer arithmetic.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hpaDecide } from '../../../autoscaler/index.js';
import type { HpaDecideInput } from '../../../autoscaler/index.js';
import {
  NOW, SEC, cpuSamples, cpuUtil, externalMetric, makeInput, makePod, makePods, objectMetric, podsAvg, podsSamples,
} from './fixtures.js';

type Cond = [status: 'True' | 'False', reason: string];
interface Case {
  name: string;
  input: HpaDecideInput;
  replicas: number;
  /** The first metric's proposal before normalization, when it differs from `replicas`. */
  proposed?: number;
  conditions?: Record<string, Cond | null>;
  utilization?: number;
  value?: number;
  rescale?: boolean;
  message?: RegExp;
  error?: RegExp;
}

const mem = (mi: number): number => mi * 1024 * 1024 * 1000;
const VALID: Record<string, Cond> = { ScalingActive: ['True', 'ValidMetricFound'] };
const READY_WITHIN: Record<string, Cond> = { ...VALID, AbleToScale: ['True', 'ReadyForNewScale'], ScalingLimited: ['False', 'DesiredWithinRange'] };

const cases: Case[] = [
  // --- Resource utilization (TestReplicaCalcScaleUp*, TestReplicaCalcScaleDown*) ---
  { name: 'scale up: cpu 50% against a 30% target over 3 pods', replicas: 5, utilization: 50, value: 500, conditions: READY_WITHIN,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, metrics: [cpuSamples([300, 500, 700])] }) },
  { name: 'scale up with an unready pod counts it as 0 (UnreadyLessScale)', replicas: 4, utilization: 60,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, pods: makePods(3, (i) => ({ ready: i === 0 ? 'False' : 'True' })), metrics: [cpuSamples([300, 500, 700])] }) },
  { name: 'hot CPU pod whose sample predates readiness is treated as unready (HotCpuLessScale)', replicas: 4, utilization: 60,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, pods: makePods(3, (i) => ({ hot: i === 0 })), metrics: [cpuSamples([300, 500, 700])] }) },
  { name: 'unready pods would flip the direction: no scale (UnreadyNoScale)', replicas: 3, utilization: 40, value: 400,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, pods: makePods(3, (i) => ({ ready: i === 0 ? 'True' : 'False' })), metrics: [cpuSamples([400, 500, 700])] }) },
  { name: 'hot CPU pods would flip the direction: no scale (HotCpuNoScale)', replicas: 3, utilization: 40,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, pods: makePods(3, (i) => ({ hot: i > 0, ready: i === 0 ? 'True' : 'False' })), metrics: [cpuSamples([400, 500, 700])] }) },
  { name: 'failed pods are ignored (IgnoresFailedPods)', replicas: 4, utilization: 60,
    input: makeInput({ currentReplicas: 2, spec: { metrics: [cpuUtil(30)] }, pods: makePods(4, (i) => ({ phase: i < 2 ? 'Running' : 'Failed' })), metrics: [cpuSamples([500, 700, 100, 100])] }) },
  { name: 'pods being deleted are ignored (IgnoresDeletionPods)', replicas: 4, utilization: 60,
    input: makeInput({ currentReplicas: 2, spec: { metrics: [cpuUtil(30)] }, pods: makePods(4, (i) => ({ deleted: i >= 2 })), metrics: [cpuSamples([500, 700, 100, 100])] }) },
  { name: 'pending pods count as unready on scale-up', replicas: 4, utilization: 60,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, pods: makePods(3, (i) => ({ phase: i === 2 ? 'Pending' : 'Running' })), metrics: [cpuSamples([500, 700])] }) },
  { name: 'scale down: 28% against 50% over 5 pods', replicas: 3, utilization: 28, value: 280, conditions: READY_WITHIN,
    input: makeInput({ currentReplicas: 5, spec: { metrics: [cpuUtil(50)] }, pods: makePods(5), metrics: [cpuSamples([100, 300, 500, 250, 250])] }) },
  { name: 'scale down excludes unready pods (ScaleDownExcludeUnreadyPods)', replicas: 2, utilization: 33,
    input: makeInput({ currentReplicas: 5, spec: { metrics: [cpuUtil(50)] }, pods: makePods(5, (i) => ({ ready: i < 2 ? 'False' : 'True' })), metrics: [cpuSamples([100, 300, 500, 250, 250])] }) },
  { name: 'within tolerance: 102% of target keeps 3 (Tolerance)', replicas: 3, utilization: 102, conditions: READY_WITHIN, rescale: false,
    input: makeInput({ spec: { metrics: [cpuUtil(100)] }, pods: ['900m', '1', '1100m'].map((cpu, i) => makePod(`p${i}`, { cpu })), metrics: [cpuSamples([1010, 1030, 1020])] }) },
  { name: 'metrics for pods that do not exist are superfluous (SuperfluousMetrics)', replicas: 6, utilization: 587, value: 5875,
    conditions: { ...VALID, ScalingLimited: ['True', 'TooManyReplicas'] },
    input: makeInput({ currentReplicas: 4, spec: { minReplicas: 2, maxReplicas: 6, metrics: [cpuUtil(100)] }, pods: makePods(4), metrics: [cpuSamples([4000, 9500, 3000, 7000, 3200, 2000])] }) },
  { name: 'a pod that turned unready after being ready is still counted after the init period', replicas: 5, utilization: 50,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, pods: makePods(3, (i) => (i === 0 ? { ready: 'False', transition: NOW - 60 * SEC } : {})), metrics: [cpuSamples([300, 500, 700])] }) },
  { name: 'a pod without a Ready condition is unready for cpu', replicas: 4, utilization: 60,
    input: makeInput({ spec: { metrics: [cpuUtil(30)] }, pods: makePods(3, (i) => ({ ready: i === 0 ? 'none' : 'True' })), metrics: [cpuSamples([300, 500, 700])] }) },
  // --- missing metrics (TestReplicaCalcMissingMetrics*) ---
  { name: 'missing metrics count as 100% of request on scale-down (MissingMetrics)', replicas: 3, utilization: 24,
    input: makeInput({ currentReplicas: 4, spec: { metrics: [cpuUtil(100)] }, pods: makePods(4), metrics: [cpuSamples([400, 95])] }) },
  { name: 'missing metrics with a ratio of exactly 1: no change (NoChangeEq)', replicas: 2, utilization: 100,
    input: makeInput({ currentReplicas: 2, spec: { metrics: [cpuUtil(100)] }, pods: makePods(2), metrics: [cpuSamples([1000])] }) },
  { name: 'missing metrics count as 0 on scale-up, landing within tolerance (NoChangeGt)', replicas: 2, utilization: 190,
    input: makeInput({ currentReplicas: 2, spec: { metrics: [cpuUtil(100)] }, pods: makePods(2), metrics: [cpuSamples([1900])] }) },
  { name: 'missing metrics on scale-down that recompute to the same count (NoChangeLt)', replicas: 2, utilization: 60,
    input: makeInput({ currentReplicas: 2, spec: { metrics: [cpuUtil(100)] }, pods: makePods(2), metrics: [cpuSamples([600])] }) },
  { name: 'missing and unready pods flipping direction: no change (UnreadyChange)', replicas: 3, utilization: 45,
    input: makeInput({ spec: { metrics: [cpuUtil(50)] }, pods: makePods(3, (i) => ({ ready: i === 0 ? 'False' : 'True' })), metrics: [cpuSamples([100, 450])] }) },
  { name: 'missing and unready pods on scale-up both count as 0 (UnreadyScaleUp)', replicas: 4, utilization: 200,
    input: makeInput({ spec: { metrics: [cpuUtil(50)] }, pods: makePods(3, (i) => ({ ready: i === 0 ? 'False' : 'True' })), metrics: [cpuSamples([100, 2000])] }) },
  { name: 'missing pod counts as 100% and unready is dropped on scale-down (UnreadyScaleDown)', replicas: 3, utilization: 10,
    input: makeInput({ currentReplicas: 4, spec: { metrics: [cpuUtil(50)] }, pods: makePods(4, (i) => ({ ready: i === 0 ? 'False' : 'True' })), metrics: [cpuSamples([100, 100, 100])] }) },
  // --- errors (TestReplicaCalcEmptyCPURequest, TestEmptyMetrics) ---
  { name: 'a container without a cpu request fails the metric (EmptyCPURequest)', replicas: 1, rescale: false,
    conditions: { ScalingActive: ['False', 'FailedGetResourceMetric'], ScalingLimited: null }, message: /missing request for cpu in container app of Pod p0/,
    error: /^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu/,
    input: makeInput({ currentReplicas: 1, spec: { metrics: [cpuUtil(100)] }, pods: [makePod('p0', { cpu: null })], metrics: [cpuSamples([100])] }) },
  { name: 'no metrics for any pod (EmptyMetrics)', replicas: 4, rescale: false, conditions: { ScalingActive: ['False', 'FailedGetResourceMetric'] },
    message: /did not receive metrics for targeted pods \(pods might be unready\)/,
    input: makeInput({ currentReplicas: 4, spec: { metrics: [cpuUtil(100)] }, pods: makePods(4), metrics: [cpuSamples([])] }) },
  { name: 'a metrics API error is reported as FailedGetResourceMetric', replicas: 3, conditions: { ScalingActive: ['False', 'FailedGetResourceMetric'] },
    message: /unable to get metrics for resource cpu: metrics API down/,
    input: makeInput({ spec: { metrics: [cpuUtil(50)] }, metrics: [{ type: 'Error', message: 'metrics API down' }] }) },
  // --- Pods metrics (TestReplicaCalcScaleUpCM*) ---
  { name: 'Pods metric scale up (ScaleUpCM)', replicas: 4, value: 20000,
    input: makeInput({ spec: { metrics: [podsAvg('qps', '15')] }, metrics: [podsSamples([20000, 10000, 30000])] }) },
  { name: 'Pods metric ignores readiness (CMUnreadyHotCpuNoLessScale)', replicas: 6, value: 30000,
    input: makeInput({ spec: { metrics: [podsAvg('qps', '15')] }, pods: makePods(3, (i) => ({ ready: i === 1 ? 'True' : 'False' })), metrics: [podsSamples([50000, 10000, 30000])] }) },
  { name: 'Pods metric scales up even where ready pods alone would not (CMUnreadyHotCpuScaleWouldScaleDown)', replicas: 6, proposed: 7, value: 31666,
    conditions: { ScalingLimited: ['True', 'ScaleUpLimit'] },
    input: makeInput({ spec: { metrics: [podsAvg('qps', '15')] }, pods: makePods(3, (i) => ({ ready: i === 1 ? 'True' : 'False' })), metrics: [podsSamples([50000, 15000, 30000])] }) },
  { name: 'Pods metric scale down (ScaleDownCM)', replicas: 3, value: 12000,
    input: makeInput({ currentReplicas: 5, spec: { metrics: [podsAvg('qps', '20')] }, pods: makePods(5), metrics: [podsSamples([12000, 12000, 12000, 12000, 12000])] }) },
  { name: 'Pods metric within tolerance (ToleranceCM)', replicas: 3, value: 20666,
    input: makeInput({ spec: { metrics: [podsAvg('qps', '20')] }, metrics: [podsSamples([20000, 21000, 21000])] }) },
  // --- Object metrics ---
  { name: 'Object Value scale up over ready pods (ScaleUpCMObject)', replicas: 4, value: 20000,
    input: makeInput({ spec: { metrics: [objectMetric({ value: '15' })] }, metrics: [{ type: 'Object', value: 20000 }] }) },
  { name: 'Object Value counts only ready pods (CMObjectIgnoresUnreadyPods)', replicas: 5, value: 50000,
    input: makeInput({ spec: { metrics: [objectMetric({ value: '10' })] }, pods: makePods(3, (i) => ({ ready: i === 1 ? 'True' : 'False' })), metrics: [{ type: 'Object', value: 50000 }] }) },
  { name: 'Object AverageValue scale up (ScaleUpCMPerPodObject)', replicas: 4, value: 6667,
    input: makeInput({ spec: { metrics: [objectMetric({ averageValue: '5' })] }, metrics: [{ type: 'Object', value: 20000 }] }) },
  { name: 'Object Value scale down (ScaleDownCMObject)', replicas: 3, value: 12000,
    input: makeInput({ currentReplicas: 5, pods: makePods(5), spec: { metrics: [objectMetric({ value: '20' })] }, metrics: [{ type: 'Object', value: 12000 }] }) },
  { name: 'Object AverageValue scale down (ScaleDownPerPodCMObject)', replicas: 3, value: 1200,
    input: makeInput({ currentReplicas: 5, pods: makePods(5), spec: { metrics: [objectMetric({ averageValue: '2' })] }, metrics: [{ type: 'Object', value: 6000 }] }) },
  { name: 'Object Value within tolerance (ToleranceCMObject)', replicas: 3, value: 20666,
    input: makeInput({ spec: { metrics: [objectMetric({ value: '20' })] }, metrics: [{ type: 'Object', value: 20666 }] }) },
  // --- External metrics ---
  { name: 'External Value scale up (ScaleUpCMExternal)', replicas: 2, value: 8600,
    input: makeInput({ currentReplicas: 1, pods: makePods(1), spec: { metrics: [externalMetric({ value: '4400m' })] }, metrics: [{ type: 'External', values: [8600] }] }) },
  { name: 'External Value ignores unready pods (CMExternalIgnoresUnreadyPods)', replicas: 2, value: 8600,
    input: makeInput({ pods: makePods(3, (i) => ({ ready: i === 1 ? 'True' : 'False' })), spec: { metrics: [externalMetric({ value: '4400m' })] }, metrics: [{ type: 'External', values: [8600] }] }) },
  { name: 'External AverageValue scale up (ScaleUpPerPodCMExternal)', replicas: 4, value: 2867,
    input: makeInput({ spec: { metrics: [externalMetric({ averageValue: '2150m' })] }, metrics: [{ type: 'External', values: [8600] }] }) },
  { name: 'External Value scale down (ScaleDownCMExternal)', replicas: 3, value: 8600,
    input: makeInput({ currentReplicas: 5, pods: makePods(5), spec: { metrics: [externalMetric({ value: '14334m' })] }, metrics: [{ type: 'External', values: [8600] }] }) },
  { name: 'External AverageValue scale down (ScaleDownPerPodCMExternal)', replicas: 3, value: 1720,
    input: makeInput({ currentReplicas: 5, pods: makePods(5), spec: { metrics: [externalMetric({ averageValue: '2867m' })] }, metrics: [{ type: 'External', values: [8600] }] }) },
  // --- ContainerResource and AverageValue resource targets ---
  { name: 'ContainerResource utilization reads only the named container', replicas: 5, utilization: 80,
    input: makeInput({
      spec: { metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      pods: makePods(3, () => ({ containers: [{ name: 'app', requests: { cpu: '500m' } }, { name: 'sidecar', requests: { cpu: '500m' } }] })),
      metrics: [{ type: 'ContainerResource', pods: Object.fromEntries([0, 1, 2].map((i) => [`p${i}`, { containers: { app: 400, sidecar: 10 }, timestamp: NOW - 10 * SEC, windowSeconds: 30 }])) }],
    }) },
  { name: 'memory AverageValue target: 200Mi per pod against 100Mi', replicas: 6, value: mem(200),
    input: makeInput({
      spec: { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }] },
      metrics: [{ type: 'Resource', pods: Object.fromEntries([0, 1, 2].map((i) => [`p${i}`, { value: mem(200), timestamp: NOW, windowSeconds: 30 }])) }],
    }) },
  // --- replica limits (horizontal_test.go) ---
  { name: 'legacy scale-up cap max(2×current, 4) (TestUpscaleCap)', replicas: 6, conditions: { ScalingLimited: ['True', 'ScaleUpLimit'] },
    input: makeInput({ spec: { metrics: [cpuUtil(10)] }, pods: makePods(3, () => ({ cpu: '100m' })), metrics: [cpuSamples([100, 200, 300])] }) },
  { name: 'maxReplicas below the scale-up cap (TestMaxReplicas)', replicas: 5, conditions: { ScalingLimited: ['True', 'TooManyReplicas'] },
    input: makeInput({ spec: { minReplicas: 2, maxReplicas: 5, metrics: [cpuUtil(90)] }, metrics: [cpuSamples([8000, 9500, 1000])] }) },
  { name: 'desired zero is raised to minReplicas (TestMinReplicasDesiredZero)', replicas: 2, conditions: { ScalingLimited: ['True', 'TooFewReplicas'] },
    input: makeInput({ spec: { minReplicas: 2, maxReplicas: 5, metrics: [cpuUtil(90)] }, metrics: [cpuSamples([0, 0, 0])] }) },
  { name: 'minReplicas 0 lets the target scale to zero (TestZeroMinReplicasDesiredZero)', replicas: 0, conditions: READY_WITHIN,
    input: makeInput({ spec: { minReplicas: 0, maxReplicas: 5, metrics: [cpuUtil(90)] }, metrics: [cpuSamples([0, 0, 0])] }) },
  { name: 'zero current replicas disables scaling (TestZeroReplicas)', replicas: 0, rescale: false,
    conditions: { AbleToScale: ['True', 'SucceededGetScale'], ScalingActive: ['False', 'ScalingDisabled'], ScalingLimited: null },
    input: makeInput({ currentReplicas: 0, pods: [], spec: { minReplicas: 3, maxReplicas: 5, metrics: [cpuUtil(90)] }, metrics: [] }) },
  { name: 'current above maxReplicas goes straight to max (TestTooManyReplicas)', replicas: 5, rescale: true,
    conditions: { AbleToScale: ['True', 'SucceededGetScale'], ScalingActive: null, ScalingLimited: null },
    input: makeInput({ currentReplicas: 10, pods: makePods(10), spec: { minReplicas: 3, maxReplicas: 5, metrics: [cpuUtil(90)] }, metrics: [] }) },
  { name: 'current below minReplicas goes straight to min (TestTooFewReplicas)', replicas: 3, rescale: true,
    input: makeInput({ currentReplicas: 2, pods: makePods(2), spec: { minReplicas: 3, maxReplicas: 5, metrics: [cpuUtil(90)] }, metrics: [] }) },
  { name: 'scale from zero with minReplicas 0 uses ceil(ratio) for External Value', replicas: 2,
    input: makeInput({ currentReplicas: 0, pods: [], spec: { minReplicas: 0, metrics: [externalMetric({ value: '4400m' })] }, metrics: [{ type: 'External', values: [8600] }] }) },
  { name: 'a resource target with neither utilization nor value is invalid', replicas: 3, conditions: { ScalingActive: ['False', 'FailedGetResourceMetric'] },
    message: /invalid resource metric source: neither an average utilization target nor an average value target was set/,
    input: makeInput({ spec: { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] }, metrics: [cpuSamples([1, 2, 3])] }) },
  // --- multiple metrics ---
  { name: 'multiple metrics take the largest proposal', replicas: 5,
    input: makeInput({ spec: { metrics: [podsAvg('qps', '15'), cpuUtil(30)] }, metrics: [podsSamples([20000, 10000, 30000]), cpuSamples([300, 500, 700])] }) },
  { name: 'an invalid metric does not block a scale-up (TestScaleUpOneMetricInvalid)', replicas: 5, conditions: VALID,
    error: /^invalid metrics \(1 invalid out of 2\), first error is: failed to get external metric queue: unable to get external metric default\/queue\/&LabelSelector/,
    input: makeInput({ spec: { metrics: [cpuUtil(30), externalMetric({ value: '1' })] }, metrics: [cpuSamples([300, 500, 700]), { type: 'Error', message: 'nope' }] }) },
  { name: 'an invalid metric blocks a scale-down (TestScaleDownOneMetricInvalid)', replicas: 5, rescale: false,
    conditions: { ScalingActive: ['False', 'FailedGetPodsMetric'], ScalingLimited: null }, message: /unable to get metric qps: adapter missing/,
    input: makeInput({ currentReplicas: 5, pods: makePods(5), spec: { metrics: [cpuUtil(50), podsAvg('qps', '1')] }, metrics: [cpuSamples([100, 300, 500, 250, 250]), { type: 'Error', message: 'adapter missing' }] }) },
  { name: 'all metrics invalid keeps the current count', replicas: 3, rescale: false, conditions: { ScalingActive: ['False', 'FailedGetObjectMetric'] },
    message: /unable to get metric qps: Service on default frontend\/timeout/,
    input: makeInput({ spec: { metrics: [objectMetric({ value: '1' }), externalMetric({ value: '1' })] }, metrics: [{ type: 'Error', message: 'timeout' }, { type: 'Error', message: 'x' }] }) },
  // --- legacy down-stabilization ---
  { name: 'legacy down-stabilization keeps the highest recent recommendation', replicas: 5, rescale: false,
    conditions: { AbleToScale: ['True', 'ScaleDownStabilized'], ScalingLimited: ['False', 'DesiredWithinRange'] },
    input: makeInput({ currentReplicas: 5, pods: makePods(5), recommendations: [{ replicas: 5, timestamp: NOW - 60 * SEC }], spec: { metrics: [cpuUtil(50)] }, metrics: [cpuSamples([100, 300, 500, 250, 250])] }) },
  { name: 'legacy down-stabilization ignores recommendations older than the window', replicas: 3,
    input: makeInput({ currentReplicas: 5, pods: makePods(5), recommendations: [{ replicas: 5, timestamp: NOW - 301 * SEC }], spec: { metrics: [cpuUtil(50)] }, metrics: [cpuSamples([100, 300, 500, 250, 250])] }) },
  { name: 'first run records the current size, which stabilizes a scale-down', replicas: 5, conditions: { AbleToScale: ['True', 'ScaleDownStabilized'] },
    input: makeInput({ currentReplicas: 5, pods: makePods(5), recommendations: [], spec: { metrics: [cpuUtil(50)] }, metrics: [cpuSamples([100, 300, 500, 250, 250])] }) },
];

describe('hpaDecide (Kubernetes replica calculator and controller)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = hpaDecide(c.input);
      assert.equal(d.desiredReplicas, c.replicas, d.explanation);
      if (c.rescale !== undefined) assert.equal(d.rescale, c.rescale);
      for (const [type, want] of Object.entries(c.conditions ?? {})) {
        const got = d.conditions.find((x) => x.type === type);
        if (want === null) assert.equal(got, undefined, `${type} should not be set`);
        else assert.deepEqual([got?.status, got?.reason], want, `${type}: ${got?.message ?? ''}`);
      }
      const p = d.proposals[0];
      if (c.utilization !== undefined) assert.equal(p?.utilization, c.utilization);
      if (c.value !== undefined) assert.equal(p?.currentValue, c.value);
      if (c.proposed !== undefined) assert.equal(p?.replicas, c.proposed);
      if (c.message) assert.match(d.conditions.find((x) => x.type === 'ScalingActive')?.message ?? '', c.message);
      if (c.error) assert.match(d.error ?? '', c.error);
      else if (!c.message) assert.equal(d.error, undefined);
    });
  }
});
