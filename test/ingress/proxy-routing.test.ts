/** Path and host matching through real sockets: which backend answered, and the path it saw. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress, PathType } from '../../core/api/index.js';
import type { IngressProxy } from '../../ingress/index.js';
import { makeIngress } from './fixtures.js';
import { get, proxyFor, serviceFor, startEcho, type Echo, type World } from './proxy-support.js';

/** Starts one echo backend per distinct service named in `ings` (all on the same port number), builds the world. */
async function worldFor(ings: Ingress[]): Promise<{ world: World; echoes: Echo[] }> {
  const names = new Set<string>();
  for (const i of ings) {
    const db = i.spec?.defaultBackend?.service?.name;
    if (db !== undefined) names.add(db);
    for (const r of i.spec?.rules ?? []) for (const p of r.http?.paths ?? []) if (p.backend.service !== undefined) names.add(p.backend.service.name);
  }
  const echoes: Echo[] = [];
  const world: World = { ingresses: ings, services: [], endpoints: [] };
  for (const n of names) {
    const e = await startEcho(n);
    echoes.push(e);
    const { svc, eps } = serviceFor(n, [e]);
    // The fixtures name ports by number 80/8080 or 'http': expose all three.
    svc.spec = { ports: [{ name: 'http', port: 80, targetPort: e.port }, { name: 'alt', port: 8080, targetPort: e.port }] };
    world.services.push(svc);
    world.endpoints.push({ ...eps, subsets: [{ addresses: [{ ip: e.ip }], ports: [{ name: 'http', port: e.port }, { name: 'alt', port: e.port }] }] });
  }
  return { world, echoes };
}

function svc(type: PathType, path: string): string {
  return `${type.toLowerCase()}${path.replace(/\//g, '-')}`;
}

describe('proxy: Kubernetes documentation path matching, through the proxy', () => {
  const rows: { rules: [PathType, string][]; request: string; match?: [PathType, string] }[] = [
    { rules: [['Prefix', '/']], request: '/anything/at/all', match: ['Prefix', '/'] },
    { rules: [['Exact', '/foo']], request: '/foo', match: ['Exact', '/foo'] },
    { rules: [['Exact', '/foo']], request: '/bar' },
    { rules: [['Exact', '/foo']], request: '/foo/' },
    { rules: [['Exact', '/foo/']], request: '/foo' },
    { rules: [['Prefix', '/foo']], request: '/foo/', match: ['Prefix', '/foo'] },
    { rules: [['Prefix', '/foo/']], request: '/foo', match: ['Prefix', '/foo/'] },
    { rules: [['Prefix', '/aaa/bb']], request: '/aaa/bbb' },
    { rules: [['Prefix', '/aaa/bbb/']], request: '/aaa/bbb', match: ['Prefix', '/aaa/bbb/'] },
    { rules: [['Prefix', '/aaa/bbb']], request: '/aaa/bbb/ccc', match: ['Prefix', '/aaa/bbb'] },
    { rules: [['Prefix', '/aaa/bbb']], request: '/aaa/bbbxyz' },
    { rules: [['Prefix', '/'], ['Prefix', '/aaa']], request: '/aaa/ccc', match: ['Prefix', '/aaa'] },
    { rules: [['Prefix', '/'], ['Prefix', '/aaa'], ['Prefix', '/aaa/bbb']], request: '/aaa/bbb', match: ['Prefix', '/aaa/bbb'] },
    { rules: [['Prefix', '/'], ['Prefix', '/aaa'], ['Prefix', '/aaa/bbb']], request: '/ccc', match: ['Prefix', '/'] },
    { rules: [['Prefix', '/foo'], ['Exact', '/foo']], request: '/foo', match: ['Exact', '/foo'] },
  ];
  rows.forEach((row, i) => {
    const rules = row.rules.map(([t, p]) => `${t} ${p}`).join(', ');
    it(`${rules} ← ${row.request} → ${row.match === undefined ? 'default backend' : row.match.join(' ')}`, async () => {
      const ing = makeIngress({
        name: `ex${i}`, defaultBackend: 'default-svc',
        rules: [{ host: 'example.com', paths: row.rules.map(([type, path]) => ({ type, path, service: svc(type, path) })) }],
      });
      const { world, echoes } = await worldFor([ing]);
      const proxy = await proxyFor(world);
      try {
        const r = await get(proxy.httpPort, row.request, { host: 'example.com' });
        assert.equal(r.status, 200);
        assert.equal(r.json?.name, row.match === undefined ? 'default-svc' : svc(...row.match));
        assert.equal(r.json?.url, row.request);
      } finally {
        await proxy.close();
        await Promise.all(echoes.map((e) => e.close()));
      }
    });
  });
});

