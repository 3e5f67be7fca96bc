/**
 * Durability and concurrency of acknowledged writes through `skiff up` on sqlite:
 * SIGKILL loses no acknowledged write; read-modify-write under resourceVersion loses no update.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawApi } from '../support/api.js';
import { startSkiff, tempDir } from '../support/skiff.js';

describe('durability', () => {
  it('every write acknowledged before a SIGKILL is there after a restart', async () => {
    const dataDir = tempDir();
    const s1 = await startSkiff({ dataDir });
    const api = rawApi(s1.kubeconfig, { maxSockets: 32 });
    const acked: string[] = [];
    let next = 0;
    let stop = false;
    const writer = async (): Promise<void> => {
      while (!stop) {
        const name = `cm-${next++}`;
        try {
          const r = await api.call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } });
          if (r.status === 201) acked.push(name);
          else assert.fail(`unexpected ${r.status}: ${r.body}`);
        } catch {
          return; // the server died under us: unacknowledged writes may go either way
        }
      }
    };
    const writers = Array.from({ length: 16 }, writer);
    while (acked.length < 1000) await new Promise((r) => setTimeout(r, 5));
    s1.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await s1.stop();
    api.close();
    assert.ok(acked.length >= 1000);

    const s2 = await startSkiff({ dataDir });
    try {
      const api2 = rawApi(s2.kubeconfig);
      const list = await api2.call('GET', '/api/v1/namespaces/default/configmaps');
      assert.equal(list.status, 200);
      const names = new Set(list.json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name));
      const missing = acked.filter((n) => !names.has(n));
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes lost`);
      api2.close();
    } finally {
      await s2.stop();
    }
  });

  it('20 clients incrementing one counter under resourceVersion lose no update', async () => {
    const s = await startSkiff();
    const api = rawApi(s.kubeconfig, { maxSockets: 40 });
    try {
      const path = '/api/v1/namespaces/default/configmaps/counter';
      const created = await api.call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter' }, data: { n: '0' } });
      assert.equal(created.status, 201);
      let ok = 0;
      let conflicts = 0;
      const client = async (): Promise<void> => {
        for (let i = 0; i < 25; i++) {
          const cur = (await api.call('GET', path)).json<{ data: { n: string }; metadata: { resourceVersion: string } }>();
          const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter', resourceVersion: cur.metadata.resourceVersion }, data: { n: String(Number(cur.data.n) + 1) } };
          const r = await api.call('PUT', path, body);
          if (r.status === 200) ok++;
          else if (r.status === 409) conflicts++;
          else assert.fail(`unexpected ${r.status}: ${r.body}`);
        }
      };
      await Promise.all(Array.from({ length: 20 }, client));
      const final = (await api.call('GET', path)).json<{ data: { n: string } }>();
      assert.equal(Number(final.data.n), ok, `final counter ${final.data.n} != ${ok} acknowledged updates`);
      assert.equal(ok + conflicts, 500);
      assert.ok(conflicts > 0, 'with 20 concurrent writers some updates must conflict');
    } finally {
      api.close();
      await s.stop();
    }
  });
});
