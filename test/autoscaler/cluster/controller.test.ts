import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterAutoscaler } from '../../../autoscaler/index.js';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import type { NodeGroups, NodeTemplate } from '../../../core/cloud/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { createFakeProvider } from '../../../providers/fake/index.js';
import type { NodeLauncher } from '../../../providers/fake/index.js';
import { createNamespace, startServer, token, type Harness } from '../../core/apiserver/harness.js';

const NS = 'default';

async function ok(h: Harness, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await h.req(method, path, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

/** A NodeLauncher double: "boots" a node by creating a Ready Node object, "stops" it by deleting it. */
function apiLauncher(h: Harness): NodeLauncher & { launched: string[]; stopped: string[] } {
  const launched: string[] = [];
  const stopped: string[] = [];
  return {
    launched, stopped,
    async launch(name: string, t: NodeTemplate): Promise<void> {
      const node = await ok(h, 'POST', '/api/v1/nodes', {
        apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { ...t.labels, 'kubernetes.io/hostname': name } }, spec: { providerID: `fake://${name}`, taints: t.taints },
      });
      const status = { capacity: t.capacity, allocatable: t.capacity, conditions: [{ type: 'Ready', status: 'True' }] };
      await ok(h, 'PUT', `/api/v1/nodes/${name}/status`, { ...node, status });
      launched.push(name);
    },
    async stop(name: string): Promise<void> {
      await h.req('DELETE', `/api/v1/nodes/${name}`);
      stopped.push(name);
    },
  };
}

async function pendingPod(h: Harness, name: string): Promise<void> {
  const pod = await ok(h, 'POST', `/api/v1/namespaces/${NS}/pods`, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-web', controller: true }] },
    spec: { containers: [{ name: 'web', image: 'echo', resources: { requests: { cpu: '600m' } } }] },
  });
  const status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/0 nodes are available' }] };
  await ok(h, 'PUT', `/api/v1/namespaces/${NS}/pods/${name}/status`, { ...pod, status });
}

async function bind(h: Harness, pod: string, node: string): Promise<void> {
  await ok(h, 'POST', `/api/v1/namespaces/${NS}/pods/${pod}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod }, target: { kind: 'Node', name: node } });
}

/** The node agent's part of graceful deletion: pods marked for deletion (evicted) are removed with grace 0. */
async function finishTerminating(h: Harness): Promise<void> {
  const pods = ((await h.req('GET', `/api/v1/namespaces/${NS}/pods`)).body as { items: { metadata: { name: string; deletionTimestamp?: string } }[] }).items;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) await h.req('DELETE', `/api/v1/namespaces/${NS}/pods/${p.metadata.name}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
  }
}