describe('proxy: ingress-controller-conformance host and path rules, through the proxy', () => {
  let proxy: IngressProxy;
  let echoes: Echo[] = [];
  before(async () => {
    const w = await worldFor([
      makeIngress({ name: 'path-rules', rules: [
        { host: 'exact-path-rules', paths: [{ path: '/foo', type: 'Exact', service: 'foo-exact', port: 8080 }] },
        { host: 'prefix-path-rules', paths: [
          { path: '/foo', type: 'Prefix', service: 'foo-prefix', port: 8080 },
          { path: '/aaa/bbb', type: 'Prefix', service: 'aaa-slash-bbb-prefix', port: 8080 },
          { path: '/aaa', type: 'Prefix', service: 'aaa-prefix', port: 8080 },
        ] },
        { host: 'mixed-path-rules', paths: [
          { path: '/foo', type: 'Prefix', service: 'foo-prefix', port: 8080 },
          { path: '/foo', type: 'Exact', service: 'foo-exact', port: 8080 },
        ] },
        { host: 'trailing-slash-path-rules', paths: [
          { path: '/aaa/bbb/', type: 'Prefix', service: 'aaa-slash-bbb-slash-prefix', port: 8080 },
          { path: '/foo/', type: 'Exact', service: 'foo-slash-exact', port: 8080 },
        ] },
      ] }),
      makeIngress({ name: 'host-rules', rules: [
        { host: '*.foo.com', paths: [{ path: '/', service: 'wildcard-foo-com', port: 8080 }] },
        { host: 'foo.bar.com', paths: [{ path: '/', service: 'foo-bar-com', port: 'http' }] },
      ] }),
    ]);
    echoes = w.echoes;
    proxy = await proxyFor(w.world);
  });
  after(async () => {
    await proxy.close();
    await Promise.all(echoes.map((e) => e.close()));
  });
  const cases: { description: string; host: string; path: string; want: string; saw?: string }[] = [
    { description: 'exact /foo matches /foo', host: 'exact-path-rules', path: '/foo', want: 'foo-exact' },
    { description: 'exact /foo does not match /foo/', host: 'exact-path-rules', path: '/foo/', want: '404' },
    { description: 'exact /foo does not match /FOO', host: 'exact-path-rules', path: '/FOO', want: '404' },
    { description: 'prefix /foo matches /foo/', host: 'prefix-path-rules', path: '/foo/', want: 'foo-prefix' },
    { description: 'prefix /aaa/bbb matches /aaa/bbb/ccc', host: 'prefix-path-rules', path: '/aaa/bbb/ccc', want: 'aaa-slash-bbb-prefix' },
    { description: 'prefix /aaa matches /aaa/ccc', host: 'prefix-path-rules', path: '/aaa/ccc', want: 'aaa-prefix' },
    { description: 'prefix /aaa does not match /aaaccc', host: 'prefix-path-rules', path: '/aaaccc', want: '404' },
    { description: 'mixed: exact /foo preferred', host: 'mixed-path-rules', path: '/foo', want: 'foo-exact' },
    { description: 'mixed: prefix serves /foo/bar', host: 'mixed-path-rules', path: '/foo/bar', want: 'foo-prefix' },
    { description: 'prefix /aaa/bbb/ matches /aaa/bbb', host: 'trailing-slash-path-rules', path: '/aaa/bbb', want: 'aaa-slash-bbb-slash-prefix' },
    { description: 'exact /foo/ matches /foo/', host: 'trailing-slash-path-rules', path: '/foo/', want: 'foo-slash-exact' },
    { description: 'host foo.bar.com', host: 'foo.bar.com', path: '/', want: 'foo-bar-com' },
    { description: 'other subdomain of bar.com is not matched', host: 'subdomain.bar.com', path: '/', want: '404' },
    { description: 'wildcard one label', host: 'bar.foo.com', path: '/', want: 'wildcard-foo-com' },
    { description: 'wildcard not two labels', host: 'baz.bar.foo.com', path: '/', want: '404' },
    { description: 'host ignores case and port', host: 'FOO.Bar.COM:8443', path: '/', want: 'foo-bar-com' },
    { description: 'dot segments are resolved before routing and forwarding', host: 'prefix-path-rules', path: '/zzz/../aaa/./bbb//ccc', want: 'aaa-slash-bbb-prefix', saw: '/aaa/bbb/ccc' },
    { description: 'encoded unreserved characters are decoded before routing', host: 'prefix-path-rules', path: '/%61aa/x', want: 'aaa-prefix', saw: '/aaa/x' },
    { description: 'query string is forwarded untouched', host: 'prefix-path-rules', path: '/foo?a=%2F&b', want: 'foo-prefix', saw: '/foo?a=%2F&b' },
  ];
  for (const c of cases) {
    it(c.description, async () => {
      const r = await get(proxy.httpPort, c.path, { host: c.host });
      if (c.want === '404') {
        assert.equal(r.status, 404);
        assert.equal(r.json, undefined);
      } else {
        assert.equal(r.status, 200);
        assert.equal(r.json?.name, c.want);
        assert.equal(r.json?.url, c.saw ?? c.path);
      }
    });
  }
});
