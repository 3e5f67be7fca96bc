import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../core/api/index.js';
import type { KubeObject } from '../../../core/api/index.js';
import type { AdmissionInfo, AdmissionPlugin } from '../../../core/apiserver/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

interface Call { op: string; name: string; restartPolicy: unknown; old: boolean; info: AdmissionInfo }

describe('mutating admission plugins', () => {
  let h: Harness;
  const calls: Call[] = [];
  const pods = '/api/v1/namespaces/default/pods';
  const record: AdmissionPlugin = {
    name: 'record',
    mutate: async (op, obj, old, info) => {
      if (info.plural !== 'pods') return undefined;
      calls.push({ op, name: obj.metadata.name ?? '', restartPolicy: (obj.spec as Record<string, unknown>).restartPolicy, old: old !== undefined, info });
      return undefined;
    },
  };
  const labeler: AdmissionPlugin = {
    name: 'labeler',
    mutate: async (_op, obj, _old, info) => {
      if (info.plural !== 'pods') return undefined;
      const name = obj.metadata.name ?? '';
      if (name === 'deny') throw new ApiError('Forbidden', 'pods "deny" is forbidden: denied by labeler');
      if (name === 'crash') throw new Error('boom');
      const out: KubeObject = { ...obj, metadata: { ...obj.metadata, labels: { ...(obj.metadata.labels ?? {}), admitted: 'yes' } } };
      if (name === 'invalid') (out.spec as Record<string, unknown>).restartPolicy = 'Sometimes';
      // Removing a defaulted field: defaults run again after a plugin changed the object.
      delete (out.spec as Record<string, unknown>).dnsPolicy;
      return out;
    },
  };
  const pod = (name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'i' }] } });

  before(async () => {
    h = await startServer({ admission: [record, labeler] });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('CREATE runs after defaults and before validation; the result is stored', async () => {
    const r = await h.req('POST', `${pods}?dryRun=All`, pod('a'));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.metadata.labels.admitted, 'yes');
    assert.equal(r.body.spec.dnsPolicy, 'ClusterFirst');
    const c = calls.at(-1);
    assert.deepEqual(c, { op: 'CREATE', name: 'a', restartPolicy: 'Always', old: false, info: { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespace: 'default', dryRun: true } });
    const real = await h.req('POST', pods, pod('a'));
    assert.equal(real.status, 201, real.text);
    assert.equal((await h.req('GET', `${pods}/a`)).body.metadata.labels.admitted, 'yes');
  });

  test('UPDATE (PUT and PATCH) gets the old object; status writes skip the plugins', async () => {
    const live = (await h.req('GET', `${pods}/a`)).body;
    const n = calls.length;
    const put = await h.req('PUT', `${pods}/a`, { ...live, metadata: { ...live.metadata, labels: {} } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.metadata.labels.admitted, 'yes');
    const patch = await h.req('PATCH', `${pods}/a`, { metadata: { annotations: { x: 'y' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patch.status, 200, patch.text);
    assert.deepEqual(calls.slice(n).map((c) => [c.op, c.old]), [['UPDATE', true], ['UPDATE', true]]);
    const st = await h.req('PUT', `${pods}/a/status`, { ...patch.body, status: { phase: 'Running' } });
    assert.equal(st.status, 200, st.text);
    assert.equal(calls.length, n + 2);
  });

  const failures = [
    { description: 'a plugin ApiError is the response', name: 'deny', status: 403 },
    { description: 'another plugin error is a 500 naming the plugin', name: 'crash', status: 500, message: /admission plugin "labeler" failed: boom/ },
    { description: 'validation runs on the mutated object', name: 'invalid', status: 422, message: /restartPolicy/ },
  ];
  for (const c of failures) {
    test(c.description, async () => {
      const r = await h.req('POST', pods, pod(c.name));
      assert.equal(r.status, c.status, r.text);
      if (c.message) assert.match(r.body.message, c.message);
      assert.equal((await h.req('GET', `${pods}/${c.name}`)).status, 404);
    });
  }

  test('other kinds pass through unchanged', async () => {
    const r = await h.req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.metadata.labels, undefined);
  });
});
