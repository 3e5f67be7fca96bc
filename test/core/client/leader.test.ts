import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../core/api/index.js';
import type { KubeObject, Lease } from '../../../core/api/index.js';
import { LeaderElector, decideLease } from '../../../core/client/index.js';
import type { KubeClient } from '../../../core/client/index.js';
import { FakeClock, silentLogger, systemClock } from '../../../core/util/index.js';
import { startTestServer } from './harness.js';

type LeaseApi = Pick<KubeClient, 'get' | 'create' | 'update'>;

/** An in-memory lease store with resourceVersion concurrency; `broken` makes one caller's requests fail. */
class FakeLeases {
  private leases = new Map<string, Lease>();
  private rv = 1;
  readonly broken = new Set<string>();

  clientFor(who: string): LeaseApi {
    const check = (): void => {
      if (this.broken.has(who)) throw new ApiError('ServiceUnavailable', 'connection refused');
    };
    const copy = <T>(x: T): T => structuredClone(x);
    const api = {
      get: async (_t: unknown, ns: string | undefined, name: string) => {
        check();
        const l = this.leases.get(`${ns}/${name}`);
        if (!l) throw new ApiError('NotFound', 'not found');
        return copy(l);
      },
      create: async (_t: unknown, obj: KubeObject) => {
        check();
        const k = `${obj.metadata.namespace}/${obj.metadata.name}`;
        if (this.leases.has(k)) throw new ApiError('AlreadyExists', 'exists');
        const stored = { ...copy(obj), metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } } as Lease;
        this.leases.set(k, stored);
        return copy(stored);
      },
      update: async (_t: unknown, obj: KubeObject) => {
        check();
        const k = `${obj.metadata.namespace}/${obj.metadata.name}`;
        const cur = this.leases.get(k);
        if (!cur) throw new ApiError('NotFound', 'not found');
        if (obj.metadata.resourceVersion !== cur.metadata.resourceVersion) throw new ApiError('Conflict', 'stale');
        const stored = { ...copy(obj), metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } } as Lease;
        this.leases.set(k, stored);
        return copy(stored);
      },
    };
    return api as unknown as LeaseApi;
  }

  holder(): string | null | undefined {
    return this.leases.get('kube-system/ctrl')?.spec?.holderIdentity;
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

function candidate(leases: FakeLeases, clock: FakeClock, identity: string, releaseOnCancel = true) {
  const state = { leading: false, started: 0, stopped: 0 };
  const elector = new LeaderElector({
    client: leases.clientFor(identity),
    name: 'ctrl',
    identity,
    clock,
    log: silentLogger,
    releaseOnCancel,
    onStartedLeading: () => {
      state.leading = true;
      state.started++;
    },
    onStoppedLeading: () => {
      state.leading = false;
      state.stopped++;
    },
  });
  const ac = new AbortController();
  const done = elector.run(ac.signal);
  return { elector, state, ac, done };
}

async function step(clock: FakeClock, totalMs: number, stepMs = 1000): Promise<void> {
  for (let t = 0; t < totalMs; t += stepMs) {
    await clock.advance(stepMs);
    await settle();
  }
}

test('decideLease', async (t) => {
  const lease = (holder: string, duration = 15): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {}, spec: { holderIdentity: holder, leaseDurationSeconds: duration } });
  const cases = [
    { name: 'no lease → create', lease: undefined, now: 0, observedAt: 0, want: 'create' },
    { name: 'own lease → renew', lease: lease('me'), now: 100_000, observedAt: 0, want: 'renew' },
    { name: 'released lease → acquire', lease: lease(''), now: 0, observedAt: 0, want: 'acquire' },
    { name: 'fresh foreign lease → wait', lease: lease('other'), now: 14_999, observedAt: 0, want: 'wait' },
    { name: 'expired foreign lease → acquire', lease: lease('other'), now: 15_000, observedAt: 0, want: 'acquire' },
    { name: 'the lease duration in the record wins', lease: lease('other', 60), now: 30_000, observedAt: 0, want: 'wait' },
  ] as const;
  for (const c of cases) {
    await t.test(c.name, () => assert.equal(decideLease(c.lease, 'me', c.now, c.observedAt, 15), c.want));
  }
});

test('two electors: only one leads; the other takes over after the lease expires', async () => {
  const clock = new FakeClock();
  const leases = new FakeLeases();
  const a = candidate(leases, clock, 'a', false);
  await settle();
  const b = candidate(leases, clock, 'b', false);
  await settle();
  assert.equal(a.state.leading, true);
  assert.equal(b.state.leading, false);
  await step(clock, 60_000);
  assert.deepEqual([a.state.leading, b.state.leading, leases.holder()], [true, false, 'a'], 'a keeps renewing for a minute');

  a.ac.abort(); // a crashes without releasing
  await a.done;
  await step(clock, 10_000);
  assert.equal(b.state.leading, false, 'b waits while the lease has not expired');
  await step(clock, 8_000);
  assert.deepEqual([b.state.leading, leases.holder()], [true, 'b'], 'b took over after expiry');
  b.ac.abort();
  await b.done;
});

test('a released lease is taken over within one retry period', async () => {
  const clock = new FakeClock();
  const leases = new FakeLeases();
  const a = candidate(leases, clock, 'a');
  await settle();
  const b = candidate(leases, clock, 'b');
  await settle();
  a.ac.abort();
  await a.done;
  assert.equal(a.state.stopped, 1);
  assert.equal(leases.holder(), '');
  await step(clock, 2_000);
  assert.equal(b.state.leading, true);
  b.ac.abort();
  await b.done;
});

test('a leader that cannot renew steps down after the renew deadline', async () => {
  const clock = new FakeClock();
  const leases = new FakeLeases();
  const a = candidate(leases, clock, 'a');
  await settle();
  assert.equal(a.state.leading, true);
  leases.broken.add('a');
  await step(clock, 8_000);
  assert.equal(a.state.leading, true, 'still leading within the deadline');
  await step(clock, 2_000);
  assert.deepEqual([a.state.leading, a.state.stopped], [false, 1]);
  assert.equal(a.elector.isLeader(), false);
  a.ac.abort();
  await a.done;
});

test('leader election on a real server: acquire, then release on stop', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await s.client.create({ apiVersion: 'v1', plural: 'namespaces', namespaced: false }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  let led: (() => void) | undefined;
  const leading = new Promise<void>((r) => { led = r; });
  const ac = new AbortController();
  const elector = new LeaderElector({
    client: s.client, name: 'real', identity: 'me', clock: systemClock, log: silentLogger,
    onStartedLeading: () => led?.(),
  });
  const done = elector.run(ac.signal);
  await leading;
  const target = { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true };
  const lease = await s.client.get<Lease>(target, 'kube-system', 'real');
  assert.equal(lease.spec?.holderIdentity, 'me');
  assert.equal(lease.spec?.leaseDurationSeconds, 15);
  assert.match(lease.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  ac.abort();
  await done;
  const released = await s.client.get<Lease>(target, 'kube-system', 'real');
  assert.equal(released.spec?.holderIdentity ?? '', '');
});
