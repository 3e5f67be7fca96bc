/**
 * A disk that fills up under `skiff up` (a 4 MiB tmpfs the test mounts; CI runs as root): while it is
 * full every write fails with a 500 Status that says the store cannot write (what kube-apiserver
 * answers when etcd refuses a write), reads keep working and `/readyz` fails; once space is freed,
 * writes succeed again without a restart, and every acknowledged write is there — also after a restart.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rawApi, type RawApi } from '../support/api.js';
import { eventually, startSkiff, tempDir, type RunningSkiff } from '../support/skiff.js';

const NS = 'default';

interface Failure {
  status: number;
  body: string;
}

function configMap(name: string): unknown {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { pad: 'x'.repeat(16 * 1024) } };
}

/** Writers that create ConfigMaps until each has seen `failuresEach` refused writes. */
async function fillUp(api: RawApi, failuresEach: number): Promise<{ acked: string[]; failures: Failure[] }> {
  const acked: string[] = [];
  const failures: Failure[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    let mine = 0;
    while (mine < failuresEach) {
      const name = `cm-${next++}`;
      const r = await api.call('POST', `/api/v1/namespaces/${NS}/configmaps`, configMap(name));
      if (r.status === 201) acked.push(name);
      else {
        failures.push({ status: r.status, body: r.body });
        mine++;
      }
    }
  }));
  return { acked, failures };
}

async function names(api: RawApi): Promise<Set<string>> {
  const r = await api.call('GET', `/api/v1/namespaces/${NS}/configmaps`);
  assert.equal(r.status, 200, r.body);
  return new Set(r.json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name));
}

describe('skiff up on a disk that fills up', () => {
  const root = tempDir('skiff-diskfull-');
  let mounted = false;
  const started: RunningSkiff[] = [];
  after(() => {
    for (const s of started) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
    if (mounted) execFileSync('umount', ['-l', root]);
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses writes with a 500 Status while full, serves reads, fails /readyz, and recovers by itself', async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', root]);
    mounted = true;
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const ballast = join(root, 'ballast');
    writeFileSync(ballast, Buffer.alloc(1024 * 1024, 1));
    const s = await startSkiff({ dataDir, args: ['--store', 'sqlite', '--nodes', '0'] });
    started.push(s);
    const api = rawApi(s.kubeconfig, { maxSockets: 8 });

    const { acked, failures } = await fillUp(api, 3);
    assert.ok(acked.length > 0, 'some writes succeeded before the disk filled');
    for (const f of failures) {
      assert.equal(f.status, 500, f.body);
      const st = JSON.parse(f.body) as { kind: string; reason: string; code: number; message: string };
      assert.equal(st.kind, 'Status');
      assert.equal(st.reason, 'InternalError');
      assert.equal(st.code, 500);
      assert.match(st.message, /the store cannot write: database or disk is full \(SQLITE_FULL\)/);
    }

    // Full: reads work and show every acknowledged write; /readyz says why it is not ready.
    const whileFull = await names(api);
    assert.deepEqual(acked.filter((n) => !whileFull.has(n)), [], 'acknowledged writes missing while full');
    const ready = await api.call('GET', '/readyz');
    assert.equal(ready.status, 500);
    assert.match(ready.body, /\[-\]store failed: the store cannot write: database or disk is full/);
    // Still full: the free space of a full disk moves (a rolled-back transaction frees pages, so one
    // more small write may fit), so write until the next refusal; any write that lands is acknowledged.
    let refused: string | undefined;
    for (let i = 0; i < 50 && refused === undefined; i++) {
      const name = `still-full-${i}`;
      const r = await api.call('POST', `/api/v1/namespaces/${NS}/configmaps`, configMap(name));
      if (r.status === 201) acked.push(name);
      else {
        assert.equal(r.status, 500, r.body);
        refused = name;
      }
    }
    assert.ok(refused !== undefined, 'still full: writes are still refused');

    // Space comes back: writes succeed again without a restart, and /readyz recovers.
    rmSync(ballast);
    const again = await api.call('POST', `/api/v1/namespaces/${NS}/configmaps`, configMap('after-free'));
    assert.equal(again.status, 201, again.body);
    await eventually(async () => (await api.call('GET', '/readyz')).status === 200, { timeoutMs: 10_000, what: '/readyz ok again' });
    const more = await Promise.all(Array.from({ length: 10 }, (_, i) => api.call('POST', `/api/v1/namespaces/${NS}/configmaps`, configMap(`after-free-${i}`))));
    assert.deepEqual(more.map((r) => r.status), Array.from({ length: 10 }, () => 201));
    api.close();

    // Every acknowledged write is on disk: a restart on the same data dir has them all.
    assert.equal(await s.stop('SIGTERM'), 0, s.output());
    const s2 = await startSkiff({ dataDir, args: ['--store', 'sqlite', '--nodes', '0'] });
    started.push(s2);
    const api2 = rawApi(s2.kubeconfig);
    const afterRestart = await names(api2);
    const expected = [...acked, 'after-free', ...more.map((_, i) => `after-free-${i}`)];
    assert.deepEqual(expected.filter((n) => !afterRestart.has(n)), [], 'acknowledged writes lost');
    assert.ok(!afterRestart.has(refused), 'a refused write is not stored');
    api2.close();
    assert.equal(await s2.stop('SIGTERM'), 0, s2.output());
  });
});
