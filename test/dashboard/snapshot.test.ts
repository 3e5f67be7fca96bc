import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigMap, Endpoints, Event, NodeMetrics, Service } from '../../core/api/index.js';
import {
  buildSnapshot, caView, eventViews, hpaView, nodeViews, parseHpaDecision, podRequests, routeViews, serviceViews, type SnapshotInput,
} from '../../dashboard/index.js';
import { makeDeployment, makeHpa, makeIngress, makeNode, makePod, makeService, noSeries } from './fixtures.js';

const usage = (name: string, cpu: string, memory: string): NodeMetrics => ({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name }, timestamp: '', window: '1s', usage: { cpu, memory } });

describe('nodeViews', () => {
  const cases = [
    {
      description: 'requests summed from active pods on the node; usage from metrics',
      nodes: [makeNode({ name: 'a' })],
      pods: [makePod({ name: 'p1', node: 'a', cpu: '250m', memory: '64Mi' }), makePod({ name: 'p2', node: 'a', cpu: '1', memory: '1Gi' }), makePod({ name: 'p3', node: 'b', cpu: '1' })],
      metrics: [usage('a', '300m', '100Mi')],
      want: { pods: 2, cpuReq: 1250, memReq: 64 * 2 ** 20 + 2 ** 30, cpuUse: 300, ready: true },
    },
    {
      description: 'finished pods do not count; no metrics → usage null',
      nodes: [makeNode({ name: 'a', ready: false })],
      pods: [makePod({ name: 'done', node: 'a', cpu: '1', phase: 'Succeeded' }), makePod({ name: 'bad', node: 'a', cpu: '1', phase: 'Failed' })],
      metrics: [],
      want: { pods: 0, cpuReq: 0, memReq: 0, cpuUse: null, ready: false },
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const [n] = nodeViews(c.nodes, c.pods, c.metrics);
      assert.ok(n);
      assert.equal(n.pods, c.want.pods);
      assert.equal(n.cpu.requested, c.want.cpuReq);
      assert.equal(n.memory.requested, c.want.memReq);
      assert.equal(n.cpu.usage, c.want.cpuUse);
      assert.equal(n.ready, c.want.ready);
      assert.equal(n.cpu.allocatable, 4000);
    });
  }
});

describe('podRequests', () => {
  const cases = [
    { description: 'no requests → zero', pod: makePod({ name: 'a' }), want: { cpu: 0, memory: 0 } },
    { description: 'garbage quantity → zero, not a throw', pod: makePod({ name: 'a', cpu: 'lots' }), want: { cpu: 0, memory: 0 } },
    { description: 'millicores and binary memory', pod: makePod({ name: 'a', cpu: '1500m', memory: '1Ki' }), want: { cpu: 1500, memory: 1024 } },
  ];
  for (const c of cases) it(c.description, () => assert.deepEqual(podRequests(c.pod), c.want));
});

describe('serviceViews', () => {
  const endpointsOf = (name: string, ready: number, notReady: number): Endpoints => ({
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' },
    subsets: [{ addresses: Array.from({ length: ready }, (_, i) => ({ ip: `10.0.0.${i}` })), notReadyAddresses: Array.from({ length: notReady }, (_, i) => ({ ip: `10.0.1.${i}` })) }],
  });
  const cases: { description: string; svc: Service; endpoints?: Endpoints[]; want: { type: string; ports: string; external: string[]; ready?: number } }[] = [
    { description: 'ClusterIP service', svc: makeService({ name: 's' }), want: { type: 'ClusterIP', ports: '80/TCP', external: [] as string[] } },
    { description: 'NodePort shows the node port', svc: makeService({ name: 's', type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }), want: { type: 'NodePort', ports: '80:30001/TCP', external: [] } },
    { description: 'LoadBalancer addresses', svc: makeService({ name: 's', type: 'LoadBalancer', lb: ['203.0.113.7'] }), want: { type: 'LoadBalancer', ports: '80/TCP', external: ['203.0.113.7'] } },
    { description: 'ready endpoints counted from the same-named Endpoints', svc: makeService({ name: 's' }), endpoints: [endpointsOf('s', 2, 1), endpointsOf('other', 5, 0)], want: { type: 'ClusterIP', ports: '80/TCP', external: [], ready: 2 } },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const [v] = serviceViews([c.svc], c.endpoints ?? []);
      assert.ok(v);
      assert.deepEqual({ type: v.type, ports: v.ports, external: v.external, ...(c.want.ready !== undefined ? { ready: v.endpoints } : {}) }, c.want);
    });
  }
});

