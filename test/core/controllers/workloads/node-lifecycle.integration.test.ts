import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../../../core/api/index.js';
import type { Lease, Node, Pod, Toleration } from '../../../../core/api/index.js';
import { NodeLifecycleController } from '../../../../core/controllers/workloads/index.js';
import { FakeClock, rfc3339, silentLogger } from '../../../../core/util/index.js';
import { isReady, leases, listEvents, nodes, pods, setPodReady, startEnv } from './harness.js';

/** Polls in real time while nudging the fake clock by 1 ms a round, so back-off retries can fire. */
async function until<T>(clock: FakeClock, what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await clock.advance(1);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

test('the node lifecycle controller taints silent nodes and evicts pods after their tolerations', async (t) => {
  const clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
  const env = await startEnv(clock);
  t.after(() => env.close());
  const c = env.client;

  const node = await c.create<Node>(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  const ready = (at: number) => ({ type: 'Ready', status: 'True' as const, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: rfc3339(at), lastTransitionTime: rfc3339(at) });
  await c.updateStatus<Node>(nodes, { ...node, status: { conditions: [ready(clock.now())] } });
  const lease = await c.create<Lease>(leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: new Date(clock.now()).toISOString() } });
  const mkPod = async (name: string, tolerations?: Toleration[], finalizers?: string[]): Promise<Pod> => {
    const p = await c.create<Pod>(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(finalizers ? { finalizers } : {}) }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'app' }], ...(tolerations ? { tolerations } : {}) } });
    return setPodReady(c, p, true);
  };
  await mkPod('plain');
  await mkPod('short', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
  await mkPod('forever', [{ operator: 'Exists' }]);
  await mkPod('stuck', undefined, ['test.skiff.dev/hold']);
  await c.delete(pods, 'default', 'stuck');

  const ctl = new NodeLifecycleController({ client: c, informers: env.informers, recorder: env.recorder, clock, log: silentLogger });
  const running = ctl.start(env.signal);
  t.after(() => running);
  const getNode = (): Promise<Node> => c.get<Node>(nodes, undefined, 'n1');
  const taintKeys = (n: Node): string[] => (n.spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`).sort();
  const exists = (name: string): Promise<boolean> => c.get(pods, 'default', name).then(() => true, (e: unknown) => {
    if (isNotFound(e)) return false;
    throw e;
  });
  await settle();

  await t.test('a node renewing its lease stays untainted', async () => {
    await clock.advance(30_000);
    const cur = await c.get<Lease>(leases, 'kube-node-lease', 'n1');
    await c.update<Lease>(leases, { ...cur, spec: { ...cur.spec, renewTime: new Date(clock.now()).toISOString() } });
    await settle();
    await clock.advance(30_000);
    await settle();
    const n = await getNode();
    assert.deepEqual(taintKeys(n), []);
    assert.equal(n.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
    assert.ok(lease.metadata.name);
  });

  await t.test('after the grace period: Ready Unknown, unreachable taints, pods not ready', async () => {
    await clock.advance(11_000);
    const n = await until(clock, 'unreachable taints', async () => {
      const got = await getNode();
      return taintKeys(got).length === 2 ? got : undefined;
    });
    assert.deepEqual(taintKeys(n), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const cond = n.status?.conditions?.find((x) => x.type === 'Ready');
    assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    await until(clock, 'pods not ready', async () => !isReady(await c.get<Pod>(pods, 'default', 'plain')));
  });

  await t.test('a pod stuck terminating on the unreachable node is force-deleted', async () => {
    await until(clock, 'force delete event', async () =>
      (await listEvents(c)).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Force deleting Pod default/stuck'));
  });

  await t.test('pods are evicted when their toleration runs out (30 s, then the default 300 s)', async () => {
    assert.ok(await exists('short'));
    await clock.advance(31_000);
    await until(clock, 'short evicted', async () => !(await exists('short')));
    assert.ok(await exists('plain'), 'plain has the default 300 s');
    await clock.advance(270_000);
    await until(clock, 'plain evicted', async () => !(await exists('plain')));
    await settle();
    assert.ok(await exists('forever'), 'tolerates everything forever');
  });

  await t.test('a node that comes back loses its taints', async () => {
    const n = await getNode();
    const conditions = (n.status?.conditions ?? []).map((x) => (x.type === 'Ready' ? ready(clock.now()) : x));
    await c.updateStatus<Node>(nodes, { ...n, status: { ...n.status, conditions } });
    const cur = await c.get<Lease>(leases, 'kube-node-lease', 'n1');
    await c.update<Lease>(leases, { ...cur, spec: { ...cur.spec, renewTime: new Date(clock.now()).toISOString() } });
    await until(clock, 'taints removed', async () => taintKeys(await getNode()).length === 0);
  });
});
