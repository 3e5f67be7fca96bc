import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KindRegistry, registerBuiltins } from '../../../core/api/index.js';
import { createApiServer } from '../../../core/apiserver/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [{
      name: 'v1', served: true, storage: true, subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
      additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: { type: 'object', properties: { size: { type: 'integer', minimum: 0 }, color: { type: 'string', default: 'blue' }, replicas: { type: 'integer' } } },
        status: { type: 'object', properties: { replicas: { type: 'integer' } } },
      } } },
    }],
  },
};
const widgets = '/apis/example.com/v1/namespaces/default/widgets';

describe('apiserver CustomResourceDefinitions', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('creating a CRD establishes it and serves its group', async () => {
    const r = await h.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    assert.equal(r.status, 201, r.text);
    const types = r.body.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`);
    assert.deepEqual(types, ['NamesAccepted=True', 'Established=True']);
    const groups = await h.req('GET', '/apis');
    assert.ok(groups.body.groups.some((g: { name: string }) => g.name === 'example.com'));
    const list = await h.req('GET', '/apis/example.com/v1');
    assert.deepEqual(list.body.resources.map((x: { name: string }) => x.name), ['widgets', 'widgets/status', 'widgets/scale']);
    const idx = await h.req('GET', '/openapi/v3');
    assert.ok(idx.body.paths['apis/example.com/v1']);
  });

  test('instances: create with defaults, list, printer columns', async () => {
    const r = await h.req('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.spec.color, 'blue');
    const t = await h.req('GET', widgets, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(t.body.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Size']);
    assert.deepEqual(t.body.rows[0].cells, ['w1', 3]);
    const scale = await h.req('PATCH', `${widgets}/w1/scale`, { spec: { replicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(scale.status, 200, scale.text);
    assert.equal((await h.req('GET', `${widgets}/w1`)).body.spec.replicas, 2);
  });

  const violations = [
    { description: 'wrong type → 422 with the field path', spec: { size: 'big' }, status: 422, field: 'spec.size' },
    { description: 'below the minimum → 422', spec: { size: -1 }, status: 422, field: 'spec.size' },
    { description: 'unknown field with Strict → 400', spec: { size: 1, shape: 'round' }, status: 400, query: '?fieldValidation=Strict' },
  ];
  for (const v of violations) {
    test(`schema violation: ${v.description}`, async () => {
      const r = await h.req('POST', `${widgets}${v.query ?? ''}`, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'bad' }, spec: v.spec });
      assert.equal(r.status, v.status, r.text);
      if (v.field) assert.equal(r.body.details.causes[0].field, v.field);
    });
  }

  test('an invalid CRD is 422', async () => {
    const bad = structuredClone(crd);
    bad.metadata.name = 'wrong.example.com';
    const r = await h.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
    assert.equal(r.status, 422, r.text);
  });

  test('a restarted server re-registers CRDs from the store', async () => {
    const registry = new KindRegistry();
    registerBuiltins(registry);
    const s2 = createApiServer({ store: h.store, registry, token: 't' });
    const port = await s2.listen(0);
    try {
      assert.ok(port > 0);
      assert.ok(registry.all().some((k) => k.kind === 'Widget'));
    } finally {
      await s2.close();
    }
  });

  test('deleting the CRD stops serving its kind', async () => {
    const d = await h.req('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    assert.equal(d.status, 200, d.text);
    assert.equal((await h.req('GET', widgets)).status, 404);
    assert.equal((await h.req('GET', '/apis/example.com/v1')).status, 404);
  });
});