/** Steps the fake clock one scan at a time (with real-time pauses for I/O) until `check` holds. */
async function until<T>(clock: FakeClock, what: string, check: () => Promise<T | undefined | false>, scans = 200): Promise<T> {
  for (let i = 0; i < scans; i++) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    await clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function nodeGroupsOf(p: { nodeGroups?: NodeGroups }): NodeGroups {
  assert.ok(p.nodeGroups, 'the fake provider has node groups');
  return p.nodeGroups;
}

interface EventLike { reason: string; message: string; involvedObject: { kind: string; name: string } }

async function events(h: Harness, ns: string): Promise<EventLike[]> {
  return ((await h.req('GET', `/api/v1/namespaces/${ns}/events`)).body as { items: EventLike[] }).items;
}

test('the cluster autoscaler grows a group for pending pods and drains and deletes an under-used node', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'cluster-autoscaler', clock, log: silentLogger });
  const launcher = apiLauncher(h);
  const provider = createFakeProvider({
    cloudConfig: { nodeGroups: [{ name: 'fake-a', min: 0, max: 3, template: { cpu: '2', memory: '4Gi' } }] }, clusterName: 'test', dataDir: h.dir, log: silentLogger, clock,
  }, { launcher });
  try {
    await createNamespace(h, NS);
    await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
    for (const p of ['web-0', 'web-1', 'web-2', 'web-3']) await pendingPod(h, p);
    const started = startClusterAutoscaler({
      client, informers, recorder, provider, clock, log: silentLogger, signal: stop.signal,
      options: { scanIntervalMs: 10_000, scaleDownUnneededTimeMs: 60_000, scaleDownDelayAfterAddMs: 60_000 },
    });

    // 4 pods × 600m need two 2-CPU nodes (3 fit one): one increase of 2, then no more while they boot.
    await until(clock, 'two nodes launched', async () => launcher.launched.length === 2);
    const groups = await nodeGroupsOf(provider).list(AbortSignal.timeout(5_000));
    assert.equal(groups[0]?.targetSize, 2);
    const increases = provider.cloud.calls().filter((c) => c.op === 'increaseNodeGroup');
    assert.equal(increases.length, 1, 'one increase');
    const triggered = await until(clock, 'TriggeredScaleUp event', async () => (await events(h, NS)).find((e) => e.reason === 'TriggeredScaleUp' && e.involvedObject.name === 'web-0'));
    assert.equal(triggered.message, 'pod triggered scale-up: [{fake-a 0->2 (max: 3)}]');

    // The "scheduler": three pods on the first node, one on the second; then web-0 goes away.
    const [n1, n2] = [...launcher.launched].sort();
    assert.ok(n1 && n2);
    for (const p of ['web-0', 'web-1', 'web-2']) await bind(h, p, n1);
    await bind(h, 'web-3', n2);
    await ok(h, 'DELETE', `/api/v1/namespaces/${NS}/pods/web-0`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });

    // n2 (30 %) is unneeded: its pod fits n1 (60 %). After the delays it is cordoned, tainted, drained and deleted.
    await until(clock, `${n2} deleted`, async () => {
      await finishTerminating(h);
      return launcher.stopped.includes(n2);
    });
    assert.equal((await h.req('GET', `/api/v1/namespaces/${NS}/pods/web-3`)).status, 404, 'web-3 evicted');
    assert.equal((await h.req('GET', `/api/v1/namespaces/${NS}/pods/web-1`)).status, 200, 'pods of the kept node stay');
    assert.deepEqual(launcher.stopped, [n2]);
    assert.equal((await nodeGroupsOf(provider).list(AbortSignal.timeout(5_000)))[0]?.targetSize, 1);
    assert.ok(provider.cloud.calls().some((c) => c.op === 'deleteNodeGroupNodes'));
    await recorder.flush();
    const nodeEvents = (await events(h, NS)).concat(await events(h, 'kube-system')).filter((e) => e.involvedObject.kind === 'Node' && e.reason === 'ScaleDown');
    assert.ok(nodeEvents.some((e) => e.message === 'marked the node as toBeDeleted/unschedulable'), JSON.stringify(nodeEvents));

    const cm = (await ok(h, 'GET', '/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status')) as { data: Record<string, string> };
    assert.match(cm.data.status ?? '', /^Cluster-autoscaler status at .*:\nCluster-wide:\n {2}Health: {6}Healthy/);
    assert.match(cm.data.status ?? '', /Name: {8}fake-a/);
    const log = JSON.parse(cm.data['decisions.json'] ?? '[]') as { kind: string; explanation: string }[];
    assert.ok(log.some((d) => d.kind === 'scale-up' && /fit 2 new nodes of group fake-a .* → group fake-a 0 → 2/.test(d.explanation)), JSON.stringify(log));
    assert.ok(log.some((d) => d.kind === 'scale-down' && d.explanation.includes(`node ${n2} (group fake-a)`)), JSON.stringify(log));
    stop.abort();
    await started.done;
  } finally {
    stop.abort();
    await provider.close();
    client.close();
    await h.close();
  }
});

