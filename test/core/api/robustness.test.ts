/**
 * Robustness: whatever passes the schema check (as the API server runs it) must never make
 * defaulting or validation throw — a throw there would be a 500.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { checkSchema, KindRegistry, kindFromCRD, parseApiVersion, registerBuiltins } from '../../../core/api/index.js';
import type { CustomResourceDefinition, KubeObject } from '../../../core/api/index.js';
import { deploymentYaml, otherManifestsYaml } from './manifests.js';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const weird: unknown[] = ['x', '', -1, 0, 1.5, 2 ** 63, true, null, [], {}, [null], [{}], { a: 1 }, 'a'.repeat(300), '-1', '1.5.5', '*'];

function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setAt(root: KubeObject, path: (string | number)[], value: unknown): KubeObject {
  const copy = structuredClone(root);
  let cur = copy as unknown as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1] ?? ''] = value;
  return copy;
}

describe('mutated manifests never make defaults or validation throw', () => {
  const registry = new KindRegistry();
  registerBuiltins(registry);
  const docs = [parse(deploymentYaml) as KubeObject, ...parseAllDocuments(otherManifestsYaml).map((d) => d.toJS() as KubeObject)];
  for (const doc of docs) {
    test(doc.kind, () => {
      const { group, version } = parseApiVersion(doc.apiVersion);
      const info = registry.byKind(group, version, doc.kind);
      assert.ok(info);
      const r = rng(doc.kind.length * 7919);
      const all = paths(doc).filter((p) => p[0] !== 'apiVersion' && p[0] !== 'kind');
      let validated = 0;
      for (let i = 0; i < 400; i++) {
        const path = all[Math.floor(r() * all.length)] ?? ['metadata'];
        const obj = setAt(doc, path, weird[Math.floor(r() * weird.length)]);
        if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) continue;
        const report = checkSchema(obj, info.schema, { nullAsUnset: true });
        if (report.errors.length > 0) continue;
        validated++;
        assert.doesNotThrow(() => {
          info.defaults?.(obj);
          info.validate?.(obj, doc);
        }, `${doc.kind} with ${path.join('.')} mutated`);
      }
      assert.ok(validated > 0);
    });
  }
});

describe('mutated CRDs never make validateCRD, kindFromCRD or instance validation throw', () => {
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'things.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'things', kind: 'Thing', shortNames: ['th'] },
      versions: [{
        name: 'v1', served: true, storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [{ name: 'R', type: 'integer', jsonPath: '.spec.replicas' }],
        schema: { openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object', required: ['size'],
              properties: {
                size: { type: 'string', enum: ['s', 'l'], pattern: '^[a-z]$', minLength: 1 },
                replicas: { type: 'integer', minimum: 0, default: 1 },
                tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
                extra: { type: 'object', additionalProperties: { type: 'integer' } },
                any: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
              },
            },
          },
        } },
      }],
    },
  };
  const instance = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'default' }, spec: { size: 's', replicas: 2, tags: ['a'], extra: { a: 1 }, any: 3 } };
  const registry = new KindRegistry();
  registerBuiltins(registry);
  const crdKind = registry.mustResolve('crd');
  test('CustomResourceDefinition', () => {
    const r = rng(4243);
    const all = paths(crd);
    let served = 0;
    for (let i = 0; i < 1500; i++) {
      const path = all[Math.floor(r() * all.length)] ?? ['spec'];
      const mutated = setAt(crd, path, weird[Math.floor(r() * weird.length)]);
      const where = `${path.join('.')} mutated`;
      if (checkSchema(mutated, crdKind.schema, { nullAsUnset: true }).errors.length > 0) continue;
      let errs: unknown[] = [];
      assert.doesNotThrow(() => {
        crdKind.defaults?.(mutated);
        errs = crdKind.validate?.(mutated) ?? [];
      }, where);
      if (errs.length > 0) continue;
      served++;
      assert.doesNotThrow(() => {
        for (const info of kindFromCRD(mutated as CustomResourceDefinition)) {
          const obj = structuredClone(instance) as KubeObject;
          info.defaults?.(obj);
          info.validate?.(obj);
          checkSchema(setAt(obj, ['spec', 'size'], weird[i % weird.length]), info.schema, { allowObjectRoot: true });
        }
      }, where);
    }
    assert.ok(served > 0);
  });
});
