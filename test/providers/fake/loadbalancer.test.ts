import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { makeNode, makeService } from '../../../providers/conformance/index.js';
import { createFakeProvider } from '../../../providers/fake/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';

/** A "node port": an echo server that prefixes replies with its name. */
async function nodePort(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.on('data', (d) => s.end(`${name}:${d.toString()}`)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

function roundTrip(host: string, port: number, msg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host, () => s.write(msg));
    let out = '';
    s.on('data', (d) => { out += d.toString(); });
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

test('fake load balancer forwards TCP to a node port and skips refusing backends', async () => {
  const np = await nodePort('np');
  const provider = createFakeProvider({ cloudConfig: {}, clusterName: 'lbtest', dataDir: '/nonexistent', log: silentLogger, clock: systemClock });
  const lbs = provider.loadBalancers;
  assert.ok(lbs);
  const port = 20000 + Math.floor(Math.random() * 10000);
  const svc = makeService({ name: 'web', port, nodePort: np.port });
  // 127.0.0.2 refuses on that port (nothing listens there): the health check skips it.
  const nodes = [makeNode('dead', '127.0.0.2'), makeNode('live', '127.0.0.1')];
  try {
    const status = await lbs.ensure(svc, nodes, AbortSignal.timeout(5000));
    const ip = status.ingress[0]?.ip ?? '';
    assert.match(ip, /^127\.0\.100\.\d+$/);
    for (const msg of ['one', 'two', 'three']) assert.equal(await roundTrip(ip, port, msg), `np:${msg}`);

    await lbs.updateHosts(svc, [], AbortSignal.timeout(5000));
    assert.equal(await roundTrip(ip, port, 'x'), '', 'no backends: the connection is closed');

    await lbs.ensureDeleted(svc, AbortSignal.timeout(5000));
    await assert.rejects(roundTrip(ip, port, 'gone'), /ECONNREFUSED/);
    const ops = provider.cloud.calls().filter((c) => c.mutating).map((c) => c.op);
    assert.deepEqual(ops, ['createLoadBalancer', 'createListener', 'setTargets', 'setTargets', 'deleteLoadBalancer']);
  } finally {
    await provider.cloud.reset();
    await new Promise<void>((r) => np.server.close(() => r()));
  }
});
