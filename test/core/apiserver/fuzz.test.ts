/**
 * Fuzz: thousands of random and mutated bodies across POST/PUT/PATCH (4 types)/DELETE on several
 * kinds. Bad input may be rejected in any 4xx way, but never with a 500, and the server keeps answering.
 * Then generated bodies of the classes whose cost would explode (issue 22): nesting around the
 * limit, patches that grow the document, many unknown fields, out-of-range protobuf times.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify as stringifyYaml } from 'yaml';
import type { LogFields, Logger } from '../../../core/util/index.js';
import { createNamespace, makeDeployment, startServer } from './harness.js';
import type { Harness } from './harness.js';
import { depthOf, growthPatch, nested } from './costly-bodies.js';
import { bytesField, envelope, intField } from './protobuf-fixtures.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const weird: unknown[] = ['x', '', -1, 0, 1.5, 1e308, -1e308, 2 ** 63, true, false, null, [], {}, [null], { a: { b: [1, 'x'] } }, 'a'.repeat(5000), '\u0000\uffff'];

/** Every path to a value in `v` (objects and arrays included). */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1] ?? ''] = value;
  return copy;
}

function deep(n: number, leaf: unknown): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

interface Case { method: string; path: string; body: string | Buffer; ct: string }

const targets = [
  { coll: '/apis/apps/v1/namespaces/default/deployments', item: '/apis/apps/v1/namespaces/default/deployments/fz', base: makeDeployment('fz') },
  { coll: '/api/v1/namespaces/default/pods', item: '/api/v1/namespaces/default/pods/fz', base: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fz' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } },
  { coll: '/api/v1/namespaces/default/services', item: '/api/v1/namespaces/default/services/fz', base: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fz' }, spec: { selector: { a: 'b' }, ports: [{ port: 80, targetPort: 8080 }] } } },
  { coll: '/api/v1/namespaces/default/configmaps', item: '/api/v1/namespaces/default/configmaps/fz', base: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fz', labels: { a: 'b' } }, data: { k: 'v' } } },
  { coll: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', item: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.fz.example.com', base: {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.fz.example.com' },
    spec: { group: 'fz.example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
  } },
];
const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

function bodies(r: () => number, base: unknown): (string | Buffer)[] {
  const text = JSON.stringify(base);
  const out: (string | Buffer)[] = [];
  for (const p of paths(base)) out.push(JSON.stringify(setAt(base, p, weird[Math.floor(r() * weird.length)])));
  for (let i = 0; i < 6; i++) out.push(text.slice(0, Math.floor(r() * text.length)));
  out.push(Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))));
  out.push(Buffer.concat([Buffer.from('k8s\0'), Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256)))]));
  out.push(JSON.stringify(deep(50 + Math.floor(r() * 200), null)));
  out.push(JSON.stringify({ ...(base as object), spec: deep(90, 'x') }));
  out.push('null', '[]', '"str"', '12345678901234567890123456789', '{"metadata":null,"spec":null}', '{"apiVersion":null,"kind":7}');
  out.push(JSON.stringify([{ op: 'replace', path: '/spec', value: null }, { op: 'move', from: '/x', path: '/y' }, { op: 'bogus' }]));
  out.push('{"$patch":"delete"}', '{"spec":{"$setElementOrder/containers":[{"name":1}]}}', '{"spec":{"template":{"spec":{"containers":[{"$patch":"replace"}]}}}}');
  return out;
}

function cases(seed: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  for (const t of targets) {
    for (const body of bodies(r, t.base)) {
      out.push({ method: 'POST', path: t.coll, body, ct: 'application/json' });
      out.push({ method: 'PUT', path: t.item, body, ct: 'application/json' });
      out.push({ method: 'PATCH', path: `${t.item}?fieldManager=fz${r() < 0.5 ? '&force=true' : ''}`, body, ct: patchTypes[Math.floor(r() * patchTypes.length)] ?? 'application/merge-patch+json' });
      if (r() < 0.3) out.push({ method: 'DELETE', path: t.item, body, ct: 'application/json' });
      if (r() < 0.2) out.push({ method: 'POST', path: t.coll, body: Buffer.concat([Buffer.from('k8s\0'), Buffer.from(String(body))]), ct: 'application/vnd.kubernetes.protobuf' });
    }
  }
  return out;
}

