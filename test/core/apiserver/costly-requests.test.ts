/**
 * Requests whose cost would explode (issue 22, item 3), over real HTTPS: each is answered with
 * Kubernetes' 4xx while an ordinary GET sent alongside it is served too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, startServer } from './harness.js';
import type { Harness, Res } from './harness.js';
import { deepeningPatch, deepNesting, doublingPatch } from './costly-bodies.js';
import { bytesField, envelope, intField } from './protobuf-fixtures.js';

const cms = '/api/v1/namespaces/default/configmaps';
const jsonPatch = { 'Content-Type': 'application/json-patch+json' };

function configMap(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' }, ...extra };
}

function unknownFields(n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`unknown${i}`] = 'v';
  return out;
}

// The big bodies are built before any connection exists: building them blocks the event loop for
// a while on a loaded machine, long enough for an idle kept-alive socket to expire under a request.
const manyUnknown = JSON.stringify(configMap('many-unknown', unknownFields(128_000)));
const manyUnknownStrict = JSON.stringify(configMap('strict-unknown', unknownFields(128_000)));

describe('requests whose cost would explode', { timeout: 240_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  /** Sends `bad`, then a GET while it is being processed; both must be answered. */
  async function alongside(bad: () => Promise<Res>): Promise<Res> {
    const order: string[] = [];
    const badDone = bad().then((r) => { order.push('bad'); return r; });
    const get = h.req('GET', `${cms}?limit=1`).then((r) => { order.push('get'); return r; });
    const [res, ordinary] = await Promise.all([badDone, get]);
    assert.equal(ordinary.status, 200, ordinary.text);
    assert.deepEqual([...order].sort(), ['bad', 'get']);
    return res;
  }

  test('a JSON patch whose copies double the object is stopped at the copy limit (422)', async () => {
    await h.req('POST', cms, configMap('doubling'));
    // 2.2 KB: each copy doubles metadata.annotations, 2^22 times its size if left to run.
    const ops = doublingPatch(22);
    const res = await alongside(() => h.req('PATCH', `${cms}/doubling`, JSON.stringify(ops), jsonPatch));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.reason, 'Invalid');
    assert.match(res.body.message, /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/);
    const live = await h.req('GET', `${cms}/doubling`);
    assert.equal(live.body.metadata.annotations, undefined);
  });

  test('more than 10,000 JSON patch operations is a 413 with Kubernetes\' wording', async () => {
    await h.req('POST', cms, configMap('many-ops'));
    const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/data/k', value: 'v' }));
    const res = await alongside(() => h.req('PATCH', `${cms}/many-ops`, JSON.stringify(ops), jsonPatch));
    assert.equal(res.status, 413, res.text);
    assert.equal(res.body.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });

  test('a deeply nested apply body (YAML) is refused while parsing', async () => {
    const body = deepNesting(312_500, '[', ']'); // 625 KB
    const res = await alongside(() => h.req('PATCH', `${cms}/deep?fieldManager=t`, body, { 'Content-Type': 'application/apply-patch+yaml' }));
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.message, 'the request body is nested deeper than 100 levels');
  });

  test('deep block-style YAML is refused too', async () => {
    let body = '';
    for (let i = 0; i < 2000; i++) body += `${' '.repeat(i)}a${i}:\n`;
    const res = await alongside(() => h.req('PATCH', `${cms}/deep-block?fieldManager=t`, body, { 'Content-Type': 'application/apply-patch+yaml' }));
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.message, 'the request body is nested deeper than 100 levels');
    // Duplicate keys are still refused (checked in one pass over each map, not pairwise).
    const dup = await h.req('PATCH', `${cms}/dup?fieldManager=t`, 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n  a: "2"\n', { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(dup.status, 400, dup.text);
    assert.match(dup.body.message, /^error decoding YAML: Map keys must be unique at line 5, column 3$/);
  });

  test('128,000 unknown fields: all dropped (default Warn), warnings capped as Kubernetes caps them', async () => {
    const res = await alongside(() => h.req('POST', cms, manyUnknown));
    assert.equal(res.status, 201, res.text.slice(0, 300));
    assert.deepEqual(Object.keys(res.body).sort(), ['apiVersion', 'data', 'kind', 'metadata']);
    // Node joins repeated headers with ", ": count the warnings by their "299 - " prefix.
    const header = [res.headers.warning ?? []].flat().join(', ');
    const warnings = header.split(/(?:^|, )299 - /).filter((w) => w !== '');
    assert.equal(warnings.length, 100, 'as many warnings as Kubernetes\' strict decoder reports');
    assert.equal(warnings[0], '"unknown field \\"unknown0\\""');
    assert.ok(header.length < 8 * 1024, `${header.length} bytes of warnings`);
  });

  test('long unknown-field warnings are cut to Kubernetes\' 4 Ki-rune budget', async () => {
    const long: Record<string, string> = {};
    for (let i = 0; i < 100; i++) long[`${'x'.repeat(300)}${i}`] = 'v';
    const res = await h.req('POST', cms, configMap('long-unknown', long));
    assert.equal(res.status, 201, res.text.slice(0, 300));
    const header = [res.headers.warning ?? []].flat().join(', ');
    const warnings = header.split(/(?:^|, )299 - /).filter((w) => w !== '').map((w) => JSON.parse(w) as string);
    // Past 4,096 runes every warning is cut to 256 runes, and none is added once 4,096 are written again.
    assert.ok(warnings.length > 0 && warnings.length < 100, `${warnings.length} warnings`);
    for (const w of warnings) assert.equal(w.length, 256);
    assert.ok(warnings.reduce((n, w) => n + w.length, 0) < 4096 + 256);
  });

  test('128,000 unknown fields with fieldValidation=Strict: 400 naming the first 100', async () => {
    const res = await alongside(() => h.req('POST', `${cms}?fieldValidation=Strict`, manyUnknownStrict));
    assert.equal(res.status, 400, res.text.slice(0, 300));
    const named = (res.body.message as string).match(/unknown field "unknown\d+"/g) ?? [];
    assert.equal(named.length, 100);
    assert.match(res.body.message, /^strict decoding error: unknown field "unknown0", unknown field "unknown1", /);
  });

  test('1,500 unknown fields are all dropped, with Warn and with Ignore', async () => {
    for (const mode of ['Warn', 'Ignore']) {
      const name = `unknown-${mode.toLowerCase()}`;
      const res = await h.req('POST', `${cms}?fieldValidation=${mode}`, configMap(name, unknownFields(1500)));
      assert.equal(res.status, 201, res.text.slice(0, 300));
      const stored = await h.req('GET', `${cms}/${name}`);
      assert.deepEqual(Object.keys(stored.body).sort(), ['apiVersion', 'data', 'kind', 'metadata'], mode);
    }
  });

  test('a field named like an Object.prototype member is unknown too', async () => {
    const res = await h.req('POST', `${cms}?fieldValidation=Strict`, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"proto"},"constructor":1,"toString":2}');
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.message, 'strict decoding error: unknown field "constructor", unknown field "toString"');
  });

  test('a JSON patch of copies and moves that builds a 46,000-deep object is a 422, not a stack overflow', async () => {
    await h.req('POST', cms, configMap('deepening'));
    const ops = deepeningPatch(9);
    const res = await alongside(() => h.req('PATCH', `${cms}/deepening`, JSON.stringify(ops), jsonPatch));
    assert.equal(res.status, 422, res.text.slice(0, 300));
    assert.equal(res.body.message, 'the patched object is nested deeper than 100 levels');
    assert.equal(res.body.details.causes[0].field, 'patch');
  });

  test('a protobuf body with an out-of-range timestamp is a 400 naming the field', async () => {
    const meta = Buffer.concat([bytesField(1, 'pb-time'), bytesField(8, intField(1, 9_000_000_000_000_000n))]);
    const body = envelope('v1', 'ConfigMap', bytesField(1, meta));
    const res = await alongside(() => h.req('POST', cms, body, { 'Content-Type': 'application/vnd.kubernetes.protobuf' }));
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.message, /^error decoding protobuf: metadata\.creationTimestamp: year outside of range \[0,9999\]/);
  });
});
