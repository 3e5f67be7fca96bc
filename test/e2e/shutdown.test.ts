/**
 * Ctrl-C on a busy `skiff up`: with a few hundred running pods and clients still writing, SIGTERM must
 * end the process promptly (graceful, but seconds, never minutes), and every write the API server
 * acknowledged before it closed must be there after a restart on the same data dir.
 *
 * The pods' processes exit at spread times after their SIGTERM, so the node agents report pod status
 * while the API server is closing under write load: before the fix a status write cut off by the closing
 * server was retried every 520 ms forever, and `skiff up` never exited. The time bound below is a
 * liveness check (far above the ~1 s a clean stop takes), not a speed assertion.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { rawApi, type RawApi } from '../support/api.js';
import { eventually, startSkiff, tempDir, type RunningSkiff } from '../support/skiff.js';

const PODS = 200;
/** Generous: a clean stop takes about a second plus the pods' grace; a hang is minutes or forever. */
const EXIT_BOUND_MS = 20_000;
const NS = 'load';

interface Stop {
  code: number | string;
  ms: number;
  acked: string[];
}

/** A pod whose process exits `delay` seconds after SIGTERM (0–1 s across the pods), so exits and status writes spread out. */
function pod(i: number): unknown {
  const delay = ((i % 200) * 0.005).toFixed(3);
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, labels: { app: 'shutdown' } },
    spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', `trap 'sleep ${delay}; exit 0' TERM; while :; do sleep 1; done`] }] },
  };
}

async function createPods(api: RawApi): Promise<void> {
  assert.equal((await api.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < PODS) {
      const r = await api.call('POST', `/api/v1/namespaces/${NS}/pods`, pod(next++));
      assert.equal(r.status, 201, r.body);
    }
  }));
}

interface PodView {
  status?: { phase?: string; containerStatuses?: { state?: { running?: { startedAt?: string } } }[] };
}

/** Pods whose container was (re)started at or after `sinceMs` and runs. */
async function runningPods(api: RawApi, sinceMs: number): Promise<number> {
  const r = await api.call('GET', `/api/v1/namespaces/${NS}/pods`);
  const since = Math.floor(sinceMs / 1000) * 1000; // startedAt has second precision
  return r.json<{ items: PodView[] }>().items.filter((p) => {
    const started = p.status?.containerStatuses?.[0]?.state?.running?.startedAt;
    return started !== undefined && Date.parse(started) >= since;
  }).length;
}

