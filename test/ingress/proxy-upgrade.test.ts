/**
 * Upgrade requests a backend does not accept: the connection must stay under the proxy's routing and header
 * rules (it used to become a raw pipe to that backend whatever it answered). Raw sockets, both engines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { IngressProxy } from '../../ingress/index.js';
import type { EngineName } from '../../ingress/proxy/engine.js';
import { makeIngress } from './fixtures.js';
import { loopback, proxyFor, serviceFor, startEcho, type Echo, type EchoSeen, type World } from './proxy-support.js';
import { RawConn } from './raw-conn.js';
import { selfSigned, tlsSecret } from './certs.js';

const WS_HEADERS = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** A backend that answers every request with `answer` (raw bytes) and records what it got. */
async function rawBackend(answer: string): Promise<{ ip: string; port: number; got: string[]; server: NetServer }> {
  const ip = loopback();
  const got: string[] = [];
  const server = createNetServer((s) => {
    s.on('error', () => undefined);
    s.once('data', (c: Buffer) => { got.push(c.toString('latin1')); s.write(answer); });
  });
  await new Promise<void>((r) => server.listen(0, ip, () => r()));
  return { ip, port: (server.address() as AddressInfo).port, got, server };
}

function seen(r: { body: string } | undefined): EchoSeen {
  assert.ok(r !== undefined, 'no response');
  return JSON.parse(r.body) as EchoSeen;
}

for (const engine of ['undici', 'http-proxy'] as EngineName[]) {
  describe(`proxy (${engine}): a refused upgrade leaves the connection under routing`, () => {
    let proxy: IngressProxy;
    let app: Echo;
    let admin: Echo;
    let h2c: Awaited<ReturnType<typeof rawBackend>>;
    let world: World;
    before(async () => {
      app = await startEcho('app');
      admin = await startEcho('admin');
      h2c = await rawBackend('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nRAW-BACKEND-BYTES');
      const a = serviceFor('app', [app]);
      const b = serviceFor('admin', [admin]);
      const c = serviceFor('h2c', [{ ip: h2c.ip, port: h2c.port } as Echo]);
      const pair = await selfSigned('site.test', ['site.test']);
      world = {
        services: [a.svc, b.svc, c.svc], endpoints: [a.eps, b.eps, c.eps], secrets: [tlsSecret('site-cert', pair)],
        ingresses: [makeIngress({
          name: 'site', tls: [{ hosts: ['site.test'], secretName: 'site-cert' }],
          annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' },
          rules: [{ host: 'site.test', paths: [{ path: '/app', service: 'app' }, { path: '/admin', service: 'admin' }, { path: '/h2c', service: 'h2c' }] }],
        })],
      };
      proxy = await proxyFor(world, { engine });
    });
    after(async () => {
      await proxy.close();
      await app.close();
      await admin.close();
      h2c.server.close();
    });

    it('relays the 200, then routes and rewrites the next requests on that connection', async () => {
      const c = await RawConn.open(proxy.httpPort);
      try {
        c.send(`GET /app/ws HTTP/1.1\r\nHost: site.test\r\n${WS_HEADERS}\r\n`);
        const first = await c.response();
        assert.equal(first?.status, 200);
        assert.equal(seen(first).name, 'app');
        assert.equal(seen(first).headers.upgrade, 'websocket', 'the backend saw the upgrade it refused');
        c.send('GET /admin/users HTTP/1.1\r\nHost: site.test\r\nX-Real-IP: 6.6.6.6\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n');
        const second = seen(await c.response());
        assert.equal(second.name, 'admin', 'routed by the route table, not piped to the first backend');
        assert.equal(second.url, '/admin/users');
        assert.equal(second.headers['x-real-ip'], '127.0.0.1', 'a forged X-Real-IP does not pass');
        assert.equal(second.headers['x-forwarded-for'], '6.6.6.6, 127.0.0.1');
        c.send('GET /app HTTP/1.1\r\nHost: nowhere.test\r\n\r\n');
        const third = await c.response();
        assert.equal(third?.status, 404, 'an unknown host gets the default backend');
        assert.equal(app.seen.length, 1);
      } finally {
        c.close();
      }
    });

    it('a request pipelined behind the upgrade request is routed on its own', async () => {
      const c = await RawConn.open(proxy.httpPort);
      try {
        c.send(`GET /app/ws HTTP/1.1\r\nHost: site.test\r\n${WS_HEADERS}\r\nGET /admin/x HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n`);
        assert.equal(seen(await c.response()).name, 'app');
        const second = seen(await c.response());
        assert.equal(second.name, 'admin');
        assert.equal(second.headers['x-real-ip'], '127.0.0.1');
      } finally {
        c.close();
      }
    });

    it('an upgrade request with a body is served as a plain request: the body never becomes a second request', async () => {
      const c = await RawConn.open(proxy.httpPort);
      try {
        const smuggled = 'GET /admin/secret HTTP/1.1\r\nHost: site.test\r\n\r\n';
        c.send(`POST /app/x HTTP/1.1\r\nHost: site.test\r\n${WS_HEADERS}Content-Length: ${smuggled.length}\r\n\r\n${smuggled}`);
        const r = seen(await c.response());
        assert.equal(r.name, 'app');
        assert.equal(r.body, smuggled);
        assert.equal(r.headers.upgrade, undefined);
        c.send('GET /admin/after HTTP/1.1\r\nHost: site.test\r\n\r\n');
        assert.equal(seen(await c.response()).url, '/admin/after');
        assert.ok(!admin.seen.some((s) => s.url === '/admin/secret'));
      } finally {
        c.close();
      }
    });

    it('a 101 for a protocol the client did not ask for is a 502, not a tunnel', async () => {
      const c = await RawConn.open(proxy.httpPort);
      try {
        c.send(`GET /h2c HTTP/1.1\r\nHost: site.test\r\n${WS_HEADERS}\r\n`);
        const r = await c.response();
        assert.equal(r?.status, 502);
        c.send('GET /admin/next HTTP/1.1\r\nHost: site.test\r\n\r\n');
        const next = await c.response();
        assert.equal(seen(next).name, 'admin');
        assert.doesNotMatch(c.rest(), /RAW-BACKEND-BYTES/);
        assert.equal(h2c.got.length, 1);
      } finally {
        c.close();
      }
    });

    it('over HTTPS too: a refused upgrade leaves the TLS connection routed', async () => {
      const c = await RawConn.openTls(proxy.httpsPort, 'site.test');
      try {
        c.send(`GET /app/ws HTTP/1.1\r\nHost: site.test\r\n${WS_HEADERS}\r\n`);
        assert.equal(seen(await c.response()).name, 'app');
        c.send('GET /admin/tls HTTP/1.1\r\nHost: site.test\r\nX-Real-IP: 6.6.6.6\r\n\r\n');
        const r = seen(await c.response());
        assert.equal(r.name, 'admin');
        assert.equal(r.headers['x-real-ip'], '127.0.0.1');
        assert.equal(r.headers['x-forwarded-proto'], 'https');
      } finally {
        c.close();
      }
    });

    it('an upgrade for an unknown host or path is answered 404 and the connection kept', async () => {
      const c = await RawConn.open(proxy.httpPort);
      try {
        c.send(`GET /chat HTTP/1.1\r\nHost: nowhere.test\r\n${WS_HEADERS}\r\n`);
        assert.equal((await c.response())?.status, 404);
        c.send('GET /admin/x HTTP/1.1\r\nHost: site.test\r\n\r\n');
        assert.equal(seen(await c.response()).name, 'admin');
      } finally {
        c.close();
      }
    });
  });
}