describe('routeViews', () => {
  const cases = [
    {
      description: 'hosts sorted, longer paths first within a host, missing host is *',
      ingresses: [makeIngress('a', [{ host: 'b.test', path: '/', service: 'web', port: 80 }, { host: 'b.test', path: '/api', service: 'api', port: 8080 }]), makeIngress('z', [{ service: 'x', port: 1 }])],
      want: [['*', '/', 'x:1', 'default/z'], ['b.test', '/api', 'api:8080', 'default/a'], ['b.test', '/', 'web:80', 'default/a']],
    },
    { description: 'no ingresses, no routes', ingresses: [], want: [] },
  ];
  for (const c of cases) it(c.description, () => assert.deepEqual(routeViews(c.ingresses).map((r) => [r.host, r.path, r.backend, r.ingress]), c.want));
});

describe('hpaView', () => {
  const decision = JSON.stringify({ time: '2026-01-01T00:00:00.000Z', replicas: 4, currentReplicas: 2, explanation: 'cpu 90% of target 50% → 4' });
  const cases = [
    { description: 'metric current/target and the last decision', hpa: makeHpa({ name: 'h', current: 90, annotation: decision }), want: { metric: 'cpu 90% / 50%', explanation: 'cpu 90% of target 50% → 4' } },
    { description: 'no status metric yet → unknown; bad annotation → no decision', hpa: makeHpa({ name: 'h', annotation: '{not json' }), want: { metric: 'cpu <unknown> / 50%', explanation: undefined } },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const v = hpaView(c.hpa);
      const m = v.metrics[0];
      assert.ok(m);
      assert.equal(`${m.name} ${m.current} / ${m.target}`, c.want.metric);
      assert.equal(v.decision?.explanation, c.want.explanation);
      assert.equal(v.target, 'Deployment/h');
    });
  }
  it('parseHpaDecision reads numbers and rejects non-objects', () => {
    assert.equal(parseHpaDecision('{"time":"t","replicas":"3","currentReplicas":2,"explanation":"x"}')?.replicas, 3);
    assert.equal(parseHpaDecision('"text"'), null);
    assert.equal(parseHpaDecision(undefined), null);
  });
});

describe('caView and eventViews', () => {
  it('reads status text and the decision log, skipping junk entries', () => {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-autoscaler-status', namespace: 'kube-system' }, data: { status: 'Health: Healthy', 'decisions.json': JSON.stringify([{ time: 't1', kind: 'scale-up', explanation: 'up' }, 7, { time: 't2', kind: 'scale-down', explanation: 'down' }]) } };
    const v = caView(cm);
    assert.equal(v.status, 'Health: Healthy');
    assert.deepEqual(v.decisions.map((d) => d.explanation), ['up', 'down']);
    assert.deepEqual(caView({ ...cm, data: { 'decisions.json': 'nope' } }).decisions, []);
  });
  it('keeps the newest events, oldest first', () => {
    const ev = (name: string, at: string): Event => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: 'p' }, reason: name, lastTimestamp: at });
    const got = eventViews([ev('c', '2026-01-01T00:00:03Z'), ev('a', '2026-01-01T00:00:01Z'), ev('b', '2026-01-01T00:00:02Z')], 2);
    assert.deepEqual(got.map((e) => e.reason), ['b', 'c']);
  });
});

describe('buildSnapshot', () => {
  const input = (over: Partial<SnapshotInput> = {}): SnapshotInput => ({
    now: Date.UTC(2026, 0, 1), nodes: [makeNode({ name: 'n2' }), makeNode({ name: 'n1' })], pods: [makePod({ name: 'b', node: 'n2' }), makePod({ name: 'a', node: 'n1' }), makePod({ name: 'pending', phase: 'Pending' })],
    services: [], endpoints: [], ingresses: [], deployments: [makeDeployment('web', 3, 2)], hpas: [], vpas: [], nodeGroups: undefined, events: [], caStatus: undefined, nodeMetrics: [], series: noSeries, ...over,
  });
  const cases = [
    { description: 'nodes sorted by name; pods grouped by node (unscheduled first)', over: {}, check: (s: ReturnType<typeof buildSnapshot>) => {
      assert.deepEqual(s.nodes.map((n) => n.name), ['n1', 'n2']);
      assert.deepEqual(s.pods.map((p) => `${p.node}/${p.name}`), ['/pending', 'n1/a', 'n2/b']);
      assert.equal(s.nodeGroups, null);
      assert.equal(s.clusterAutoscaler, null);
    } },
    { description: 'deployments ready/desired; node groups when served', over: { nodeGroups: [] }, check: (s: ReturnType<typeof buildSnapshot>) => {
      assert.deepEqual(s.deployments.map((d) => [d.name, d.ready, d.desired]), [['web', 2, 3]]);
      assert.deepEqual(s.nodeGroups, []);
      assert.equal(s.generatedAt, '2026-01-01T00:00:00.000Z');
    } },
  ];
  for (const c of cases) it(c.description, () => c.check(buildSnapshot(input(c.over))));
});
