/**
 * Path and protocol attacks: none may reach a backend the route table would not choose for the normalised
 * path, and none may crash the proxy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { normalizePath, type IngressProxy } from '../../ingress/index.js';
import { makeIngress } from './fixtures.js';
import { get, proxyFor, rawRequest, serviceFor, startEcho, tableOf, type Echo, type World } from './proxy-support.js';

describe('proxy: path-attack suite', () => {
  let proxy: IngressProxy;
  let pub: Echo;
  let admin: Echo;
  let world: World;
  before(async () => {
    pub = await startEcho('public');
    admin = await startEcho('admin');
    const p = serviceFor('public', [pub]);
    const a = serviceFor('admin', [admin]);
    world = {
      services: [p.svc, a.svc], endpoints: [p.eps, a.eps],
      ingresses: [makeIngress({ name: 'x', rules: [{ host: 'site.test', paths: [{ path: '/', service: 'public' }, { path: '/admin', service: 'admin' }] }] })],
    };
    proxy = await proxyFor(world, { headersTimeoutMs: 500, requestTimeoutMs: 1000 });
  });
  after(async () => {
    await proxy.close();
    await pub.close();
    await admin.close();
  });

  const paths = [
    '/..%2fadmin', '/public/..%2f..%2fadmin', '/%2e%2e/admin', '/public/%2e%2e/admin', '/public/%2E%2E/%2E%2E/admin', '//admin',
    '/a/./../b', '/public/..;/admin', '/%5cadmin', '/public%5c..%5cadmin', '/admin%00', '/%00/admin', '/public/%252e%252e/admin',
    '/public/%c0%ae%c0%ae/admin', '/./admin/', '/public/../../../../admin/x', '/ADMIN', '/admin%2f..%2fpublic',
  ];
  for (const p of paths) {
    it(`${p} reaches only the backend chosen for its normalised path`, async () => {
      const table = tableOf(world).table;
      const n = normalizePath(p);
      const want = n.ok ? table.lookup('site.test', n.path)?.backend.serviceName : undefined;
      const r = await get(proxy.httpPort, p, { host: 'site.test' });
      if (!n.ok) {
        assert.equal(r.status, 400);
        assert.equal(r.json, undefined);
        return;
      }
      assert.equal(r.status, 200);
      assert.equal(r.json?.name, want);
      assert.equal(r.json?.url, n.path);
    });
  }

  it('raw backslashes and NUL bytes on the wire never reach a backend', async () => {
    const before = pub.seen.length + admin.seen.length;
    for (const target of ['/\\admin', '/public/..\\admin', '/a\x00b']) {
      const res = await rawRequest(proxy.httpPort, `GET ${target} HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n`);
      assert.match(res, /^HTTP\/1\.1 400/);
    }
    assert.equal(pub.seen.length + admin.seen.length, before);
  });

  it('conflicting Content-Length and Transfer-Encoding never reach a backend (request smuggling)', async () => {
    const before = pub.seen.length + admin.seen.length;
    const smuggle = 'POST / HTTP/1.1\r\nHost: site.test\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: site.test\r\n\r\n';
    const res = await rawRequest(proxy.httpPort, smuggle);
    assert.match(res, /^HTTP\/1\.1 400/);
    const dup = await rawRequest(proxy.httpPort, 'POST / HTTP/1.1\r\nHost: site.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab');
    assert.match(dup, /^HTTP\/1\.1 400/);
    assert.equal(pub.seen.length + admin.seen.length, before);
  });

  it('over-long headers get 431 and the proxy keeps serving', async () => {
    const res = await rawRequest(proxy.httpPort, `GET / HTTP/1.1\r\nHost: site.test\r\n${Array.from({ length: 40 }, (_, i) => `X-H${i}: ${'v'.repeat(500)}`).join('\r\n')}\r\n\r\n`);
    assert.match(res, /^HTTP\/1\.1 431/);
    assert.equal((await get(proxy.httpPort, '/', { host: 'site.test' })).status, 200);
  });

  it('slow headers are cut off by headersTimeout', async () => {
    const closed = await new Promise<string>((resolve) => {
      const s = connect(proxy.httpPort, '127.0.0.1');
      let out = '';
      s.on('data', (c: Buffer) => { out += c.toString(); });
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
      s.write('GET / HTTP/1.1\r\nHost: site.test\r\n');
      const t = setInterval(() => { if (!s.destroyed) s.write('X-Slow: 1\r\n'); }, 200);
      s.on('close', () => clearInterval(t));
      setTimeout(() => { clearInterval(t); s.destroy(); }, 5000);
    });
    assert.match(closed, /^HTTP\/1\.1 408/);
    assert.equal((await get(proxy.httpPort, '/', { host: 'site.test' })).status, 200);
  });
});
