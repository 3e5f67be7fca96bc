/** Proxy behaviour through real sockets: TLS/SNI, redirects, rewrite, canary, affinity, limits, CORS, failures. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeIngress } from './fixtures.js';
import { get, rawRequest, proxyFor, serviceFor, startEcho, startEchoes, tableOf, loopback, type Echo, type World } from './proxy-support.js';
import { selfSigned, tlsSecret } from './certs.js';
import type { IngressProxy } from '../../ingress/index.js';

const A = 'nginx.ingress.kubernetes.io/';

describe('proxy: annotations and limits', () => {
  let proxy: IngressProxy;
  const echoes: Echo[] = [];
  let world: World;
  before(async () => {
    const app = await startEchoes('app-1', 'app-2');
    const canary = [await startEcho('canary-1')];
    const sticky = await startEchoes('s-1', 's-2', 's-3');
    echoes.push(...app, ...canary, ...sticky);
    const s1 = serviceFor('app', app);
    const s2 = serviceFor('canary', canary);
    const s3 = serviceFor('sticky', sticky);
    const s4 = serviceFor('empty', []);
    world = {
      services: [s1.svc, s2.svc, s3.svc, s4.svc], endpoints: [s1.eps, s2.eps, s3.eps, s4.eps],
      ingresses: [
        makeIngress({ name: 'app', rules: [{ host: 'app.test', paths: [{ path: '/', service: 'app' }] }] }),
        makeIngress({ name: 'canary', annotations: { [`${A}canary`]: 'true', [`${A}canary-weight`]: '30', [`${A}canary-by-header`]: 'X-Canary' },
          rules: [{ host: 'app.test', paths: [{ path: '/', service: 'canary' }] }] }),
        makeIngress({ name: 'rw', annotations: { [`${A}rewrite-target`]: '/$2', [`${A}use-regex`]: 'true' },
          rules: [{ host: 'rw.test', paths: [{ path: '/api(/|$)(.*)', type: 'ImplementationSpecific', service: 'app' }] }] }),
        makeIngress({ name: 'small', annotations: { [`${A}proxy-body-size`]: '100' },
          rules: [{ host: 'small.test', paths: [{ path: '/', service: 'app' }] }] }),
        makeIngress({ name: 'limited', annotations: { [`${A}limit-rps`]: '5', [`${A}limit-burst-multiplier`]: '1' },
          rules: [{ host: 'limited.test', paths: [{ path: '/', service: 'app' }] }] }),
        makeIngress({ name: 'sticky', annotations: { [`${A}affinity`]: 'cookie' },
          rules: [{ host: 'sticky.test', paths: [{ path: '/', service: 'sticky' }] }] }),
        makeIngress({ name: 'cors', annotations: { [`${A}enable-cors`]: 'true', [`${A}cors-allow-origin`]: 'https://ok.example' },
          rules: [{ host: 'cors.test', paths: [{ path: '/', service: 'app' }] }] }),
        makeIngress({ name: 'force', annotations: { [`${A}force-ssl-redirect`]: 'true' },
          rules: [{ host: 'force.test', paths: [{ path: '/', service: 'app' }] }] }),
        makeIngress({ name: 'empty', rules: [{ host: 'empty.test', paths: [{ path: '/', service: 'empty' }] }] }),
      ],
    };
    proxy = await proxyFor(world);
  });
  after(async () => {
    await proxy.close();
    await Promise.all(echoes.map((e) => e.close()));
  });

  it('balances round-robin across ready endpoints and sets forwarding headers', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await get(proxy.httpPort, '/x', { host: 'app.test', headers: { 'x-canary': 'never', 'x-request-id': 'abc-123', connection: 'keep-alive, x-secret', 'x-secret': 's' } });
      assert.equal(r.status, 200);
      names.add(r.json?.name ?? '');
      assert.equal(r.json?.headers['x-request-id'], 'abc-123');
      assert.equal(r.json?.headers['x-forwarded-host'], 'app.test');
      assert.equal(r.json?.headers['x-forwarded-proto'], 'http');
      assert.equal(r.json?.headers['x-real-ip'], '127.0.0.1');
      assert.equal(r.json?.headers['x-secret'], undefined, 'a header listed in Connection is hop-by-hop');
    }
    assert.deepEqual([...names].sort(), ['app-1', 'app-2']);
  });

  it('generates an X-Request-ID when the client sent an invalid one', async () => {
    const r = await get(proxy.httpPort, '/x', { host: 'app.test', headers: { 'x-canary': 'never', 'x-request-id': 'bad id!' } });
    assert.match(String(r.json?.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('canary weight 30% holds within ±5% over 2,000 requests; canary-by-header always wins', async () => {
    let canary = 0;
    const batch = 50;
    for (let i = 0; i < 2000; i += batch) {
      const rs = await Promise.all(Array.from({ length: batch }, () => get(proxy.httpPort, '/', { host: 'app.test' })));
      canary += rs.filter((r) => r.json?.name === 'canary-1').length;
    }
    const share = canary / 2000;
    assert.ok(share > 0.25 && share < 0.35, `canary share ${share}`);
    const always = await get(proxy.httpPort, '/', { host: 'app.test', headers: { 'x-canary': 'always' } });
    assert.equal(always.json?.name, 'canary-1');
  });

  it('rewrite-target forwards the rewritten path', async () => {
    const r = await get(proxy.httpPort, '/api/v1/items?q=1', { host: 'rw.test' });
    assert.equal(r.json?.url, '/v1/items?q=1');
  });

  it('proxy-body-size: 413 by Content-Length and by counted chunked bytes; small bodies pass', async () => {
    const big = await get(proxy.httpPort, '/', { host: 'small.test', method: 'POST', body: 'x'.repeat(101), agent: undefined });
    assert.equal(big.status, 413);
    const ok = await get(proxy.httpPort, '/', { host: 'small.test', method: 'POST', body: 'hello' });
    assert.equal(ok.json?.body, 'hello');
    const chunked = await rawRequest(proxy.httpPort,
      `POST / HTTP/1.1\r\nHost: small.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n64\r\n${'y'.repeat(100)}\r\n64\r\n${'y'.repeat(100)}\r\n0\r\n\r\n`);
    assert.match(chunked, /^HTTP\/1\.1 413/);
  });

  it('header limit: over 16 KiB of headers → 431', async () => {
    const res = await rawRequest(proxy.httpPort, `GET / HTTP/1.1\r\nHost: app.test\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    assert.match(res, /^HTTP\/1\.1 431/);
  });

  it('limit-rps: a burst over the limit gets 503', async () => {
    const rs = await Promise.all(Array.from({ length: 12 }, () => get(proxy.httpPort, '/', { host: 'limited.test' })));
    const statuses = rs.map((r) => r.status);
    assert.ok(statuses.filter((s) => s === 503).length >= 5, statuses.join(','));
    assert.ok(statuses.filter((s) => s === 200).length >= 1, statuses.join(','));
  });

  it('affinity cookie: sticks to one endpoint, re-picks when it is gone', async () => {
    const first = await get(proxy.httpPort, '/', { host: 'sticky.test' });
    const cookie = String(first.headers['set-cookie']?.[0] ?? '');
    assert.match(cookie, /^INGRESSCOOKIE=[0-9a-f]+; Path=\//);
    const pair = cookie.split(';')[0] ?? '';
    for (let i = 0; i < 5; i++) {
      const r = await get(proxy.httpPort, '/', { host: 'sticky.test', headers: { cookie: pair } });
      assert.equal(r.json?.name, first.json?.name);
      assert.equal(r.headers['set-cookie'], undefined);
    }
    const remaining = echoes.filter((e) => e.name.startsWith('s-') && e.name !== first.json?.name);
    const s = serviceFor('sticky', remaining);
    proxy.setTable(tableOf({ ...world, endpoints: world.endpoints.map((e) => (e.metadata.name === 'sticky' ? s.eps : e)) }).table);
    const moved = await get(proxy.httpPort, '/', { host: 'sticky.test', headers: { cookie: pair } });
    assert.notEqual(moved.json?.name, first.json?.name);
    assert.match(String(moved.headers['set-cookie']?.[0]), /^INGRESSCOOKIE=/);
    proxy.setTable(tableOf(world).table);
  });

  it('enable-cors: answers preflights itself and adds headers to responses', async () => {
    const pre = await get(proxy.httpPort, '/', { host: 'cors.test', method: 'OPTIONS', headers: { origin: 'https://ok.example', 'access-control-request-method': 'PUT' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://ok.example');
    assert.ok(String(pre.headers['access-control-allow-methods']).includes('PUT'));
    const r = await get(proxy.httpPort, '/', { host: 'cors.test', headers: { origin: 'https://ok.example' } });
    assert.equal(r.headers['access-control-allow-origin'], 'https://ok.example');
    const other = await get(proxy.httpPort, '/', { host: 'cors.test', headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  it('force-ssl-redirect answers 308 to https on the HTTPS port', async () => {
    const r = await get(proxy.httpPort, '/a/../b?x=1', { host: 'force.test' });
    assert.equal(r.status, 308);
    assert.equal(r.headers.location, `https://force.test:${proxy.httpsPort}/b?x=1`);
  });

  it('503 when the route has no endpoints; 404 default backend for unknown hosts', async () => {
    assert.equal((await get(proxy.httpPort, '/', { host: 'empty.test' })).status, 503);
    const nf = await get(proxy.httpPort, '/', { host: 'nowhere.test' });
    assert.equal(nf.status, 404);
    assert.equal(nf.text, 'default backend - 404\n');
  });
});

describe('proxy: upstream failures', () => {
  it('retries an idempotent request on another endpoint when one refuses; ejects it; 502 when all fail', async () => {
    const live = await startEcho('live');
    const deadIp = loopback();
    const s = serviceFor('mixed', [live]);
    s.eps.subsets = [{ addresses: [{ ip: live.ip }, { ip: deadIp }], ports: [{ name: 'http', port: live.port }] }];
    const dead = serviceFor('dead', [{ ...live, ip: loopback() }]);
    const proxy = await proxyFor({
      services: [s.svc, dead.svc], endpoints: [s.eps, dead.eps],
      ingresses: [makeIngress({ name: 'm', rules: [{ host: 'm.test', paths: [{ path: '/', service: 'mixed' }] }, { host: 'd.test', paths: [{ path: '/', service: 'dead' }] }] })],
    });
    try {
      for (let i = 0; i < 10; i++) assert.equal((await get(proxy.httpPort, '/', { host: 'm.test' })).json?.name, 'live');
      assert.equal((await get(proxy.httpPort, '/', { host: 'd.test' })).status, 502);
      const post = await get(proxy.httpPort, '/', { host: 'd.test', method: 'POST', body: 'x' });
      assert.equal(post.status, 502);
    } finally {
      await proxy.close();
      await live.close();
    }
  });

  it('read timeout → 504', async () => {
    const slow = createServer(() => undefined);
    const ip = loopback();
    await new Promise<void>((r) => slow.listen(0, ip, () => r()));
    const s = serviceFor('slow', [{ ip, port: (slow.address() as AddressInfo).port } as Echo]);
    const proxy = await proxyFor({
      services: [s.svc], endpoints: [s.eps],
      ingresses: [makeIngress({ name: 's', annotations: { [`${A}proxy-read-timeout`]: '1' }, rules: [{ host: 's.test', paths: [{ path: '/', service: 'slow' }] }] })],
    });
    try {
      assert.equal((await get(proxy.httpPort, '/', { host: 's.test', method: 'POST', body: 'x' })).status, 504);
    } finally {
      await proxy.close();
      slow.closeAllConnections();
      slow.close();
    }
  });
});

describe('proxy: TLS', () => {
  it('chooses the certificate by SNI (exact and wildcard), redirects plain HTTP, reloads on a Secret change', async () => {
    const e = await startEcho('tls-app');
    const s = serviceFor('app', [e]);
    const exact = await selfSigned('secure.test', ['secure.test']);
    const wild = await selfSigned('wild', ['*.wild.test']);
    const ing = makeIngress({ name: 't', rules: [{ host: 'secure.test', paths: [{ path: '/', service: 'app' }] }, { host: 'a.wild.test', paths: [{ path: '/', service: 'app' }] }],
      tls: [{ hosts: ['secure.test'], secretName: 'exact' }, { hosts: ['*.wild.test'], secretName: 'wild' }] });
    const w: World = { services: [s.svc], endpoints: [s.eps], ingresses: [ing], secrets: [tlsSecret('exact', exact), tlsSecret('wild', wild)] };
    assert.deepEqual(tableOf(w).problems, []);
    const proxy = await proxyFor(w);
    try {
      const r = await httpsGet(proxy.httpsPort, 'secure.test', exact.cert);
      assert.equal(r.status, 200);
      assert.equal(r.body.name, 'tls-app');
      assert.equal(r.body.headers['x-forwarded-proto'], 'https');
      assert.equal((await httpsGet(proxy.httpsPort, 'a.wild.test', wild.cert)).status, 200);
      const redirect = await get(proxy.httpPort, '/p', { host: 'secure.test' });
      assert.equal(redirect.status, 308);
      assert.equal(redirect.headers.location, `https://secure.test:${proxy.httpsPort}/p`);
      const next = await selfSigned('secure.test', ['secure.test']);
      proxy.setTable(tableOf({ ...w, secrets: [tlsSecret('exact', next), tlsSecret('wild', wild)] }).table);
      assert.equal(await peerCert(proxy.httpsPort, 'secure.test'), new (await import('node:crypto')).X509Certificate(next.cert).fingerprint256);
    } finally {
      await proxy.close();
      await e.close();
    }
  });
});

function httpsGet(port: number, host: string, ca: string): Promise<{ status: number; body: { name: string; headers: Record<string, string> } }> {
  return new Promise((resolve, reject) => {
    const r = httpsRequest({ host: '127.0.0.1', port, servername: host, path: '/', headers: { host }, ca, agent: false }, (res) => {
      let t = '';
      res.on('data', (c: Buffer) => { t += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(t) as { name: string; headers: Record<string, string> } }));
    });
    r.on('error', reject);
    r.end();
  });
}

function peerCert(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      resolve(s.getPeerX509Certificate()?.fingerprint256 ?? '');
      s.end();
    });
    s.on('error', reject);
  });
}
