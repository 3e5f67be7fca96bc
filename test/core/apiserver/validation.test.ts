import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, makeDeployment, startServer } from './harness.js';
import type { Harness } from './harness.js';

const deps = '/apis/apps/v1/namespaces/default/deployments';

describe('apiserver validation pipeline', () => {
  let h: Harness;
  before(async () => {
    h = await startServer({ maxBodyBytes: 3 * 1024 * 1024 });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  const badBodies = [
    { description: 'malformed JSON', body: '{"apiVersion": "apps/v1", "kind": ', ct: 'application/json', status: 400 },
    { description: 'JSON array body', body: '[1,2]', ct: 'application/json', status: 400 },
    { description: 'empty body', body: '', ct: 'application/json', status: 400 },
    { description: 'wrong type for spec.replicas', body: JSON.stringify({ ...makeDeployment('t'), spec: { replicas: 'three' } }), ct: 'application/json', status: 400 },
    { description: 'deep nesting', body: '['.repeat(5000) + ']'.repeat(5000), ct: 'application/json', status: 400 },
  ];
  for (const c of badBodies) {
    test(`${c.description} → ${c.status}`, async () => {
      const r = await h.req('POST', deps, c.body, { 'Content-Type': c.ct });
      assert.equal(r.status, c.status, r.text);
      assert.equal(r.body.kind, 'Status');
      assert.equal(r.body.reason, 'BadRequest');
    });
  }

  test('type error message names the field', async () => {
    const r = await h.req('POST', deps, { ...makeDeployment('t'), spec: { ...(makeDeployment('t').spec as object), replicas: 'three' } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /spec\.replicas/);
  });

  test('malformed YAML apply patch → 400', async () => {
    const r = await h.req('PATCH', `${deps}/y?fieldManager=me`, 'a: [b\n  c: :', { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(r.status, 400, r.text);
  });

  test('body over the limit → 413', async () => {
    const big = JSON.stringify({ ...makeDeployment('big'), metadata: { name: 'big', annotations: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } } });
    const r = await h.req('POST', deps, big);
    assert.equal(r.status, 413);
    assert.equal(r.body.reason, 'RequestEntityTooLarge');
  });

  test('fieldValidation=Strict rejects unknown fields with strict decoding error', async () => {
    const body = makeDeployment('strict');
    (body.spec as Record<string, unknown>).foo = 1;
    const r = await h.req('POST', `${deps}?fieldValidation=Strict`, body);
    assert.equal(r.status, 400, r.text);
    assert.match(r.body.message, /strict decoding error: unknown field "spec\.foo"/);
  });

  test('fieldValidation=Warn (the default) drops the field with a Warning header', async () => {
    const body = makeDeployment('warn');
    (body.spec as Record<string, unknown>).foo = 1;
    const r = await h.req('POST', deps, body);
    assert.equal(r.status, 201, r.text);
    assert.match(String(r.headers.warning), /299 - "unknown field \\"spec\.foo\\""/);
    assert.equal(r.body.spec.foo, undefined);
  });

  test('fieldValidation=Ignore drops silently', async () => {
    const body = makeDeployment('ignore');
    (body.spec as Record<string, unknown>).foo = 1;
    const r = await h.req('POST', `${deps}?fieldValidation=Ignore`, body);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.warning, undefined);
  });

  test('semantic errors → 422 Invalid with field paths', async () => {
    const r = await h.req('POST', deps, makeDeployment('Bad_Name', { replicas: -1 }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.reason, 'Invalid');
    const fields = r.body.details.causes.map((c: { field: string }) => c.field);
    assert.ok(fields.includes('metadata.name'), JSON.stringify(fields));
  });

  test('missing name → 422', async () => {
    const r = await h.req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.details.causes[0].field, 'metadata.name');
  });

  test('generateName creates a unique name', async () => {
    const r = await h.req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.metadata.name, /^cm-.{5}$/);
  });
});
