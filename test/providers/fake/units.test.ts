import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCloudError } from '../../../core/cloud/index.js';
import type { NodeTemplate } from '../../../core/cloud/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { FakeCloud, createFakeProvider, fakeStorageClasses, parseNodeGroups } from '../../../providers/fake/index.js';
import type { NodeLauncher } from '../../../providers/fake/index.js';

const signal = (): AbortSignal => AbortSignal.timeout(5000);

test('faults: one-shot, every n-th, persistent, and from the cloud-config', async () => {
  const cases: { description: string; faults: unknown[]; want: string[] }[] = [
    { description: 'one-shot', faults: [{ op: 'createVolume', error: 'Throttled', times: 1 }], want: ['Throttled', 'ok', 'ok'] },
    { description: 'every second call', faults: [{ mutating: true, error: '5xx', everyNth: 2 }], want: ['ok', 'Transient', 'ok'] },
    { description: 'persistent', faults: [{ op: 'createVolume', error: 'Quota' }], want: ['Quota', 'Quota', 'Quota'] },
    { description: 'reads only: mutating calls pass', faults: [{ mutating: false, error: 'Transient' }], want: ['ok', 'ok', 'ok'] },
  ];
  const dir = await mkdtemp(join(tmpdir(), 'skiff-fake-units-'));
  for (const c of cases) {
    const p = createFakeProvider({ cloudConfig: { faults: c.faults }, clusterName: 'c', dataDir: dir, log: silentLogger, clock: new FakeClock() });
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      await p.volumes?.create({ key: `k${i}`, sizeBytes: 1, tags: {} }, signal()).then(() => got.push('ok'), (e: unknown) => got.push(isCloudError(e) ? e.code : 'error'));
    }
    assert.deepEqual(got, c.want, c.description);
    assert.equal(p.cloud.calls().length, 3, 'every call is logged');
    await p.cloud.reset();
    assert.deepEqual(p.cloud.calls(), [], 'reset forgets the log');
  }
  await rm(dir, { recursive: true, force: true });
});

test('node groups: increase boots through the launcher after the delay; deleteNodes stops; bounds hold', async () => {
  const clock = new FakeClock();
  const launched: string[] = [];
  const stopped: string[] = [];
  const launcher: NodeLauncher = {
    launch: async (name: string, t: NodeTemplate) => { launched.push(`${name}:${t.capacity.cpu ?? ''}`); },
    stop: async (name: string) => { stopped.push(name); },
  };
  const cloudConfig = { nodeGroups: [{ name: 'pool', min: 0, max: 2, bootDelaySeconds: 30, template: { cpu: '4', memory: '8Gi', labels: { pool: 'p' } } }] };
  const p = createFakeProvider({ cloudConfig, clusterName: 'c', dataDir: '/nonexistent', log: silentLogger, clock }, { cloud: new FakeCloud({ clock }), launcher });
  const ng = p.nodeGroups;
  assert.ok(ng);
  try {
    await ng.increase('pool', 2, signal());
    let [g] = await ng.list(signal());
    assert.equal(g?.targetSize, 2);
    assert.deepEqual(g?.instances.map((i) => i.state), ['creating', 'creating']);
    assert.equal(launched.length, 0, 'nothing boots before the delay');
    await clock.advance(30_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(launched.length, 2);
    assert.ok(launched.every((l) => l.endsWith(':4')));
    [g] = await ng.list(signal());
    assert.deepEqual(g?.instances.map((i) => i.state), ['running', 'running']);
    await assert.rejects(ng.increase('pool', 1, signal()), (e: unknown) => isCloudError(e, 'InvalidArgument'));
    const name = g?.instances[0]?.name ?? '';
    await ng.deleteNodes('pool', [name], signal());
    assert.deepEqual(stopped, [name]);
    [g] = await ng.list(signal());
    assert.equal(g?.targetSize, 1);
    await assert.rejects(ng.decreaseTargetSize('pool', 1, signal()), (e: unknown) => isCloudError(e, 'InvalidArgument'), 'no unfulfilled node to drop');
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name } };
    assert.equal(await p.instances?.exists(node, signal()), false, 'a deleted node-group instance does not exist');
  } finally {
    await p.close();
  }
});

test('parseNodeGroups and the default StorageClass', () => {
  const [g] = parseNodeGroups([{ name: 'a', min: 1, max: 5, template: { cpu: 2, memory: '1Gi', taints: [{ key: 'k', effect: 'NoSchedule' }] } }]);
  assert.deepEqual(g && { min: g.min, max: g.max, cpu: g.template.capacity.cpu, taints: g.template.taints.length }, { min: 1, max: 5, cpu: '2', taints: 1 });
  assert.deepEqual(parseNodeGroups('nonsense'), []);
  const [sc] = fakeStorageClasses();
  assert.equal(sc?.provisioner, 'skiff.dev/fake');
  assert.equal(sc?.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
});