test('a node that fails to launch lowers the target size, backs the group off and explains it on the pod', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'cluster-autoscaler', clock, log: silentLogger });
  const failing: NodeLauncher = { launch: () => Promise.reject(new Error('no capacity in zone')), stop: () => Promise.resolve() };
  const provider = createFakeProvider({
    cloudConfig: { nodeGroups: [{ name: 'fake-a', min: 0, max: 3, template: { cpu: '2', memory: '4Gi' } }] }, clusterName: 'test', dataDir: h.dir, log: silentLogger, clock,
  }, { launcher: failing });
  try {
    await createNamespace(h, NS);
    await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
    await pendingPod(h, 'web-0');
    const started = startClusterAutoscaler({ client, informers, recorder, provider, clock, log: silentLogger, signal: stop.signal, options: { scanIntervalMs: 10_000 } });
    await until(clock, 'target size lowered', async () => provider.cloud.calls().some((c) => c.op === 'decreaseNodeGroupTargetSize'));
    assert.equal((await nodeGroupsOf(provider).list(AbortSignal.timeout(5_000)))[0]?.targetSize, 0);
    const ev = await until(clock, 'NotTriggerScaleUp event', async () => (await events(h, NS)).find((e) => e.reason === 'NotTriggerScaleUp'));
    assert.equal(ev.message, "pod didn't trigger scale-up: 1 in backoff after failed scale-up");
    const cm = (await ok(h, 'GET', '/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status')) as { data: Record<string, string> };
    assert.match(cm.data.status ?? '', /Name: {8}fake-a\n.*\n.*\n.*\n {2}ScaleUp: {5}Backoff/);
    assert.match(cm.data['decisions.json'] ?? '', /instance fake-a-\w+ failed: Other LaunchFailed: no capacity in zone/);
    // After the 5-minute back-off the group is tried again.
    await until(clock, 'a second increase', async () => provider.cloud.calls().filter((c) => c.op === 'increaseNodeGroup').length >= 2);
    stop.abort();
    await started.done;
  } finally {
    stop.abort();
    await provider.close();
    client.close();
    await h.close();
  }
});

test('a drain whose pods never go is given up after maxPodEvictionTime: the node is uncordoned and untainted', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'cluster-autoscaler', clock, log: silentLogger });
  const launcher = apiLauncher(h);
  const provider = createFakeProvider({
    cloudConfig: { nodeGroups: [{ name: 'fake-a', min: 0, max: 3, template: { cpu: '2', memory: '4Gi' } }] }, clusterName: 'test', dataDir: h.dir, log: silentLogger, clock,
  }, { launcher });
  try {
    await createNamespace(h, NS);
    await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
    for (const p of ['web-0', 'web-1', 'web-2', 'web-3']) await pendingPod(h, p);
    const started = startClusterAutoscaler({
      client, informers, recorder, provider, clock, log: silentLogger, signal: stop.signal,
      options: { scanIntervalMs: 10_000, scaleDownUnneededTimeMs: 60_000, scaleDownDelayAfterAddMs: 60_000, maxPodEvictionTimeMs: 120_000 },
    });
    await until(clock, 'two nodes launched', async () => launcher.launched.length === 2);
    const [n1, n2] = [...launcher.launched].sort();
    assert.ok(n1 && n2);
    for (const p of ['web-0', 'web-1', 'web-2']) await bind(h, p, n1);
    await bind(h, 'web-3', n2);
    await ok(h, 'DELETE', `/api/v1/namespaces/${NS}/pods/web-0`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });

    type NodeLike = { spec?: { unschedulable?: boolean; taints?: { key: string }[] } };
    const nodeOf = async (): Promise<NodeLike> => (await h.req('GET', `/api/v1/nodes/${n2}`)).body as NodeLike;
    const marked = await until(clock, `${n2} marked`, async () => {
      const n = await nodeOf();
      return n.spec?.taints?.some((t) => t.key === 'ToBeDeletedByClusterAutoscaler') ? n : undefined;
    });
    assert.equal(marked.spec?.unschedulable, true);
    // No node agent finishes the evicted pod: it stays terminating, and the drain is given up.
    await until(clock, `${n2} unmarked`, async () => {
      const n = await nodeOf();
      return n.spec?.unschedulable === false && !(n.spec.taints ?? []).some((t) => t.key === 'ToBeDeletedByClusterAutoscaler');
    });
    assert.deepEqual(launcher.stopped, []);
    assert.ok(!provider.cloud.calls().some((c) => c.op === 'deleteNodeGroupNodes'));
    const failed = await until(clock, 'ScaleDownFailed event', async () => (await events(h, NS)).find((e) => e.reason === 'ScaleDownFailed'));
    assert.match(failed.message, /^failed to drain the node: 1 pods remain after 120s$/);
    stop.abort();
    await started.done;
  } finally {
    stop.abort();
    await provider.close();
    client.close();
    await h.close();
  }
});

