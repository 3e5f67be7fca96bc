import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSchema, KindRegistry, kindFromCRD, registerBuiltins, validateCRD } from '../../../core/api/index.js';
import type { CustomResourceDefinition, JSONSchemaProps, KubeObject } from '../../../core/api/index.js';

const widgetSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'large'] },
        replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
        name: { type: 'string', minLength: 2, maxLength: 8, pattern: '^[a-z]+$' },
        ratio: { type: 'number' },
        enabled: { type: 'boolean' },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2, minItems: 1 },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        note: { type: 'string', nullable: true },
        when: { type: 'string', format: 'date-time' },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
  },
};

function makeCRD(): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: widgetSchema },
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          additionalPrinterColumns: [{ name: 'Size', type: 'string', jsonPath: '.spec.size' }, { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
        },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
}

const widget = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec });

describe('kindFromCRD', () => {
  const kinds = kindFromCRD(makeCRD());
  const v1 = kinds[0];
  test('one KindInfo per served version', () => {
    assert.deepEqual(kinds.map((k) => k.version), ['v1', 'v1beta1']);
  });
  test('names, scope, subresources, printer columns', () => {
    assert.ok(v1);
    assert.equal(v1.plural, 'widgets');
    assert.equal(v1.listKind, 'WidgetList');
    assert.deepEqual(v1.shortNames, ['wd']);
    assert.equal(v1.namespaced, true);
    assert.equal(v1.custom, true);
    assert.deepEqual(v1.subresources, { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' } });
    assert.deepEqual(v1.printerColumns?.map((c) => [c.name, c.type, c.jsonPath]), [['Size', 'string', '.spec.size'], ['Age', 'date', '.metadata.creationTimestamp']]);
  });
  test('registered CRD kinds resolve by short name and plural.group, built-ins win', () => {
    const r = new KindRegistry();
    registerBuiltins(r);
    for (const k of kinds) r.register(k);
    assert.equal(r.resolve('wd')?.kind, 'Widget');
    assert.equal(r.resolve('widgets.example.com')?.version, 'v1');
    assert.equal(r.resolve('pods')?.group, '');
  });
  test('defaults come from the schema', () => {
    const w = widget({ size: 'small' });
    v1?.defaults?.(w);
    assert.deepEqual(w.spec, { size: 'small', replicas: 1 });
  });
  test('defaulting prunes nulls of non-nullable fields (and defaults them), keeps nullable nulls', () => {
    const w = widget({ size: 'small', replicas: null, ratio: null, note: null });
    v1?.defaults?.(w);
    assert.deepEqual(w.spec, { size: 'small', replicas: 1, note: null });
  });
  test('required is not enforced in built-in decode mode, but is by default', () => {
    const schema: JSONSchemaProps = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
    assert.equal(checkSchema({}, schema).errors.length, 1);
    assert.equal(checkSchema({}, schema, { nullAsUnset: true }).errors.length, 0);
    assert.equal(checkSchema({}, schema, { nullAsUnset: true, enforceRequired: true }).errors.length, 1);
  });

  const cases: { description: string; spec: Record<string, unknown>; want: [field: string, type: string][] }[] = [
    { description: 'valid', spec: { size: 'large', replicas: 3, name: 'abc', ratio: 0.5, enabled: true, port: 'http', tags: ['a'], labels: { a: 'b' }, raw: { x: { y: 1 } }, note: null }, want: [] },
    { description: 'required', spec: {}, want: [['spec.size', 'FieldValueRequired']] },
    { description: 'enum', spec: { size: 'medium' }, want: [['spec.size', 'FieldValueNotSupported']] },
    { description: 'integer type', spec: { size: 'small', replicas: 'three' }, want: [['spec.replicas', 'FieldValueTypeInvalid']] },
    { description: 'maximum', spec: { size: 'small', replicas: 11 }, want: [['spec.replicas', 'FieldValueInvalid']] },
    { description: 'minimum', spec: { size: 'small', replicas: -1 }, want: [['spec.replicas', 'FieldValueInvalid']] },
    { description: 'pattern', spec: { size: 'small', name: 'ABC' }, want: [['spec.name', 'FieldValueInvalid']] },
    { description: 'minLength', spec: { size: 'small', name: 'a' }, want: [['spec.name', 'FieldValueInvalid']] },
    { description: 'maxLength', spec: { size: 'small', name: 'abcdefghi' }, want: [['spec.name', 'FieldValueTooLong']] },
    { description: 'boolean type', spec: { size: 'small', enabled: 'yes' }, want: [['spec.enabled', 'FieldValueTypeInvalid']] },
    { description: 'int-or-string rejects floats', spec: { size: 'small', port: 1.5 }, want: [['spec.port', 'FieldValueTypeInvalid']] },
    { description: 'maxItems', spec: { size: 'small', tags: ['a', 'b', 'c'] }, want: [['spec.tags', 'FieldValueTooMany']] },
    { description: 'minItems', spec: { size: 'small', tags: [] }, want: [['spec.tags', 'FieldValueInvalid']] },
    { description: 'item type', spec: { size: 'small', tags: [1] }, want: [['spec.tags[0]', 'FieldValueTypeInvalid']] },
    { description: 'additionalProperties type', spec: { size: 'small', labels: { a: 1 } }, want: [['spec.labels[a]', 'FieldValueTypeInvalid']] },
    { description: 'null on a non-nullable field counts as unset', spec: { size: 'small', ratio: null }, want: [] },
    { description: 'date-time format', spec: { size: 'small', when: 'yesterday' }, want: [['spec.when', 'FieldValueInvalid']] },
    { description: 'date-time format ok', spec: { size: 'small', when: '2024-05-01T10:00:00Z' }, want: [] },
  ];
  for (const c of cases) {
    test(`validate: ${c.description}`, () => {
      const errs = v1?.validate?.(widget(c.spec)) ?? [];
      assert.deepEqual(errs.map((e) => [e.field, e.type]), c.want, JSON.stringify(errs));
    });
  }
  test('enum message is Kubernetes-like', () => {
    const errs = v1?.validate?.(widget({ size: 'medium' })) ?? [];
    assert.equal(errs[0]?.message, 'Unsupported value: "medium": supported values: "small", "large"');
  });
  test('metadata is validated too', () => {
    const w = widget({ size: 'small' });
    w.metadata.name = 'Bad_Name';
    assert.deepEqual((v1?.validate?.(w) ?? []).map((e) => e.field), ['metadata.name']);
  });
  test('unknown fields are reported (apiVersion, kind, metadata always allowed)', () => {
    const w = { ...widget({ size: 'small', colour: 'red' }), extra: 1 };
    assert.deepEqual(checkSchema(w, v1?.schema ?? {}, { allowObjectRoot: true }).unknownFields.sort(), ['extra', 'spec.colour']);
  });
  test('a preserve-unknown-fields version accepts anything', () => {
    const w = { ...widget({ anything: [1, 2] }), apiVersion: 'example.com/v1beta1' };
    assert.deepEqual(kinds[1]?.validate?.(w), []);
    assert.deepEqual(checkSchema(w, kinds[1]?.schema ?? {}).unknownFields, []);
  });
});

describe('validateCRD', () => {
  const cases: { description: string; change: (c: CustomResourceDefinition) => void; want: string[] }[] = [
    { description: 'valid', change: () => {}, want: [] },
    { description: 'group needs a dot', change: (c) => { c.spec.group = 'example'; c.metadata.name = 'widgets.example'; }, want: ['spec.group'] },
    { description: 'name must be plural.group', change: (c) => { c.metadata.name = 'widget.example.com'; }, want: ['metadata.name'] },
    { description: 'exactly one storage version (none)', change: (c) => { for (const v of c.spec.versions) v.storage = false; }, want: ['spec.versions'] },
    { description: 'exactly one storage version (two)', change: (c) => { for (const v of c.spec.versions) v.storage = true; }, want: ['spec.versions'] },
    { description: 'scope', change: (c) => { c.spec.scope = 'Global' as 'Cluster'; }, want: ['spec.scope'] },
    { description: 'plural must be a DNS-1035 label', change: (c) => { c.spec.names.plural = 'Widgets'; c.metadata.name = 'Widgets.example.com'; }, want: ['metadata.name', 'spec.names.plural'] },
    { description: 'kind required', change: (c) => { c.spec.names.kind = ''; }, want: ['spec.names.kind'] },
    { description: 'schema required', change: (c) => { const v = c.spec.versions[0]; if (v) delete v.schema; }, want: ['spec.versions[0].schema.openAPIV3Schema'] },
    {
      description: 'structural: nested types required',
      change: (c) => { const v = c.spec.versions[0]; if (v) v.schema = { openAPIV3Schema: { type: 'object', properties: { spec: { properties: {} } } } }; },
      want: ['spec.versions[0].schema.openAPIV3Schema.properties[spec].type'],
    },
    { description: 'scale paths', change: (c) => { const v = c.spec.versions[0]; if (v?.subresources?.scale) v.subresources.scale.specReplicasPath = '.status.x'; }, want: ['spec.versions[0].subresources.scale.specReplicasPath'] },
    { description: 'printer column type', change: (c) => { const col = c.spec.versions[0]?.additionalPrinterColumns?.[0]; if (col) col.type = 'float'; }, want: ['spec.versions[0].additionalPrinterColumns[0].type'] },
    { description: 'duplicate version names', change: (c) => { const v = c.spec.versions[1]; if (v) v.name = 'v1'; }, want: ['spec.versions[1].name'] },
  ];
  for (const c of cases) {
    test(c.description, () => {
      const crd = makeCRD();
      c.change(crd);
      assert.deepEqual(validateCRD(crd).map((e) => e.field).sort(), c.want.sort(), JSON.stringify(validateCRD(crd)));
    });
  }
  test('group is immutable', () => {
    const old = makeCRD();
    const next = makeCRD();
    next.spec.group = 'example.org';
    next.metadata.name = 'widgets.example.org';
    assert.ok(validateCRD(next, old).some((e) => e.field === 'spec.group' && e.message.includes('immutable')));
  });
});

describe('the CRD kind itself', () => {
  const r = new KindRegistry();
  registerBuiltins(r);
  const info = r.mustResolve('crd');
  test('a CRD manifest has no unknown fields and validates after defaults', () => {
    const crd = makeCRD();
    assert.deepEqual(checkSchema(crd, info.schema, { nullAsUnset: true }), { unknownFields: [], errors: [] });
    info.defaults?.(crd);
    assert.equal(crd.spec.names.listKind, 'WidgetList');
    assert.deepEqual(info.validate?.(crd), []);
  });
  test('a typo in the CRD spec is reported', () => {
    const crd = { ...makeCRD(), spec: { ...makeCRD().spec, scpoe: 'Cluster' } };
    assert.deepEqual(checkSchema(crd, info.schema, { nullAsUnset: true }).unknownFields, ['spec.scpoe']);
  });
});
