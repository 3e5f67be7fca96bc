import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { checkSchema, KindRegistry, parseApiVersion, registerBuiltins, schemas } from '../../../core/api/index.js';
import type { JSONSchemaProps, KubeObject } from '../../../core/api/index.js';
import { deploymentYaml, otherManifestsYaml } from './manifests.js';

/** The Kubernetes documentation's example manifests the e2e tests apply. */
const docsDir = new URL('../../e2e/fixtures/k8s-docs/', import.meta.url);
const docsExamples = readdirSync(docsDir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(new URL(f, docsDir), 'utf8'));

const registry = new KindRegistry();
registerBuiltins(registry);

function schemaFor(obj: KubeObject): JSONSchemaProps {
  const { group, version } = parseApiVersion(obj.apiVersion);
  const info = registry.byKind(group, version, obj.kind);
  assert.ok(info, `no kind ${obj.apiVersion} ${obj.kind}`);
  return info.schema;
}

/** Sets a dotted path (numeric parts index arrays) inside a parsed manifest. */
function setPath(obj: unknown, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  cur[parts[parts.length - 1] ?? ''] = value;
}

/** Walks properties/items to the schema at a dotted path (`spec.template.spec.containers`). */
function schemaAt(root: JSONSchemaProps, path: string): JSONSchemaProps {
  let s: JSONSchemaProps | undefined = root;
  for (const part of path.split('.')) {
    if (s?.type === 'array') s = s.items;
    s = s?.properties?.[part];
    assert.ok(s, `no schema at ${path} (${part})`);
  }
  return s;
}

describe('real-world manifests have no unknown fields', () => {
  const docs = [deploymentYaml, otherManifestsYaml, ...docsExamples].flatMap((y) => parseAllDocuments(y).map((d) => d.toJS() as KubeObject)).filter((d) => d !== null);
  for (const obj of docs) {
    test(`${obj.kind} ${obj.metadata.name ?? ''}`, () => {
      const r = checkSchema(obj, schemaFor(obj), { nullAsUnset: true, enforceRequired: true, checkFormats: true });
      assert.deepEqual(r.unknownFields, []);
      assert.deepEqual(r.errors, []);
    });
  }
  test('every built-in kind is covered by a manifest or is read-only', () => {
    const kinds = new Set(docs.map((d) => d.kind));
    const missing = registry.all().filter((k) => k.verbs.includes('create') && !kinds.has(k.kind)).map((k) => k.kind);
    assert.deepEqual(missing.sort(), ['ControllerRevision', 'CustomResourceDefinition', 'Endpoints', 'Pod', 'ReplicaSet'].sort());
  });
});

describe('unknown fields are reported with full paths', () => {
  const base = parse(deploymentYaml) as KubeObject;
  const cases: { description: string; edit: [path: string, value: unknown][]; want: string[] }[] = [
    { description: 'misspelled container field', edit: [['spec.template.spec.containers.0.imagePullPolice', 'Always']], want: ['spec.template.spec.containers[0].imagePullPolice'] },
    { description: 'misspelled spec field', edit: [['spec.replica', 3]], want: ['spec.replica'] },
    { description: 'misspelled metadata field', edit: [['metadata.lables', {}]], want: ['metadata.lables'] },
    { description: 'unknown top-level field', edit: [['extra', true]], want: ['extra'] },
    { description: 'misspelled resources key', edit: [['spec.template.spec.containers.0.resources.request', {}]], want: ['spec.template.spec.containers[0].resources.request'] },
    { description: 'misspelled port field in second port', edit: [['spec.template.spec.containers.0.ports.1.containerport', 1]], want: ['spec.template.spec.containers[0].ports[1].containerport'] },
    { description: 'misspelled volume field', edit: [['spec.template.spec.volumes.0.configMap.nmae', 'x']], want: ['spec.template.spec.volumes[0].configMap.nmae'] },
    { description: 'several at once', edit: [['spec.foo', 1], ['spec.template.spec.bar', 2]], want: ['spec.foo', 'spec.template.spec.bar'] },
    { description: 'preserved subtrees accept anything', edit: [['spec.template.spec.securityContext.anything', { deep: 1 }], ['spec.template.spec.containers.0.lifecycle.whatever', 1]], want: [] },
  ];
  for (const c of cases) {
    test(c.description, () => {
      const obj = structuredClone(base);
      for (const [path, value] of c.edit) setPath(obj, path, value);
      assert.deepEqual(checkSchema(obj, schemaFor(base), { nullAsUnset: true }).unknownFields.sort(), c.want.sort());
    });
  }
});