/** SIGTERM while 32 clients keep creating ConfigMaps; resolves with the exit, its delay and the acknowledged names. */
async function stopUnderLoad(s: RunningSkiff, round: string): Promise<Stop> {
  const api = rawApi(s.kubeconfig, { maxSockets: 32 });
  const acked: string[] = [];
  let next = 0;
  const writer = async (): Promise<void> => {
    for (;;) {
      const name = `${round}-${next++}`;
      try {
        const r = await api.call('POST', `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { pad: 'x'.repeat(1000) } });
        if (r.status === 201) acked.push(name);
      } catch {
        return; // the server went away: an unacknowledged write may go either way
      }
    }
  };
  const writers = Array.from({ length: 32 }, writer);
  await eventually(() => acked.length >= 200, { timeoutMs: 20_000, what: 'writes under way' });
  const { code, ms } = await stopWithin(s);
  await Promise.all(writers);
  api.close();
  return { code, ms, acked };
}

/** SIGTERM, then SIGKILL if the process is still there after `EXIT_BOUND_MS`; the exit and how long it took. */
async function stopWithin(s: RunningSkiff): Promise<{ code: number | string; ms: number }> {
  const t0 = Date.now();
  const timer = setTimeout(() => s.proc.kill('SIGKILL'), EXIT_BOUND_MS);
  const code = await s.stop('SIGTERM');
  clearTimeout(timer);
  return { code, ms: Date.now() - t0 };
}

async function configMapNames(api: RawApi): Promise<Set<string>> {
  const r = await api.call('GET', `/api/v1/namespaces/${NS}/configmaps`);
  assert.equal(r.status, 200);
  return new Set(r.json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name));
}

function assertPrompt(stop: Stop, s: RunningSkiff, what: string): void {
  const tail = s.output().split('\n').slice(-15).join('\n');
  assert.notEqual(stop.code, 'SIGKILL', `${what}: skiff up was still running ${EXIT_BOUND_MS} ms after SIGTERM; last output:\n${tail}`);
  // The last-resort exit after clean-up means something hung: never a clean stop, whatever the code.
  assert.doesNotMatch(s.output(), LAST_RESORT, `${what}: something held the event loop after clean-up; last output:\n${tail}`);
  assert.equal(stop.code, 0, `${what}: exit code; last output:\n${tail}`);
  assert.ok(stop.ms < EXIT_BOUND_MS, `${what}: exited after ${stop.ms} ms`);
}

/** The log line of `skiff up`'s last-resort exit. */
const LAST_RESORT = /still running after shutdown; exiting/;

describe('a shutdown that hangs after clean-up', () => {
  it('exits non-zero, says what held the event loop, and fails the shutdown check', async () => {
    const dataDir = tempDir('skiff-shutdown-hang-');
    // Test hook: a timer left running after clean-up, as a component that forgets one would.
    const s = await startSkiff({ dataDir, args: ['--store', 'sqlite', '--nodes', '0'], env: { ...process.env, SKIFF_TEST_HANG_AFTER_SHUTDOWN: '1' } });
    try {
      const stop = { ...(await stopWithin(s)), acked: [] };
      assert.equal(stop.code, 70, s.output());
      assert.match(s.output(), /still running after shutdown; exiting .*active=\S*Timeout/);
      assert.throws(() => assertPrompt(stop, s, 'hung stop'), /held the event loop after clean-up/);
    } finally {
      if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('shutdown of a busy skiff up', () => {
  const dirs: string[] = [];
  const started: RunningSkiff[] = [];
  const start = async (dataDir: string): Promise<RunningSkiff> => {
    const s = await startSkiff({ dataDir, args: ['--store', 'sqlite'] });
    started.push(s);
    return s;
  };
  after(async () => {
    // A failed case must not leave a skiff (and its pods) behind.
    for (const s of started) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  // Two rounds, each on a fresh data dir: whether a status write is cut off by the closing server is a race.
  for (const round of ['first', 'second']) {
    it(`${round} round: exits soon after SIGTERM with ${PODS} running pods and writes in flight, and keeps every acknowledged write`, async () => {
      const dataDir = tempDir('skiff-shutdown-');
      dirs.push(dataDir);
      const t1 = Date.now();
      const s1 = await start(dataDir);
      const api1 = rawApi(s1.kubeconfig, { maxSockets: 16 });
      await createPods(api1);
      await eventually(async () => (await runningPods(api1, t1)) >= PODS * 0.9, { timeoutMs: 60_000, intervalMs: 500, what: 'pods running' });
      api1.close();
      const stop = await stopUnderLoad(s1, round);
      assertPrompt(stop, s1, 'stop under load');

      // The same data dir again: every acknowledged write and every pod is there, and a quiet stop is prompt too.
      const t2 = Date.now();
      const s2 = await start(dataDir);
      const api2 = rawApi(s2.kubeconfig);
      const names = await configMapNames(api2);
      const lost = stop.acked.filter((n) => !names.has(n));
      assert.deepEqual(lost, [], `${lost.length} of ${stop.acked.length} acknowledged writes lost`);
      const pods = await api2.call('GET', `/api/v1/namespaces/${NS}/pods`);
      const items = pods.json<{ items: PodView[] }>().items;
      assert.equal(items.length, PODS);
      // The node stopped, not the pods: none is recorded as ended, and they run again after the restart.
      assert.deepEqual(items.map((p) => p.status?.phase).filter((ph) => ph === 'Succeeded' || ph === 'Failed'), []);
      await eventually(async () => (await runningPods(api2, t2)) >= PODS * 0.9, { timeoutMs: 60_000, intervalMs: 500, what: 'pods running again after the restart' });
      api2.close();
      assertPrompt({ ...(await stopWithin(s2)), acked: [] }, s2, 'quiet stop after the restart');
    });
  }
});
