/**
 * The DaemonSet controller with the real scheduler and the real kubectl: the docs' fluentd example,
 * nodes joining and leaving, a tainted node, rollout status/history/undo/restart, and a maxSurge
 * rolling update watched pod by pod (no node is ever without a ready daemon pod).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ControllerRevision, DaemonSet, Node, Pod, Taint } from '../../../../core/api/index.js';
import { DaemonSetController, daemonSetsTarget, targetNodeName } from '../../../../core/controllers/workloads/index.js';
import { createScheduler } from '../../../../core/scheduler/index.js';
import { rfc3339, silentLogger } from '../../../../core/util/index.js';
import { repoRoot } from '../../../support/skiff.js';
import { kubectlFor } from '../../client/kubectl.js';
import { eventually, nodes as nodesRef, pods as podsRef, startEnv } from './harness.js';
import type { Env } from './harness.js';

const example = join(repoRoot, 'test/e2e/fixtures/k8s-docs/daemonset.yaml');
const revisionsRef = { apiVersion: 'apps/v1', plural: 'controllerrevisions', namespaced: true };

async function addNode(env: Env, name: string, taints?: Taint[]): Promise<void> {
  const alloc = { cpu: '4', memory: '8Gi', pods: '110' };
  const n = await env.client.create<Node>(nodesRef, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { ...(taints ? { taints } : {}) } });
  await env.client.updateStatus<Node>(nodesRef, { ...n, status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] } });
}

/** Plays the node agents: a bound pod becomes Running and Ready `delayMs` after it was bound (as seen here); a deleted one goes at once. */
function kubelet(env: Env, signal: AbortSignal, delayMs = 0): Promise<void> {
  const boundAt = new Map<string, number>();
  return (async () => {
    while (!signal.aborted) {
      const all = (await env.client.list<Pod>(podsRef).catch(() => ({ items: [] as Pod[] }))).items;
      for (const p of all) {
        const key = p.metadata.uid ?? '';
        if (p.spec.nodeName && p.metadata.deletionTimestamp) {
          // The containers stopped: the agent confirms the deletion.
          await env.client.delete(podsRef, p.metadata.namespace, p.metadata.name ?? '', { gracePeriodSeconds: 0 }).catch(() => undefined);
          continue;
        }
        if (!p.spec.nodeName || p.metadata.deletionTimestamp || p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
        if (!boundAt.has(key)) boundAt.set(key, Date.now());
        if (Date.now() - (boundAt.get(key) ?? 0) < delayMs) continue;
        const status: Pod['status'] = { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now()) }] };
        await env.client.updateStatus<Pod>(podsRef, { ...p, status }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
}

async function startDaemonSets(env: Env, t: { after(fn: () => Promise<unknown> | void): void }, kubeletDelayMs = 0): Promise<void> {
  const opts = { client: env.client, informers: env.informers, recorder: env.recorder, clock: env.clock, log: silentLogger };
  const runs = [new DaemonSetController(opts).start(env.signal), createScheduler({ ...opts, recorder: env.recorder }).start(env.signal)];
  t.after(() => Promise.all(runs));
  const stop = new AbortController();
  const run = kubelet(env, stop.signal, kubeletDelayMs);
  t.after(async () => {
    stop.abort();
    await run;
  });
}

const daemonPods = async (env: Env, ns: string, selector: string): Promise<Pod[]> =>
  (await env.client.list<Pod>(podsRef, { namespace: ns, labelSelector: selector })).items.filter((p) => !p.metadata.deletionTimestamp);

test('the docs DaemonSet example: one pod per matching node, none on a tainted node, nodes joining and leaving, kubectl rollout', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  await env.client.create({ apiVersion: 'v1', plural: 'namespaces', namespaced: false }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  await addNode(env, 'a');
  await addNode(env, 'b');
  await addNode(env, 'tainted', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
  await startDaemonSets(env, t);
  const kubectl = await kubectlFor(env.server);
  const ns = ['-n', 'kube-system'];

  const applied = await kubectl('apply', '-f', example);
  assert.equal(applied.code, 0, applied.err);
  assert.match(applied.out, /daemonset.apps\/fluentd-elasticsearch created/);
  const onNodes = async (want: string[]): Promise<Pod[]> => eventually(async () => {
    const ps = await daemonPods(env, 'kube-system', 'name=fluentd-elasticsearch');
    const bound = ps.map((p) => p.spec.nodeName ?? '').sort();
    return JSON.stringify(bound) === JSON.stringify(want) ? ps : undefined;
  }, `daemon pods bound to ${want.join(',')}`, 20_000);
  const first = await onNodes(['a', 'b']);
  for (const p of first) assert.equal(targetNodeName(p), p.spec.nodeName, 'pinned by node affinity, bound by the scheduler');

  const status = await kubectl('rollout', 'status', ...ns, 'ds/fluentd-elasticsearch', '--timeout=30s');
  assert.equal(status.code, 0, status.err);
  assert.match(status.out, /daemon set "fluentd-elasticsearch" successfully rolled out/);
  const table = await kubectl('get', 'ds', ...ns);
  const [head, row] = table.out.trim().split('\n');
  assert.deepEqual(head?.split(/\s{2,}/), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
  assert.deepEqual(row?.split(/\s+/).slice(0, 7), ['fluentd-elasticsearch', '2', '2', '2', '2', '2', '<none>']);

  await t.test('a node that joins gets its pod; a node that leaves loses it', async () => {
    await addNode(env, 'c');
    await onNodes(['a', 'b', 'c']);
    await env.client.delete(nodesRef, undefined, 'b');
    await onNodes(['a', 'c']);
  });

  await t.test('rollout history, undo and restart', async () => {
    assert.equal((await kubectl('set', 'image', ...ns, 'ds/fluentd-elasticsearch', 'fluentd-elasticsearch=fluentd:v2')).code, 0);
    const done = await kubectl('rollout', 'status', ...ns, 'ds/fluentd-elasticsearch', '--timeout=60s');
    assert.equal(done.code, 0, done.err);
    const ps = await daemonPods(env, 'kube-system', 'name=fluentd-elasticsearch');
    assert.deepEqual(ps.map((p) => p.spec.containers[0]?.image), ['fluentd:v2', 'fluentd:v2']);
    const history = await kubectl('rollout', 'history', ...ns, 'ds/fluentd-elasticsearch');
    assert.equal(history.code, 0, history.err);
    assert.match(history.out, /^1\s/m);
    assert.match(history.out, /^2\s/m);
    const undo = await kubectl('rollout', 'undo', ...ns, 'ds/fluentd-elasticsearch');
    assert.equal(undo.code, 0, undo.err);
    assert.match(undo.out, /daemonset.apps\/fluentd-elasticsearch rolled back/);
    assert.equal((await kubectl('rollout', 'status', ...ns, 'ds/fluentd-elasticsearch', '--timeout=60s')).code, 0);
    const ds = await env.client.get<DaemonSet>(daemonSetsTarget, 'kube-system', 'fluentd-elasticsearch');
    assert.equal(ds.spec.template.spec.containers[0]?.image, 'quay.io/fluentd_elasticsearch/fluentd:v2.5.2');
    const revs = (await env.client.list<ControllerRevision>(revisionsRef, { namespace: 'kube-system' })).items;
    assert.deepEqual(revs.map((r) => r.revision).sort(), [2, 3], 'undo renumbers the old revision');
    const restart = await kubectl('rollout', 'restart', ...ns, 'ds/fluentd-elasticsearch');
    assert.equal(restart.code, 0, restart.err);
    await eventually(async () => {
      const now = await daemonPods(env, 'kube-system', 'name=fluentd-elasticsearch');
      return now.length === 2 && now.every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined && p.spec.nodeName);
    }, 'restarted pods', 30_000);
    const describe = await kubectl('describe', 'ds', ...ns, 'fluentd-elasticsearch');
    assert.match(describe.out, /SuccessfulCreate\s+.*Created pod: fluentd-elasticsearch-/);
    assert.match(describe.out, /SuccessfulDelete\s+.*Deleted pod: fluentd-elasticsearch-/);
  });

  const resources = await kubectl('api-resources');
  assert.match(resources.out, /^daemonsets\s+ds\s+apps\/v1\s+true\s+DaemonSet$/m);
});

test('a maxSurge: 1 rolling update never leaves a node without a ready daemon pod (watched across the whole update)', async (t) => {
  const env = await startEnv();
  t.after(() => env.close());
  for (const n of ['a', 'b', 'c']) await addNode(env, n);
  await startDaemonSets(env, t, 300);
  const ds = await env.client.create<DaemonSet>(daemonSetsTarget, {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } },
    },
  });
  await eventually(async () => {
    const s = (await env.client.get<DaemonSet>(daemonSetsTarget, 'default', 'agent')).status;
    return s?.numberReady === 3 && s.desiredNumberScheduled === 3;
  }, '3 ready daemon pods', 20_000);

  // Every pod event from here on: the set of ready pods per node must never be empty.
  const list = await env.client.list<Pod>(podsRef, { namespace: 'default', labelSelector: 'app=agent' });
  const state = new Map(list.items.map((p) => [p.metadata.name ?? '', p]));
  const readyOn = (node: string): number => [...state.values()].filter((p) => p.spec.nodeName === node && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const stop = new AbortController();
  t.after(() => stop.abort());
  const gaps: string[] = [];
  let maxPods = 0;
  const watching = (async () => {
    const events = await env.client.watch<Pod>(podsRef, { namespace: 'default', labelSelector: 'app=agent', resourceVersion: list.metadata?.resourceVersion ?? '', signal: stop.signal });
    for await (const ev of events) {
      if (ev.type === 'DELETED') state.delete(ev.object.metadata.name ?? '');
      else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') state.set(ev.object.metadata.name ?? '', ev.object);
      for (const n of ['a', 'b', 'c']) if (readyOn(n) === 0) gaps.push(`${n} after ${ev.type} ${ev.object.metadata.name ?? ''}`);
      maxPods = Math.max(maxPods, [...state.values()].filter((p) => !p.metadata.deletionTimestamp).length);
    }
  })().catch((e: unknown) => {
    if (!stop.signal.aborted) throw e;
  });

  await env.client.patch(daemonSetsTarget, 'default', 'agent', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } }, 'strategic');
  await eventually(async () => {
    const cur = await env.client.get<DaemonSet>(daemonSetsTarget, 'default', 'agent');
    const s = cur.status;
    const live = await daemonPods(env, 'default', 'app=agent');
    return (s?.observedGeneration ?? 0) > (ds.metadata.generation ?? 1) && s?.updatedNumberScheduled === 3 && s.numberAvailable === 3
      && live.length === 3 && live.every((p) => p.spec.containers[0]?.image === 'v2');
  }, 'the update completes', 60_000);
  stop.abort();
  await watching;
  assert.deepEqual(gaps, [], 'a node was left without a ready daemon pod');
  assert.ok(maxPods <= 4, `at most one surge pod at a time (saw ${maxPods} live pods)`);
  assert.ok(maxPods === 4, 'the update surged');
});