describe('type errors', () => {
  const base = parse(deploymentYaml) as KubeObject;
  const cases: { description: string; edit: [path: string, value: unknown][]; field: string }[] = [
    { description: 'string replicas', edit: [['spec.replicas', '3']], field: 'spec.replicas' },
    { description: 'fractional replicas', edit: [['spec.replicas', 1.5]], field: 'spec.replicas' },
    { description: 'object for a string', edit: [['spec.template.spec.containers.0.image', { name: 'x' }]], field: 'spec.template.spec.containers[0].image' },
    { description: 'array for an object', edit: [['metadata.labels', ['a']]], field: 'metadata.labels' },
    { description: 'non-string label value', edit: [['metadata.labels.x', 1]], field: 'metadata.labels[x]' },
    { description: 'boolean for int-or-string', edit: [['spec.strategy.rollingUpdate.maxSurge', true]], field: 'spec.strategy.rollingUpdate.maxSurge' },
    { description: 'containers not a list', edit: [['spec.template.spec.containers', {}]], field: 'spec.template.spec.containers' },
  ];
  for (const c of cases) {
    test(c.description, () => {
      const obj = structuredClone(base);
      for (const [path, value] of c.edit) setPath(obj, path, value);
      const r = checkSchema(obj, schemaFor(base), { nullAsUnset: true });
      assert.deepEqual(r.errors.map((e) => [e.field, e.type]), [[c.field, 'FieldValueTypeInvalid']]);
    });
  }
  test('quantities may be numbers', () => {
    const obj = structuredClone(base);
    setPath(obj, 'spec.template.spec.containers.0.resources.limits.cpu', 0.5);
    assert.deepEqual(checkSchema(obj, schemaFor(base), { nullAsUnset: true }).errors, []);
  });
  test('null is unset for built-ins and an error otherwise', () => {
    const obj = structuredClone(base);
    setPath(obj, 'spec.paused', null);
    assert.deepEqual(checkSchema(obj, schemaFor(base), { nullAsUnset: true }).errors, []);
    assert.equal(checkSchema(obj, schemaFor(base)).errors[0]?.field, 'spec.paused');
  });
});

describe('strategic-merge metadata on built-in schemas', () => {
  const dep = registry.byKind('apps', 'v1', 'Deployment')?.schema ?? {};
  const svc = registry.byKind('', 'v1', 'Service')?.schema ?? {};
  const ing = registry.byKind('networking.k8s.io', 'v1', 'Ingress')?.schema ?? {};
  const pod = 'spec.template.spec';
  const cases: { path: string; root: JSONSchemaProps; key: string | undefined; strategy: string | undefined; listType?: string }[] = [
    { path: `${pod}.containers`, root: dep, key: 'name', strategy: 'merge' },
    { path: `${pod}.initContainers`, root: dep, key: 'name', strategy: 'merge' },
    { path: `${pod}.containers.env`, root: dep, key: 'name', strategy: 'merge' },
    { path: `${pod}.containers.ports`, root: dep, key: 'containerPort', strategy: 'merge' },
    { path: `${pod}.containers.volumeMounts`, root: dep, key: 'mountPath', strategy: 'merge' },
    { path: `${pod}.volumes`, root: dep, key: 'name', strategy: 'merge,retainKeys' },
    { path: `${pod}.imagePullSecrets`, root: dep, key: 'name', strategy: 'merge' },
    { path: `${pod}.tolerations`, root: dep, key: undefined, strategy: undefined, listType: 'atomic' },
    { path: `${pod}.containers.envFrom`, root: dep, key: undefined, strategy: undefined, listType: 'atomic' },
    { path: 'status.conditions', root: dep, key: 'type', strategy: 'merge' },
    { path: 'metadata.ownerReferences', root: dep, key: 'uid', strategy: 'merge' },
    { path: 'metadata.finalizers', root: dep, key: undefined, strategy: 'merge', listType: 'set' },
    { path: 'spec.ports', root: svc, key: 'port', strategy: 'merge' },
    { path: 'spec.rules', root: ing, key: undefined, strategy: undefined, listType: 'atomic' },
  ];
  for (const c of cases) {
    test(c.path, () => {
      const s = schemaAt(c.root, c.path);
      assert.equal(s['x-kubernetes-patch-merge-key'], c.key);
      assert.equal(s['x-kubernetes-patch-strategy'], c.strategy);
      if (c.listType) assert.equal(s['x-kubernetes-list-type'], c.listType);
    });
  }
  test('container ports are a list-map keyed by containerPort and protocol', () => {
    assert.deepEqual(schemaAt(dep, `${pod}.containers.ports`)['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  });
  test('deep subtrees preserve unknown fields', () => {
    for (const p of [`${pod}.securityContext`, `${pod}.affinity.podAntiAffinity`, `${pod}.containers.lifecycle`, `${pod}.containers.securityContext`]) {
      assert.equal(schemaAt(dep, p)['x-kubernetes-preserve-unknown-fields'], true, p);
    }
  });
  test('objectMeta is shared', () => {
    assert.equal(schemaAt(dep, 'metadata'), schemas.objectMeta);
  });
});
