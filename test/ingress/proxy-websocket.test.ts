/** WebSocket upgrades: routed like requests, piped raw, and untouched by route-table swaps. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import type { EngineName } from '../../ingress/proxy/engine.js';
import { makeIngress } from './fixtures.js';
import { loopback, proxyFor, serviceFor, tableOf, type Echo } from './proxy-support.js';

for (const engine of ['undici', 'http-proxy'] as EngineName[]) describe(`proxy (${engine}): WebSocket`, () => {
  it('stays open and working across table swaps; new connections follow the new table', async () => {
    const ip = loopback();
    const server = createServer();
    const wss = new WebSocketServer({ server });
    const paths: string[] = [];
    wss.on('connection', (ws, req) => {
      paths.push(req.url ?? '');
      ws.on('message', (m: Buffer) => ws.send(`echo:${m.toString()}`));
    });
    await new Promise<void>((r) => server.listen(0, ip, () => r()));
    const s = serviceFor('ws', [{ ip, port: (server.address() as AddressInfo).port } as Echo]);
    const ing = (path: string): ReturnType<typeof makeIngress> =>
      makeIngress({ name: 'ws', rules: [{ host: 'ws.test', paths: [{ path, service: 'ws' }] }] });
    const proxy = await proxyFor({ services: [s.svc], endpoints: [s.eps], ingresses: [ing('/chat')] }, { engine });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${proxy.httpPort}/chat/./room?x=1`, ['chat.v1'], { headers: { host: 'ws.test' } });
      await new Promise<void>((ok, fail) => { ws.once('open', () => ok()); ws.once('error', fail); });
      assert.deepEqual(paths, ['/chat/room?x=1']);
      assert.equal(ws.protocol, 'chat.v1', 'the 101 reaches the client with its headers');
      const next = (): Promise<string> => new Promise((ok) => ws.once('message', (m: Buffer) => ok(m.toString())));
      for (let i = 0; i < 20; i++) {
        proxy.setTable(tableOf({ services: [s.svc], endpoints: [s.eps], ingresses: [ing(i % 2 === 0 ? '/other' : '/chat')] }).table);
        const reply = next();
        ws.send(`m${i}`);
        assert.equal(await reply, `echo:m${i}`);
      }
      assert.equal(ws.readyState, WebSocket.OPEN);
      // A table routing /other only: a new /chat connection is refused with the default backend's 404.
      proxy.setTable(tableOf({ services: [s.svc], endpoints: [s.eps], ingresses: [ing('/other')] }).table);
      const refused = new WebSocket(`ws://127.0.0.1:${proxy.httpPort}/chat`, { headers: { host: 'ws.test' } });
      const status = await new Promise<number>((ok) => refused.once('unexpected-response', (_r, res) => ok(res.statusCode ?? 0)));
      assert.equal(status, 404);
      refused.on('error', () => undefined);
      ws.close();
    } finally {
      await proxy.close();
      wss.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
