import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricsSources, PodUsage } from '../../../autoscaler/metrics/index.js';
import { gatherSamples } from '../../../autoscaler/index.js';
import type { HpaMetricSamples } from '../../../autoscaler/index.js';
import type { HorizontalPodAutoscaler, MetricSpec, Pod } from '../../../core/api/index.js';

const T = Date.UTC(2026, 0, 1);

function hpa(metrics?: MetricSpec[]): HorizontalPodAutoscaler {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'ns' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...(metrics ? { metrics } : {}) } };
}

const pods: Pod[] = ['a', 'b'].map((name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: { containers: [] } }));

const usage = (name: string): [string, PodUsage] => [name, { containers: { web: { cpuMilli: 200, memoryBytes: 1000 }, side: { cpuMilli: 50, memoryBytes: 24 } }, timestamp: T, windowSeconds: 15 }];

function sources(calls: string[], o: { failResource?: boolean; emptyPods?: boolean } = {}): MetricsSources {
  return {
    resource: {
      podUsage: (ns, sel) => {
        calls.push(`resource ${ns} ${sel}`);
        return o.failResource ? Promise.reject(new Error('metrics API down')) : Promise.resolve(new Map([usage('a'), usage('b'), usage('stranger')]));
      },
    },
    pods: {
      podsMetric: (ns, names, m) => {
        calls.push(`pods ${ns} ${names.join(',')} ${m.name}`);
        return o.emptyPods ? new Map() : new Map([['a', { value: 2.5, timestamp: T }], ['b', { value: 0.25, timestamp: T + 1000 }]]);
      },
    },
    external: {
      external: (ns, m) => {
        calls.push(`external ${ns} ${m.name}`);
        return Promise.resolve([1.5, 2]);
      },
      object: (ns, ref, m) => {
        calls.push(`object ${ns} ${ref.kind}/${ref.name} ${m.name}`);
        return Promise.resolve(0.75);
      },
    },
  };
}

const cpu: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Ki' } } };
const podsMetric: MetricSpec = { type: 'Pods', pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '1' } } };
const objectMetric: MetricSpec = { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'hits' }, target: { type: 'Value', value: '1' } } };
const externalMetric: MetricSpec = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '1' } } };

const byPod = (cpuOrMem: 'cpu' | 'memory'): Record<string, unknown> => Object.fromEntries(['a', 'b'].map((p) => [p, {
  containers: cpuOrMem === 'cpu' ? { web: 200, side: 50 } : { web: 1_000_000, side: 24_000 }, timestamp: T, windowSeconds: 15,
}]));

const cases: { description: string; metrics?: MetricSpec[]; opts?: Parameters<typeof sources>[1]; want: HpaMetricSamples[]; calls: string[] }[] = [
  { description: 'no metrics means CPU; pods outside the list are dropped', want: [{ type: 'Resource', pods: byPod('cpu') } as HpaMetricSamples], calls: ['resource ns app=web'] },
  { description: 'CPU and memory share one resource fetch; memory in milli-bytes', metrics: [cpu, memory], want: [{ type: 'Resource', pods: byPod('cpu') }, { type: 'Resource', pods: byPod('memory') }] as HpaMetricSamples[], calls: ['resource ns app=web'] },
  { description: 'a resource failure is an Error entry', metrics: [cpu], opts: { failResource: true }, want: [{ type: 'Error', message: 'metrics API down' }], calls: ['resource ns app=web'] },
  { description: 'Pods values become milli-units, newest timestamp', metrics: [podsMetric], want: [{ type: 'Pods', pods: { a: 2500, b: 250 }, timestamp: T + 1000 }], calls: ['pods ns a,b http_requests'] },
  { description: 'Pods metric with no values is an Error', metrics: [podsMetric], opts: { emptyPods: true }, want: [{ type: 'Error', message: 'no metrics returned for http_requests from custom metrics API' }], calls: ['pods ns a,b http_requests'] },
  { description: 'Object and External in spec order', metrics: [externalMetric, objectMetric], want: [{ type: 'External', values: [1500, 2000] }, { type: 'Object', value: 750 }], calls: ['external ns queue', 'object ns Ingress/main hits'] },
  { description: 'an unsupported resource', metrics: [{ type: 'Resource', resource: { name: 'gpu', target: { type: 'AverageValue', averageValue: '1' } } }], want: [{ type: 'Error', message: 'resource gpu is not served by the resource metrics API' }], calls: [] },
];

for (const c of cases) {
  test(`gatherSamples: ${c.description}`, async () => {
    const calls: string[] = [];
    const got = await gatherSamples({ hpa: hpa(c.metrics), namespace: 'ns', selector: 'app=web', pods, sources: sources(calls, c.opts), signal: new AbortController().signal });
    assert.deepEqual(got, c.want);
    assert.deepEqual(calls, c.calls);
  });
}

test('gatherSamples: a missing source is reported per metric', async () => {
  const got = await gatherSamples({ hpa: hpa([cpu, podsMetric, externalMetric]), namespace: 'ns', selector: 'app=web', pods, sources: {}, signal: new AbortController().signal });
  assert.deepEqual(got.map((g) => (g.type === 'Error' ? g.message : g.type)), ['no resource metrics source is configured', 'no pods metrics source is configured', 'no external metrics source is configured']);
});
