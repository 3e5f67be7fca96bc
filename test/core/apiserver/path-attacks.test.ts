/**
 * Path attacks on the API (issue 22, item 4): Kubernetes never normalises an API path. Dot
 * segments and separators — raw, percent-encoded in any case, as backslashes — in the group,
 * namespace, resource, name, subresource and watch positions are answered 404, and no response
 * carries an object the path did not literally name. Requests go through real HTTPS with
 * `https.request`, which sends the path verbatim (`fetch` would normalise it first).
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { createNamespace, startServer, token } from './harness.js';
import type { Harness } from './harness.js';

const doubles = ['..', '%2e%2e', '%2E%2e', '.%2E', '%2e.', '%2E%2E'];
const singles = ['.', '%2e', '%2E'];
const seps = ['/', '\\', '%5c', '%5C', '%2f', '%2F'];

/** Each template builds a path from a dot-dot token `d`, a dot token `s` and a separator `p`; unnormalised it names nothing. */
const templates: { position: string; path: (d: string, s: string, p: string) => string }[] = [
  { position: 'namespace (list)', path: (d, _s, p) => `/api/v1/namespaces/a${p}${d}${p}b/configmaps` },
  { position: 'namespace (get)', path: (d, _s, p) => `/api/v1/namespaces/a${p}${d}${p}b/configmaps/cm` },
  { position: 'namespace (dot)', path: (_d, s, p) => `/api/v1/namespaces/b${p}${s}/configmaps/cm` },
  { position: 'whole namespace', path: (d) => `/api/v1/namespaces/${d}/configmaps` },
  { position: 'resource', path: (d, _s, p) => `/api/v1/namespaces/b/secrets${p}${d}${p}configmaps/cm` },
  { position: 'resource (dot)', path: (_d, s, p) => `/api/v1/namespaces/b/${s}${p}configmaps/cm` },
  { position: 'name', path: (d, _s, p) => `/api/v1/namespaces/a/configmaps/x${p}${d}${p}${d}${p}${d}${p}b${p}configmaps${p}cm` },
  { position: 'name (dot)', path: (_d, s, p) => `/api/v1/namespaces/b/configmaps/cm${p}${s}` },
  { position: 'whole name', path: (d) => `/api/v1/namespaces/b/configmaps/${d}` },
  { position: 'subresource', path: (d, _s, p) => `/api/v1/namespaces/a/configmaps/cm/status${p}${d}${p}${d}${p}${d}${p}${d}${p}b${p}configmaps${p}cm` },
  { position: 'subresource (dot)', path: (_d, s) => `/api/v1/namespaces/b/configmaps/cm/${s}` },
  { position: 'group', path: (d, _s, p) => `/apis/apps${p}${d}${p}${d}${p}api/v1/namespaces/b/configmaps/cm` },
  { position: 'watch prefix', path: (d, _s, p) => `/api/v1/watch/namespaces/a${p}${d}${p}b/configmaps` },
  { position: 'watch prefix (name)', path: (d, _s, p) => `/api/v1/watch${p}${d}${p}namespaces/b/configmaps/cm` },
  { position: 'watch=true', path: (d, _s, p) => `/api/v1/namespaces/a${p}${d}${p}b/configmaps?watch=true` },
  { position: 'host-like //', path: () => '//x/api/v1/namespaces/b/configmaps' },
];

function generate(): { position: string; path: string }[] {
  const out = new Map<string, string>();
  for (const t of templates) {
    for (const [i, d] of doubles.entries()) {
      for (const p of seps) out.set(t.path(d, singles[i % singles.length] ?? '.', p), t.position);
    }
  }
  return [...out].map(([path, position]) => ({ path, position }));
}

interface Probe { status: number; text: string }

/** GET with the path verbatim; a response that is not a 404 is read for a moment (a watch never ends) and then cut. */
function probe(h: Harness, path: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: h.port, method: 'GET', path, ca: h.pki.caCert, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      const done = (): void => resolve({ status: res.statusCode ?? 0, text });
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', done);
      res.on('close', done);
      if (res.statusCode !== 404) setTimeout(() => r.destroy(), 300);
    });
    r.on('error', reject);
    r.end();
  });
}

describe('API paths are never normalised', () => {
  let h: Harness;
  const markers = { a: 'marker-of-namespace-a', b: 'marker-of-namespace-b' };

  before(async () => {
    h = await startServer();
    for (const ns of ['a', 'b'] as const) {
      await createNamespace(h, ns);
      const r = await h.req('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { owner: markers[ns] } });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => {
    await h?.close();
  });

  test('the literal paths serve the objects (the attacks below would find them if the server normalised)', async () => {
    const got = await probe(h, '/api/v1/namespaces/b/configmaps/cm');
    assert.equal(got.status, 200);
    assert.match(got.text, new RegExp(markers.b));
    const listed = await probe(h, '/api/v1/namespaces/b/configmaps');
    assert.match(listed.text, new RegExp(markers.b));
  });

  const cases = generate();
  test(`${cases.length} generated dot-segment and separator paths are all 404 and leak nothing`, async () => {
    assert.ok(cases.length > 300, `generated ${cases.length} cases`);
    const wrong: string[] = [];
    for (const c of cases) {
      const got = await probe(h, c.path);
      const leaked = got.text.includes(markers.a) || got.text.includes(markers.b);
      const notFound = got.status === 404 && (JSON.parse(got.text) as { reason?: string }).reason === 'NotFound';
      if (!notFound || leaked) wrong.push(`${c.position}: ${c.path} → ${got.status}${leaked ? ' (leaked an object)' : ''}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('without a token the same paths are 401, as every non-public path', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      const q = request({ host: '127.0.0.1', port: h.port, method: 'GET', path: '/api/v1/namespaces/a/../b/configmaps', ca: h.pki.caCert }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      q.on('error', reject);
      q.end();
    });
    assert.equal(r, 401);
  });

  test('a dot-segment path to a health endpoint is not the health endpoint', async () => {
    const got = await probe(h, '/api/../healthz');
    assert.equal(got.status, 404);
  });
});
