import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planEvictions } from '../../../autoscaler/index.js';
import type { Pod, VerticalPodAutoscaler } from '../../../core/api/index.js';

function makePod(name: string, o: { cpu?: string; phase?: 'Running' | 'Pending'; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'web', ...(o.cpu ? { resources: { requests: { cpu: o.cpu } } } : {}) }] },
    status: { phase: o.phase ?? 'Running' },
  };
}

function makeVpa(o: { mode?: 'Off' | 'Initial' | 'Recreate' | 'Auto'; minReplicas?: number; rec?: boolean; containerOff?: boolean } = {}): VerticalPodAutoscaler {
  return {
    apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'v', namespace: 'default' },
    spec: {
      targetRef: { kind: 'Deployment', name: 'web' },
      ...(o.mode || o.minReplicas ? { updatePolicy: { ...(o.mode ? { updateMode: o.mode } : {}), ...(o.minReplicas ? { minReplicas: o.minReplicas } : {}) } } : {}),
      ...(o.containerOff ? { resourcePolicy: { containerPolicies: [{ containerName: 'web', mode: 'Off' as const }] } } : {}),
    },
    ...(o.rec === false ? {} : { status: { recommendation: { containerRecommendations: [{ containerName: 'web', target: { cpu: '500m' }, lowerBound: { cpu: '400m' }, upperBound: { cpu: '600m' } }] } } }),
  };
}

const cases: { description: string; vpa: VerticalPodAutoscaler; pods: Pod[]; tolerance?: number; evict: string[]; reason?: RegExp }[] = [
  { description: 'mode Off only recommends', vpa: makeVpa({ mode: 'Off' }), pods: [makePod('a', { cpu: '1' }), makePod('b', { cpu: '1' })], evict: [], reason: /does not evict/ },
  { description: 'mode Initial only applies at creation', vpa: makeVpa({ mode: 'Initial' }), pods: [makePod('a', { cpu: '1' }), makePod('b', { cpu: '1' })], evict: [] },
  { description: 'no recommendation yet', vpa: makeVpa({ rec: false }), pods: [makePod('a', { cpu: '1' }), makePod('b', { cpu: '1' })], evict: [], reason: /no recommendation/ },
  { description: 'fewer alive pods than the default minReplicas (2)', vpa: makeVpa(), pods: [makePod('a', { cpu: '1' })], evict: [], reason: /too few replicas/ },
  { description: 'a deleting pod does not count as alive', vpa: makeVpa(), pods: [makePod('a', { cpu: '1' }), makePod('b', { cpu: '1', deleting: true })], evict: [], reason: /too few/ },
  { description: 'minReplicas 1 allows evicting the only pod', vpa: makeVpa({ minReplicas: 1 }), pods: [makePod('a', { cpu: '1' })], evict: ['a'] },
  { description: 'requests inside [lowerBound, upperBound] are left alone', vpa: makeVpa(), pods: [makePod('a', { cpu: '400m' }), makePod('b', { cpu: '600m' })], evict: [], reason: /within/ },
  { description: 'half of 4 pods at tolerance 0.5, most deviant first', vpa: makeVpa(), pods: [makePod('a', { cpu: '300m' }), makePod('b', { cpu: '2' }), makePod('c', { cpu: '100m' }), makePod('d', { cpu: '700m' })], evict: ['b', 'c'] },
  { description: 'a pending pod already uses up part of the budget', vpa: makeVpa(), pods: [makePod('a', { cpu: '1' }), makePod('b', { cpu: '1' }), makePod('c', { cpu: '1' }), makePod('d', { phase: 'Pending' })], evict: ['a'] },
  { description: 'tolerance 0 still evicts one pod at a time', vpa: makeVpa(), pods: [makePod('a', { cpu: '1' }), makePod('b', { cpu: '1' }), makePod('c', { cpu: '1' })], tolerance: 0, evict: ['a'] },
  { description: 'a missing request counts as outside the bounds', vpa: makeVpa(), pods: [makePod('a'), makePod('b', { cpu: '500m' })], evict: ['a'] },
  { description: 'a container with mode Off is never a reason to evict', vpa: makeVpa({ containerOff: true }), pods: [makePod('a', { cpu: '1' }), makePod('b', { cpu: '1' })], evict: [] },
];

for (const c of cases) {
  test(`planEvictions: ${c.description}`, () => {
    const plan = planEvictions(c.vpa, c.pods, c.tolerance);
    assert.deepEqual(plan.evict.map((p) => p.metadata.name), c.evict);
    if (c.reason) assert.match(plan.reason, c.reason);
  });
}
