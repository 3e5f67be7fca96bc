import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vpaAdmit } from '../../../autoscaler/index.js';
import type { Pod, VerticalPodAutoscaler } from '../../../core/api/index.js';

type Mode = 'Off' | 'Initial' | 'Recreate' | 'Auto';

function makePod(o: { owner?: { kind: string; name: string }; hash?: string; ns?: string; requests?: Record<string, string>; limits?: Record<string, string>; labels?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: 'web-abc-1', namespace: o.ns ?? 'default',
      labels: { ...(o.hash ? { 'pod-template-hash': o.hash } : {}), ...o.labels },
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner.kind, name: o.owner.name, uid: 'u', controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'web', resources: { ...(o.requests ? { requests: o.requests } : {}), ...(o.limits ? { limits: o.limits } : {}) } }, { name: 'side' }] },
  };
}

function makeVpa(o: { name?: string; mode?: Mode; kind?: string; target?: string; rec?: Record<string, string>; requestsOnly?: boolean; off?: boolean } = {}): VerticalPodAutoscaler {
  return {
    apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: o.name ?? 'v', namespace: 'default' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: o.kind ?? 'Deployment', name: o.target ?? 'web' },
      ...(o.mode ? { updatePolicy: { updateMode: o.mode } } : {}),
      ...(o.requestsOnly || o.off ? { resourcePolicy: { containerPolicies: [{ containerName: 'web', ...(o.requestsOnly ? { controlledValues: 'RequestsOnly' as const } : {}), ...(o.off ? { mode: 'Off' as const } : {}) }] } } : {}),
    },
    status: { recommendation: { containerRecommendations: [{ containerName: 'web', target: o.rec ?? { cpu: '250m', memory: '256Mi' } }] } },
  };
}

const deployPod = { owner: { kind: 'ReplicaSet', name: 'web-7d9f' }, hash: '7d9f' };

const cases: {
  description: string; pod: Pod; vpas: VerticalPodAutoscaler[]; opts?: Parameters<typeof vpaAdmit>[2];
  want?: { requests?: Record<string, string>; limits?: Record<string, string>; annotation?: RegExp };
}[] = [
  { description: 'mode Auto sets the recommended requests on a Deployment pod', pod: makePod({ ...deployPod, requests: { cpu: '100m', memory: '128Mi' } }), vpas: [makeVpa()], want: { requests: { cpu: '250m', memory: '256Mi' }, annotation: /Pod resources updated by v: container 0: cpu request, memory request/ } },
  { description: 'mode Initial applies too', pod: makePod(deployPod), vpas: [makeVpa({ mode: 'Initial' })], want: { requests: { cpu: '250m', memory: '256Mi' } } },
  { description: 'mode Recreate applies too', pod: makePod(deployPod), vpas: [makeVpa({ mode: 'Recreate' })], want: { requests: { cpu: '250m', memory: '256Mi' } } },
  { description: 'mode Off only recommends', pod: makePod(deployPod), vpas: [makeVpa({ mode: 'Off' })] },
  { description: 'a pod of another Deployment is untouched', pod: makePod({ owner: { kind: 'ReplicaSet', name: 'api-7d9f' }, hash: '7d9f' }), vpas: [makeVpa()] },
  { description: 'a pod in another namespace is untouched', pod: makePod({ ...deployPod, ns: 'other' }), vpas: [makeVpa()] },
  { description: 'a pod without owner is untouched', pod: makePod(), vpas: [makeVpa()] },
  { description: 'a direct controller owner (StatefulSet) matches', pod: makePod({ owner: { kind: 'StatefulSet', name: 'db' } }), vpas: [makeVpa({ kind: 'StatefulSet', target: 'db' })], want: { requests: { cpu: '250m', memory: '256Mi' } } },
  { description: 'a selector from the caller matches by labels', pod: makePod({ labels: { app: 'x' } }), vpas: [makeVpa({ kind: 'Thing', target: 'x' })], opts: { selectorOf: () => 'app=x' }, want: { requests: { cpu: '250m', memory: '256Mi' } } },
  { description: 'limits scale in proportion to requests', pod: makePod({ ...deployPod, requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } }), vpas: [makeVpa()], want: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  { description: 'RequestsOnly leaves limits alone', pod: makePod({ ...deployPod, requests: { cpu: '100m' }, limits: { cpu: '200m' } }), vpas: [makeVpa({ requestsOnly: true, rec: { cpu: '250m' } })], want: { requests: { cpu: '250m' }, limits: { cpu: '200m' } } },
  { description: 'requests already at the recommendation: no change', pod: makePod({ ...deployPod, requests: { cpu: '0.25', memory: '256Mi' } }), vpas: [makeVpa()] },
  { description: 'a container policy mode Off is skipped', pod: makePod(deployPod), vpas: [makeVpa({ off: true })] },
  { description: 'of two matching VPAs the first by name wins', pod: makePod(deployPod), vpas: [makeVpa({ name: 'z', rec: { cpu: '9' } }), makeVpa({ name: 'a', rec: { cpu: '1' } })], want: { requests: { cpu: '1' }, annotation: /updated by a:/ } },
];

for (const c of cases) {
  test(`vpaAdmit: ${c.description}`, () => {
    const before = JSON.stringify(c.pod);
    const out = vpaAdmit(c.pod, c.vpas, c.opts);
    assert.equal(JSON.stringify(c.pod), before, 'input not mutated');
    if (!c.want) {
      assert.equal(out, undefined);
      return;
    }
    const web = out?.spec.containers.find((x) => x.name === 'web');
    assert.deepEqual(web?.resources?.requests, c.want.requests);
    if (c.want.limits) assert.deepEqual(web?.resources?.limits, c.want.limits);
    assert.deepEqual(out?.spec.containers.find((x) => x.name === 'side'), { name: 'side' });
    if (c.want.annotation) assert.match(out?.metadata.annotations?.vpaUpdates ?? '', c.want.annotation);
  });
}