describe('apiserver fuzz', () => {
  let h: Harness;
  const errors: string[] = [];
  const log: Logger = {
    debug: () => undefined, info: () => undefined, warn: () => undefined,
    error: (msg: string, f?: LogFields) => void errors.push(`${msg} ${JSON.stringify(f ?? {})}`),
    child: () => log,
  };
  before(async () => {
    h = await startServer({ log });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('no random or mutated body gets a 500, and the server still answers', async () => {
    const all = [1, 2, 3, 4].flatMap((seed) => cases(seed));
    assert.ok(all.length >= 2000, `only ${all.length} cases`);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of all) {
      const res = await h.req(c.method, c.path, c.body, { 'Content-Type': c.ct });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${c.method} ${c.path} ${c.ct} ${String(c.body).slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status >= 400) assert.equal(res.body?.kind, 'Status', `${c.method} ${c.path}: ${res.text.slice(0, 200)}`);
    }
    const r = rng(99);
    const junk = ['', 'x', '=', '!', '-1', '0', '1', '99999999999999999999', 'a=b', 'a in (', 'metadata.name', 'metadata.name=x,', '%zz', 'true', '\u0000'];
    const pick = (): string => encodeURIComponent(junk[Math.floor(r() * junk.length)] ?? '');
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      const watch = r() < 0.2 ? ['watch=true', 'timeoutSeconds=1'] : [];
      const params = ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'timeoutSeconds', 'fieldValidation', 'dryRun', 'propagationPolicy', 'gracePeriodSeconds']
        .filter((p) => r() < 0.4 && !(watch.length > 0 && p === 'timeoutSeconds')).map((p) => `${p}=${pick()}`);
      const target = targets[Math.floor(r() * targets.length)] ?? targets[0];
      const method = r() < 0.8 ? 'GET' : 'DELETE';
      const path = `${target?.coll ?? ''}?${[...watch, ...params].join('&')}`;
      const check = (res: { status: number; text: string }): void => {
        if (res.status >= 500) failures.push(`${method} ${path} → ${res.status} ${res.text.slice(0, 200)}`);
      };
      // Watches run for their one-second timeout: let them overlap instead of waiting for each.
      if (watch.length > 0) pending.push(h.req(method, path).then(check));
      else check(await h.req(method, path));
    }
    await Promise.all(pending);
    assert.deepEqual(failures.slice(0, 5), []);
    assert.deepEqual(errors.slice(0, 5), []);
    assert.ok((statuses.get(400) ?? 0) > 0 && [...statuses.keys()].some((s) => s < 300), JSON.stringify([...statuses]));
    const ok = await h.req('GET', '/apis/apps/v1/namespaces/default/deployments');
    assert.equal(ok.status, 200);
    assert.equal((await h.req('GET', '/api/v1/namespaces/default')).status, 200);
  });
  test('generated costly bodies: nesting around the limit, growing patches, unknown fields, protobuf times', async () => {
    const r = rng(22);
    const cms = '/api/v1/namespaces/default/configmaps';
    const failures: string[] = [];
    const expect = (what: string, ok: boolean, res: { status: number; text: string }): void => {
      if (!ok || res.status >= 500) failures.push(`${what} → ${res.status} ${res.text.slice(0, 200)}`);
    };
    // Nesting around the limit, as JSON creates and as YAML (flow or block) apply bodies.
    for (let i = 0; i < 40; i++) {
      const depth = 95 + Math.floor(r() * 11);
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `deep-${i}` }, x: nested(depth - 1, () => r() < 0.5) };
      const apply = i % 2 === 1;
      const res = apply
        ? await h.req('PATCH', `${cms}/deep-${i}?fieldManager=fz&fieldValidation=Ignore`, r() < 0.5 ? JSON.stringify(body) : stringifyYaml(body), { 'Content-Type': 'application/apply-patch+yaml' })
        : await h.req('POST', `${cms}?fieldValidation=Ignore`, body);
      const refused = res.status === 400 && res.body?.message === 'the request body is nested deeper than 100 levels';
      expect(`${apply ? 'apply' : 'create'} depth ${depth}`, depth > 100 ? refused : res.status < 300, res);
    }
    const limitOf = (res: { body?: { message?: unknown } }): string => {
      const message = String(res.body?.message ?? '');
      if (/^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/.test(message)) return 'copy';
      return message === 'the patched object is nested deeper than 100 levels' ? 'depth' : 'other';
    };
    // Random patches that grow the document: never a 5xx; refused with one of the two limits, or stored within them.
    await h.req('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'grow' } });
    const outcomes = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const ops = growthPatch(1 + Math.floor(r() * 24), r);
      const res = await h.req('PATCH', `${cms}/grow?fieldValidation=Ignore`, JSON.stringify([...ops, { op: 'remove', path: '/A' }]), { 'Content-Type': 'application/json-patch+json' });
      expect(`growth patch of ${ops.length} ops`, res.status === 200 || (res.status === 422 && limitOf(res) === 'copy'), res);
      outcomes.add(res.status === 200 ? 'ok' : limitOf(res));
      // The same patch without the final remove: refused at either limit, or stored within them.
      const kept = await h.req('PATCH', `${cms}/grow?fieldValidation=Ignore`, JSON.stringify(ops), { 'Content-Type': 'application/json-patch+json' });
      expect(`kept growth patch of ${ops.length} ops`, kept.status === 200 ? depthOf(kept.body) <= 100 : kept.status === 422 && limitOf(kept) !== 'other', kept);
      outcomes.add(kept.status === 200 ? 'ok' : limitOf(kept));
    }
    assert.ok(outcomes.has('copy') && outcomes.has('depth'), `outcomes ${[...outcomes].join(', ')}`);
    // Random numbers of unknown fields: all dropped by default, the first 100 named with Strict.
    for (let i = 0; i < 12; i++) {
      const n = 1 + Math.floor(r() * 3000);
      const extra = Object.fromEntries(Array.from({ length: n }, (_, j) => [`f${j}`, j]));
      const created = await h.req('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `unknown-${i}` }, data: { k: 'v' }, ...extra });
      expect(`create with ${n} unknown fields`, created.status === 201 && Object.keys(created.body ?? {}).sort().join() === 'apiVersion,data,kind,metadata', created);
      const strict = await h.req('POST', `${cms}?fieldValidation=Strict`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `strict-${i}` }, ...extra });
      const named = String(strict.body?.message ?? '').match(/unknown field "f\d+"/g) ?? [];
      expect(`strict create with ${n} unknown fields`, strict.status === 400 && named.length === Math.min(n, 100), strict);
    }
    // Protobuf timestamps anywhere in int64: a 400 naming the field outside years 0000-9999, else created.
    for (let i = 0; i < 20; i++) {
      const seconds = r() < 0.5
        ? BigInt(Math.floor(-62135596800 + r() * (253402300799 + 62135596800 + 2e9)) - 1e9) // around years 0000-9999
        : BigInt.asIntN(64, BigInt(Math.floor((r() - 0.5) * 2 ** 53)) * BigInt(1 + Math.floor(r() * 4096)));
      const meta = Buffer.concat([bytesField(1, `pbt-${i}`), bytesField(8, intField(1, seconds))]);
      const res = await h.req('POST', cms, envelope('v1', 'ConfigMap', bytesField(1, meta)), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
      const inRange = seconds >= -62135596800n && seconds <= 253402300799n;
      expect(`protobuf time ${seconds}`, inRange ? res.status === 201 : res.status === 400 && /metadata\.creationTimestamp/.test(res.text), res);
    }
    assert.deepEqual(failures.slice(0, 5), []);
  });
});
