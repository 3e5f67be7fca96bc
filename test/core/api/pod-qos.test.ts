/** podQOSClass: Kubernetes' ComputePodQOS cases (pkg/apis/core/helper/qos). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podQOSClass } from '../../../core/api/index.js';
import type { Container, Pod, QOSClass } from '../../../core/api/index.js';

function res(requests?: Record<string, string>, limits?: Record<string, string>): Container {
  return { name: 'c', image: 'app', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } };
}
const pod = (containers: Container[], initContainers?: Container[]): Pick<Pod, 'spec'> => ({ spec: { containers, ...(initContainers ? { initContainers } : {}) } });
const cm = (cpu: string, memory: string): Record<string, string> => ({ cpu, memory });

const cases: { name: string; pod: Pick<Pod, 'spec'>; want: QOSClass }[] = [
  { name: 'no resources at all', pod: pod([res()]), want: 'BestEffort' },
  { name: 'zero requests count as none', pod: pod([res({ cpu: '0', memory: '0' })]), want: 'BestEffort' },
  { name: 'only non-compute resources', pod: pod([res({ 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '1' })]), want: 'BestEffort' },
  { name: 'requests equal limits for cpu and memory', pod: pod([res(cm('100m', '64Mi'), cm('100m', '64Mi'))]), want: 'Guaranteed' },
  { name: 'equal by value, not by spelling', pod: pod([res(cm('0.5', '1Gi'), cm('500m', '1024Mi'))]), want: 'Guaranteed' },
  { name: 'limits without requests (before defaulting copies them) count unequal', pod: pod([res(undefined, cm('1', '1Gi'))]), want: 'Burstable' },
  { name: 'cpu limit missing', pod: pod([res(cm('100m', '64Mi'), { memory: '64Mi' })]), want: 'Burstable' },
  { name: 'request below limit', pod: pod([res(cm('100m', '64Mi'), cm('200m', '64Mi'))]), want: 'Burstable' },
  { name: 'one container best-effort, the other guaranteed', pod: pod([res(cm('1', '1Gi'), cm('1', '1Gi')), res()]), want: 'Burstable' },
  { name: 'only a request', pod: pod([res({ cpu: '100m' })]), want: 'Burstable' },
  { name: 'an init container with resources makes a best-effort pod burstable', pod: pod([res()], [res({ memory: '10Mi' })]), want: 'Burstable' },
  { name: 'init and app containers all guaranteed', pod: pod([res(cm('1', '1Gi'), cm('1', '1Gi'))], [res(cm('2', '2Gi'), cm('2', '2Gi'))]), want: 'Guaranteed' },
  { name: 'extended resources beside guaranteed cpu/memory are ignored', pod: pod([res({ ...cm('1', '1Gi'), 'nvidia.com/gpu': '1' }, { ...cm('1', '1Gi'), 'nvidia.com/gpu': '1' })]), want: 'Guaranteed' },
];

for (const c of cases) {
  test(`podQOSClass: ${c.name} → ${c.want}`, () => {
    assert.equal(podQOSClass(c.pod), c.want);
  });
}
