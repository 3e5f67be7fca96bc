/**
 * Generated upgrade exchanges (path-attack suite): random `Upgrade`/`Connection` headers against random backend
 * answers. Invariant: the client connection becomes a tunnel only on a 101 naming protocols the client offered;
 * after any other answer, the next request on that connection is routed by the table with rewritten forwarding
 * headers (or the connection is closed) and never reaches the upgrade's backend.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { IngressProxy } from '../../ingress/index.js';
import { makeIngress } from './fixtures.js';
import { loopback, proxyFor, serviceFor, startEcho, type Echo, type EchoSeen } from './proxy-support.js';
import { RawConn } from './raw-conn.js';
import { mulberry32, pick } from './random.js';

const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? 0x5eed22);
const CASES = 60;

const PROTOCOLS = ['websocket', 'WebSocket', 'h2c', 'foo/1.1', 'websocket, h2c', 'x-custom', ''];
const CONNECTIONS = ['Upgrade', 'keep-alive, Upgrade', 'upgrade', 'Upgrade, close', 'Upgrade, X-Secret'];
/** Backend answers; `{up}` becomes a protocol drawn independently of the client's. */
const ANSWERS = [
  'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nchunk\r\n0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil-close',
  'HTTP/1.1 204 No Content\r\n\r\n',
  'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
  'HTTP/1.1 426 Upgrade Required\r\nUpgrade: {up}\r\nConnection: Upgrade\r\nContent-Length: 3\r\n\r\nno!',
  'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: {up}\r\n\r\nTUNNEL',
  'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: {up}\r\n\r\nTUNNEL',
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: {up}\r\nConnection: Upgrade\r\nX-Extra: 1\r\n\r\n',
  'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\nTUNNEL',
  'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom',
];

/** The test's own reading of RFC 9110 §7.8: every protocol the 101 names is one the client offered. */
function agreed(asked: string, answered: string | undefined): boolean {
  const list = (v: string): string[] => v.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
  const chosen = list(answered ?? '');
  return chosen.length > 0 && chosen.every((p) => list(asked).includes(p));
}

describe('proxy: generated upgrade exchanges', () => {
  let proxy: IngressProxy;
  let admin: Echo;
  let raw: NetServer;
  const answers = new Map<string, string>();
  const tunnelled = new Set<string>();
  before(async () => {
    admin = await startEcho('admin');
    const ip = loopback();
    raw = createNetServer((s) => {
      s.on('error', () => undefined);
      let buf = '';
      let id: string | undefined;
      s.on('data', (c: Buffer) => {
        if (id !== undefined) { tunnelled.add(id); s.write(c); return; } // a tunnel echoes
        buf += c.toString('latin1');
        if (!buf.includes('\r\n\r\n')) return;
        id = /^\w+ \/gen\/(\d+)/.exec(buf)?.[1] ?? '';
        const a = answers.get(id) ?? 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n';
        if (a.includes('Connection: close')) s.end(a); else s.write(a);
      });
    });
    await new Promise<void>((r) => raw.listen(0, ip, () => r()));
    const g = serviceFor('gen', [{ ip, port: (raw.address() as AddressInfo).port } as Echo]);
    const a = serviceFor('admin', [admin]);
    proxy = await proxyFor({
      services: [g.svc, a.svc], endpoints: [g.eps, a.eps],
      ingresses: [makeIngress({
        name: 'gen', annotations: { 'nginx.ingress.kubernetes.io/proxy-read-timeout': '1' },
        rules: [{ host: 'gen.test', paths: [{ path: '/gen', service: 'gen' }, { path: '/admin', service: 'admin' }] }],
      })],
    });
  });
  after(async () => {
    await proxy.close();
    await admin.close();
    raw.close();
  });

  it(`${CASES} cases (seed ${SEED}): tunnels only on an agreed 101, otherwise the connection stays routed`, async () => {
    const rand = mulberry32(SEED);
    let tunnels = 0;
    let routed = 0;
    for (let i = 0; i < CASES; i++) {
      const asked = pick(rand, PROTOCOLS);
      const connection = pick(rand, CONNECTIONS);
      const offered = pick(rand, PROTOCOLS);
      const answer = pick(rand, ANSWERS).replace('{up}', offered);
      answers.set(String(i), answer);
      const answered = /\r\nUpgrade: ([^\r]*)/.exec(answer)?.[1];
      const label = `case ${i}: Upgrade "${asked}", Connection "${connection}", backend ${JSON.stringify(answer.slice(0, 60))}`;
      const c = await RawConn.open(proxy.httpPort);
      try {
        c.send(`GET /gen/${i} HTTP/1.1\r\nHost: gen.test\r\nConnection: ${connection}\r\nUpgrade: ${asked}\r\n\r\n`);
        const first = await c.response();
        assert.ok(first !== undefined, `${label}: no answer`);
        if (first.status === 101) {
          assert.match(answer, /^HTTP\/1\.1 101/, `${label}: 101 the backend never sent`);
          assert.ok(agreed(asked, answered), `${label}: tunnel for a protocol the client did not offer`);
          c.send('PING');
          const echoed = await c.read(answer.endsWith('TUNNEL') ? 10 : 4);
          assert.ok(echoed?.endsWith('PING'), `${label}: tunnel does not carry bytes`);
          tunnels++;
          continue;
        }
        if (/^HTTP\/1\.1 101/.test(answer) && agreed(asked, answered)) {
          assert.fail(`${label}: agreed 101 answered ${first.status}`);
        }
        c.send('GET /admin/next HTTP/1.1\r\nHost: gen.test\r\nX-Real-IP: 6.6.6.6\r\n\r\n');
        const next = await c.response();
        if (next === undefined) {
          assert.ok(c.closed, `${label}: connection neither closed nor answered`);
          continue;
        }
        const s = JSON.parse(next.body) as EchoSeen;
        assert.equal(s.name, 'admin', label);
        assert.equal(s.headers['x-real-ip'], '127.0.0.1', label);
        assert.ok(!tunnelled.has(String(i)), `${label}: bytes reached the upgrade's backend`);
        routed++;
      } finally {
        c.close();
      }
    }
    assert.ok(tunnels > 0 && routed > 0, `cases cover both outcomes (${tunnels} tunnels, ${routed} routed)`);
  });
});
