/**
 * A watcher that never reads (issue 22, item 7): its connection is ended once the server has a
 * bounded number of bytes buffered for it, while a normal watcher receives every event; the
 * `skiff_apiserver_watch_buffer_peak_bytes` and `apiserver_terminated_watchers_total` metrics show
 * the bound held. skiff's own client sees such an end as the normal end of a watch and re-watches
 * from the last resourceVersion it read, losing nothing.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { KubeClient } from '../../../core/client/index.js';
import { eventually } from '../../support/skiff.js';
import { createNamespace, startServer, token } from './harness.js';
import type { Harness } from './harness.js';

const bound = 2 * 1024 * 1024;
const writes = 2000;
const payload = 'v'.repeat(20_000);
const configMaps = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };

async function metric(registry: Registry, name: string): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

/** Opens a raw TLS connection, sends a watch request and stops reading at once. */
async function stalledWatch(h: Harness, path: string): Promise<TLSSocket> {
  const sock = connect({ host: '127.0.0.1', port: h.port, ca: h.pki.caCert, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => {
    sock.once('secureConnect', () => resolve());
    sock.once('error', reject);
  });
  sock.pause();
  sock.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  return sock;
}

describe('watch buffer bound', () => {
  let h: Harness;
  const metrics = new Registry();

  before(async () => {
    h = await startServer({ maxWatchBufferBytes: bound, metrics });
    await createNamespace(h, 'default');
  });
  after(async () => {
    await h?.close();
  });

  test(`a watcher that never reads is ended with its buffer bounded while ${writes} writes happen; a normal watcher gets every event`, async () => {
    const start = (await h.req('GET', '/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion as string;
    const watchPath = `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`;
    const slow = await stalledWatch(h, watchPath);
    const normal = await h.stream(watchPath);
    for (let i = 0; i < writes; i++) {
      const r = await h.req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { payload } });
      assert.equal(r.status, 201, r.text);
    }
    await normal.waitFor(writes, 60_000);
    assert.deepEqual(normal.events.map((e: { object: { metadata: { name: string } } }) => e.object.metadata.name), Array.from({ length: writes }, (_, i) => `cm-${i}`));
    normal.close();

    await eventually(async () => (await metric(metrics, 'apiserver_terminated_watchers_total')) === 1, { what: 'the stalled watcher to be closed' });
    const peak = await metric(metrics, 'skiff_apiserver_watch_buffer_peak_bytes');
    assert.ok(peak > bound, `the stalled watcher filled its buffer (${peak} bytes)`);
    assert.ok(peak <= bound + 64 * 1024, `buffered at most the bound plus one event, saw ${peak} bytes`);

    // Reading again, the stalled client gets what was buffered, then the end of the response.
    let received = '';
    slow.setEncoding('utf8');
    slow.on('data', (d: string) => (received += d));
    let closed = false;
    slow.on('close', () => (closed = true));
    slow.resume();
    await eventually(() => closed || received.endsWith('\r\n0\r\n\r\n'), { timeoutMs: 30_000, what: 'the stalled watch to end' });
    const seen = (received.match(/"type":"ADDED"/g) ?? []).length;
    assert.ok(seen > 0 && seen < writes, `the stalled client got a prefix of the events (${seen} of ${writes})`);
    slow.destroy();
  });

  test("skiff's client sees the end as a normal end of the watch and re-watches from its last resourceVersion", async () => {
    const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
    try {
      const start = (await h.req('GET', '/api/v1/namespaces/default/configmaps?limit=1')).body.metadata.resourceVersion as string;
      const ac = new AbortController();
      const stream = await client.watch(configMaps, { namespace: 'default', resourceVersion: start, signal: ac.signal });
      // The watch is established (its response has begun); the client reads nothing for now.
      const iterator = stream[Symbol.asyncIterator]();
      const names = new Set<string>();
      let rv = start;
      const before = await metric(metrics, 'apiserver_terminated_watchers_total');
      const total = 1000;
      const writer = (async () => {
        for (let i = 0; i < total; i++) {
          const r = await h.req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${i}` }, data: { payload } });
          assert.equal(r.status, 201, r.text);
        }
      })();
      await eventually(async () => (await metric(metrics, 'apiserver_terminated_watchers_total')) > before, { timeoutMs: 60_000, what: 'the unread watch to be closed' });
      // Reading resumes: the stream ends without an error…
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        names.add(r.value.object.metadata.name ?? '');
        rv = r.value.object.metadata.resourceVersion ?? rv;
      }
      assert.ok(names.size < total, 'the first watch was cut short');
      await writer;
      // …and a watch from the last resourceVersion read delivers the rest.
      const rest = await client.watch(configMaps, { namespace: 'default', resourceVersion: rv, signal: ac.signal });
      for await (const ev of rest) {
        names.add(ev.object.metadata.name ?? '');
        if (names.size === total) break;
      }
      ac.abort();
      assert.equal(names.size, total);
    } finally {
      client.close();
    }
  });
});