test('a node whose pods a disruption budget protects is left, with the reason in the decision log, until the budget allows it', async () => {
  const h = await startServer();
  const clock = new FakeClock();
  const stop = new AbortController();
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'cluster-autoscaler', clock, log: silentLogger });
  const launcher = apiLauncher(h);
  const provider = createFakeProvider({
    cloudConfig: { nodeGroups: [{ name: 'fake-a', min: 0, max: 3, template: { cpu: '2', memory: '4Gi' } }] }, clusterName: 'test', dataDir: h.dir, log: silentLogger, clock,
  }, { launcher });
  try {
    await createNamespace(h, NS);
    await h.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
    for (const p of ['web-0', 'web-1', 'web-2', 'web-3']) await pendingPod(h, p);
    // The disruption controller is not running here: the budget's status says no disruption is allowed.
    const pdb = await ok(h, 'POST', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } } });
    const setAllowed = async (n: number): Promise<void> => {
      const cur = await ok(h, 'GET', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/web`);
      await ok(h, 'PUT', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/web/status`, { ...cur, status: { observedGeneration: (pdb.metadata as { generation: number }).generation, disruptionsAllowed: n, currentHealthy: 3 + n, desiredHealthy: 3, expectedPods: 3 + n } });
    };
    await setAllowed(0);
    const started = startClusterAutoscaler({
      client, informers, recorder, provider, clock, log: silentLogger, signal: stop.signal,
      options: { scanIntervalMs: 10_000, scaleDownUnneededTimeMs: 60_000, scaleDownDelayAfterAddMs: 60_000 },
    });
    await until(clock, 'two nodes launched', async () => launcher.launched.length === 2);
    const [n1, n2] = [...launcher.launched].sort();
    assert.ok(n1 && n2);
    for (const p of ['web-0', 'web-1', 'web-2']) await bind(h, p, n1);
    await bind(h, 'web-3', n2);
    await ok(h, 'DELETE', `/api/v1/namespaces/${NS}/pods/web-0`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
    for (const p of ['web-1', 'web-2', 'web-3']) {
      const cur = await ok(h, 'GET', `/api/v1/namespaces/${NS}/pods/${p}`);
      await ok(h, 'PUT', `/api/v1/namespaces/${NS}/pods/${p}/status`, { ...cur, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    }

    const decisions = async (): Promise<{ kind: string; explanation: string }[]> => {
      const cm = await h.req('GET', '/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status');
      return cm.status === 200 ? JSON.parse((cm.body as { data: Record<string, string> }).data['decisions.json'] ?? '[]') as { kind: string; explanation: string }[] : [];
    };
    const kept = `node ${n2} kept: not enough pod disruption budget to move ${NS}/web-3`;
    await until(clock, 'the budget reason logged', async () => (await decisions()).some((d) => d.explanation === kept));
    // Well past the unneeded time and the delays: the node stays, nothing is evicted.
    for (let i = 0; i < 20; i++) {
      await clock.advance(10_000);
      await new Promise((r) => setTimeout(r, 30));
    }
    assert.deepEqual(launcher.stopped, []);
    const node = (await ok(h, 'GET', `/api/v1/nodes/${n2}`)) as { spec?: { unschedulable?: boolean } };
    assert.notEqual(node.spec?.unschedulable, true, 'never cordoned');
    assert.equal((await ok(h, 'GET', `/api/v1/namespaces/${NS}/pods/web-3`) as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp, undefined);
    assert.equal((await decisions()).filter((d) => d.explanation === kept).length, 1, 'logged once');

    // Once the budget allows a disruption, the node is drained (through the eviction) and removed.
    await setAllowed(1);
    await until(clock, `${n2} deleted`, async () => {
      await finishTerminating(h);
      return launcher.stopped.includes(n2);
    });
    assert.equal((await h.req('GET', `/api/v1/namespaces/${NS}/pods/web-3`)).status, 404, 'web-3 evicted');
    const spent = await ok(h, 'GET', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/web`) as { status: { disruptionsAllowed: number; disruptedPods?: Record<string, string> } };
    assert.equal(spent.status.disruptionsAllowed, 0, 'the eviction spent the budget');
    assert.ok(spent.status.disruptedPods?.['web-3']);
    stop.abort();
    await started.done;
  } finally {
    stop.abort();
    await provider.close();
    client.close();
    await h.close();
  }
});
