/** Both forwarding engines behave the same: routing, bodies both ways, forwarding headers, failures. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineName } from '../../ingress/index.js';
import { makeIngress } from './fixtures.js';
import { get, loopback, proxyFor, serviceFor, startEcho, type Echo } from './proxy-support.js';

const A = 'nginx.ingress.kubernetes.io/';

for (const engine of ['undici', 'http-proxy'] as EngineName[]) {
  describe(`engine ${engine}`, () => {
    it('forwards the normalised path, bodies and forwarding headers; strips hop-by-hop response headers', async () => {
      const e = await startEcho('e');
      const s = serviceFor('e', [e]);
      const proxy = await proxyFor({ services: [s.svc], endpoints: [s.eps], ingresses: [makeIngress({ name: 'e', rules: [{ host: 'e.test', paths: [{ path: '/', service: 'e' }] }] })] }, { engine });
      try {
        const r = await get(proxy.httpPort, '/a/./b/../c?x=1', { host: 'e.test' });
        assert.equal(r.status, 200);
        assert.equal(r.json?.url, '/a/c?x=1');
        assert.equal(r.json?.headers['x-forwarded-host'], 'e.test');
        assert.equal(r.headers['keep-alive'], 'timeout=65', "the proxy's own Keep-Alive, not the backend's timeout=30");
        const body = 'z'.repeat(70_000);
        const p = await get(proxy.httpPort, '/post', { host: 'e.test', method: 'POST', body });
        assert.equal(p.json?.body, body);
        assert.equal(p.json?.method, 'POST');
      } finally {
        await proxy.close();
        await e.close();
      }
    });

    it('502 when the only endpoint refuses; 504 when it does not answer within the read timeout', async () => {
      const deadIp = loopback();
      const slow = createServer(() => undefined);
      const slowIp = loopback();
      await new Promise<void>((r) => slow.listen(0, slowIp, () => r()));
      const d = serviceFor('dead', [{ ip: deadIp, port: 9 } as Echo]);
      const sl = serviceFor('slow', [{ ip: slowIp, port: (slow.address() as AddressInfo).port } as Echo]);
      const proxy = await proxyFor({
        services: [d.svc, sl.svc], endpoints: [d.eps, sl.eps],
        ingresses: [
          makeIngress({ name: 'd', rules: [{ host: 'd.test', paths: [{ path: '/', service: 'dead' }] }] }),
          makeIngress({ name: 's', annotations: { [`${A}proxy-read-timeout`]: '1' }, rules: [{ host: 's.test', paths: [{ path: '/', service: 'slow' }] }] }),
        ],
      }, { engine });
      try {
        assert.equal((await get(proxy.httpPort, '/', { host: 'd.test' })).status, 502);
        assert.equal((await get(proxy.httpPort, '/', { host: 's.test' })).status, 504);
      } finally {
        await proxy.close();
        slow.closeAllConnections();
        slow.close();
      }
    });
  });
}
