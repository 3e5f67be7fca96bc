import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNode, makeService } from '../../../providers/conformance/index.js';
import { fakeProviderFactory } from '../../../providers/fake/index.js';
import type { FakeProvider } from '../../../providers/fake/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';

test('the registry-made fake keeps its state in <dataDir>: a restart adopts balancers (listening again) and volumes', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-fake-persist-'));
  const echo = createServer((s) => s.on('data', (d) => s.end(`echo:${d.toString()}`)));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  const nodePort = (echo.address() as AddressInfo).port;
  const factory = fakeProviderFactory();
  const opts = { cloudConfig: {}, clusterName: 'persist', dataDir, log: silentLogger, clock: systemClock };
  const signal = AbortSignal.timeout(5000);
  const svc = makeService({ name: 'web', port: 20000 + Math.floor(Math.random() * 10000), nodePort });
  const port = svc.spec?.ports?.[0]?.port ?? 0;
  let second: FakeProvider | undefined;
  try {
    const first = (await factory(opts)) as FakeProvider;
    const status = await first.loadBalancers?.ensure(svc, [makeNode('n1')], signal);
    const vol = await first.volumes?.create({ key: 'pvc-1', sizeBytes: 1024, tags: { 'skiff.dev/cluster': 'persist' } }, signal);
    await first.cloud.reset(); // the process "dies": listeners close, memory is gone

    second = (await factory(opts)) as FakeProvider;
    const got = await second.loadBalancers?.get(svc, signal);
    assert.deepEqual(got?.status, status);
    assert.deepEqual(await second.loadBalancers?.plan(svc, [makeNode('n1')], signal), []);
    assert.deepEqual((await second.volumes?.list(signal))?.map((v) => v.id), [vol?.id]);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(port, status?.ingress[0]?.ip ?? '', () => s.write('hi'));
      let out = '';
      s.on('data', (d) => { out += d.toString(); });
      s.on('close', () => resolve(out));
      s.on('error', reject);
    });
    assert.equal(reply, 'echo:hi');
  } finally {
    await second?.cloud.reset();
    await new Promise<void>((r) => echo.close(() => r()));
    await rm(dataDir, { recursive: true, force: true });
  }
});
