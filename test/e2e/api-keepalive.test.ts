/**
 * Acceptance (issue 22, item 5): back-to-back ~20 KB writes on one kept-alive HTTPS connection are
 * all answered — the API server never drops the connection between or during them. The server runs
 * as `skiff up` in its own process, so a client's next request can reach it while the previous
 * response is still draining (the race that dropped connections), both from a raw keep-alive
 * client and from the machine's kubectl.
 */
import assert from 'node:assert/strict';
import { rmSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlFor, readKubeconfigToken, startSkiff, type RunningSkiff } from '../support/skiff.js';

const big = (seed: string): string => `${seed}-${'x'.repeat(20_000)}`;

describe('large writes on kept-alive connections', () => {
  let skiff: RunningSkiff;

  before(async () => {
    skiff = await startSkiff();
  });
  after(async () => {
    await skiff?.stop();
    if (skiff) rmSync(skiff.dataDir, { recursive: true, force: true });
  });

  it('answers 200 back-to-back 20 KB creates and server-side applies on one connection, all 2xx', async () => {
    const ca = readFileSync(join(skiff.dataDir, 'pki', 'ca.crt'));
    const token = readKubeconfigToken(skiff.kubeconfig);
    const { port } = new URL(skiff.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<Socket>();
    const send = (method: string, path: string, body: string, contentType: string): Promise<string> =>
      new Promise((resolve) => {
        const r = request({
          host: '127.0.0.1', port: Number(port), method, path, agent, ca,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
        }, (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
          res.on('error', (e) => resolve(`response error ${e.message}`));
        });
        r.on('socket', (s: Socket) => sockets.add(s));
        r.on('error', (e: NodeJS.ErrnoException) => resolve(`request error ${e.code ?? e.message}`));
        r.end(body);
      });
    const outcomes: string[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `ka-${i}`, namespace: 'default' }, data: { big: big(String(i)) } };
        outcomes.push(i % 2
          ? await send('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify(cm), 'application/json')
          : await send('PATCH', `/api/v1/namespaces/default/configmaps/ka-${i}?fieldManager=ka-test&force=true`, JSON.stringify(cm), 'application/apply-patch+yaml'));
      }
    } finally {
      agent.destroy();
    }
    const bad = outcomes.map((o, i) => `${i}: ${o}`).filter((o) => !/: 20[01]$/.test(o));
    assert.deepEqual(bad, [], 'every write answered 2xx');
    assert.equal(sockets.size, 1, 'all 200 writes travelled on one kept-alive connection');
  });

  it('kubectl apply --server-side of eight 20 KB ConfigMaps succeeds in every round', async () => {
    const kubectl = kubectlFor(skiff);
    for (let round = 0; round < 4; round++) {
      const docs = Array.from({ length: 8 }, (_, i) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-${i}\n  namespace: default\ndata:\n  big: "${big(`r${round}`)}"\n`).join('---\n');
      const r = await kubectl(['apply', '--server-side', '-f', '-'], { input: docs });
      assert.equal(r.code, 0, `round ${round}: ${r.stderr}`);
      assert.equal(r.stdout.trim().split('\n').length, 8, `round ${round}: every ConfigMap applied:\n${r.stdout}`);
    }
    const got = await kubectl(['get', 'configmap', 'ssa-7', '-o', 'jsonpath={.data.big}']);
    assert.equal(got.stdout, big('r3'));
    assert.doesNotMatch(skiff.output(), /request failed/);
  });
});
