import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PathType } from '../../core/api/index.js';
import { build, makeIngress, serviceFor } from './fixtures.js';

/** Service name for a rule: its type and path, e.g. `prefix-aaa-bbb-`. */
function svc(type: PathType, path: string): string {
  return `${type.toLowerCase()}${path.replace(/\//g, '-')}`;
}

describe('Kubernetes documentation: Ingress path matching examples', () => {
  // https://kubernetes.io/docs/concepts/services-networking/ingress/#examples — every row, with the
  // request paths of multi-path rows split out. `match` is the rule that must serve, or undefined for
  // "No" (the request falls to the Ingress's default backend).
  const rows: { kind: string; rules: [PathType, string][]; request: string; match?: [PathType, string] }[] = [
    { kind: 'Prefix', rules: [['Prefix', '/']], request: '/anything/at/all', match: ['Prefix', '/'] },
    { kind: 'Prefix', rules: [['Prefix', '/']], request: '/', match: ['Prefix', '/'] },
    { kind: 'Exact', rules: [['Exact', '/foo']], request: '/foo', match: ['Exact', '/foo'] },
    { kind: 'Exact', rules: [['Exact', '/foo']], request: '/bar' },
    { kind: 'Exact', rules: [['Exact', '/foo']], request: '/foo/' },
    { kind: 'Exact', rules: [['Exact', '/foo/']], request: '/foo' },
    { kind: 'Prefix', rules: [['Prefix', '/foo']], request: '/foo', match: ['Prefix', '/foo'] },
    { kind: 'Prefix', rules: [['Prefix', '/foo']], request: '/foo/', match: ['Prefix', '/foo'] },
    { kind: 'Prefix', rules: [['Prefix', '/foo/']], request: '/foo', match: ['Prefix', '/foo/'] },
    { kind: 'Prefix', rules: [['Prefix', '/foo/']], request: '/foo/', match: ['Prefix', '/foo/'] },
    { kind: 'Prefix', rules: [['Prefix', '/aaa/bb']], request: '/aaa/bbb' },
    { kind: 'Prefix', rules: [['Prefix', '/aaa/bbb']], request: '/aaa/bbb', match: ['Prefix', '/aaa/bbb'] },
    { kind: 'Prefix (ignores trailing slash)', rules: [['Prefix', '/aaa/bbb/']], request: '/aaa/bbb', match: ['Prefix', '/aaa/bbb/'] },
    { kind: 'Prefix (matches trailing slash)', rules: [['Prefix', '/aaa/bbb']], request: '/aaa/bbb/', match: ['Prefix', '/aaa/bbb'] },
    { kind: 'Prefix (matches subpath)', rules: [['Prefix', '/aaa/bbb']], request: '/aaa/bbb/ccc', match: ['Prefix', '/aaa/bbb'] },
    { kind: 'Prefix (not a string prefix)', rules: [['Prefix', '/aaa/bbb']], request: '/aaa/bbbxyz' },
    { kind: 'Prefix', rules: [['Prefix', '/'], ['Prefix', '/aaa']], request: '/aaa/ccc', match: ['Prefix', '/aaa'] },
    { kind: 'Prefix', rules: [['Prefix', '/'], ['Prefix', '/aaa'], ['Prefix', '/aaa/bbb']], request: '/aaa/bbb', match: ['Prefix', '/aaa/bbb'] },
    { kind: 'Prefix', rules: [['Prefix', '/'], ['Prefix', '/aaa'], ['Prefix', '/aaa/bbb']], request: '/ccc', match: ['Prefix', '/'] },
    { kind: 'Prefix (default backend)', rules: [['Prefix', '/aaa']], request: '/ccc' },
    { kind: 'Mixed (prefers Exact)', rules: [['Prefix', '/foo'], ['Exact', '/foo']], request: '/foo', match: ['Exact', '/foo'] },
  ];
  for (const row of rows) {
    const rules = row.rules.map(([t, p]) => `${t} ${p}`).join(', ');
    it(`${row.kind}: ${rules} ← ${row.request} → ${row.match === undefined ? 'default backend' : `${row.match[0]} ${row.match[1]}`}`, () => {
      const b = build([makeIngress({
        name: 'ex', defaultBackend: 'default-svc',
        rules: [{ host: 'example.com', paths: row.rules.map(([type, path]) => ({ type, path, service: svc(type, path) })) }],
      })]);
      assert.deepEqual(b.problems, []);
      const want = row.match === undefined ? 'default-svc' : svc(...row.match);
      assert.equal(serviceFor(b, 'example.com', row.request), want);
      const m = b.table.lookup('example.com', row.request);
      if (row.match !== undefined) {
        assert.equal(m?.pathType, row.match[0]);
        assert.equal(m?.path, row.match[1]);
      } else {
        assert.equal(m?.pathType, 'DefaultBackend');
      }
    });
  }
});

describe('ingress-controller-conformance: path_rules', () => {
  const ing = makeIngress({
    name: 'path-rules',
    rules: [
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
    ],
  });
  const cases: { description: string; host: string; path: string; want: string }[] = [
    { description: 'exact /foo matches request /foo', host: 'exact-path-rules', path: '/foo', want: 'foo-exact' },
    { description: 'exact /foo does not match request /foo/', host: 'exact-path-rules', path: '/foo/', want: '404' },
    { description: 'exact /foo does not match request /FOO', host: 'exact-path-rules', path: '/FOO', want: '404' },
    { description: 'exact /foo does not match request /bar', host: 'exact-path-rules', path: '/bar', want: '404' },
    { description: 'prefix /foo matches request /foo', host: 'prefix-path-rules', path: '/foo', want: 'foo-prefix' },
    { description: 'prefix /foo matches request /foo/', host: 'prefix-path-rules', path: '/foo/', want: 'foo-prefix' },
    { description: 'prefix /foo does not match request /FOO', host: 'prefix-path-rules', path: '/FOO', want: '404' },
    { description: 'prefix /aaa/bbb matches request /aaa/bbb', host: 'prefix-path-rules', path: '/aaa/bbb', want: 'aaa-slash-bbb-prefix' },
    { description: 'prefix /aaa/bbb matches request /aaa/bbb/ccc', host: 'prefix-path-rules', path: '/aaa/bbb/ccc', want: 'aaa-slash-bbb-prefix' },
    { description: 'prefix /aaa matches request /aaa/ccc', host: 'prefix-path-rules', path: '/aaa/ccc', want: 'aaa-prefix' },
    { description: 'prefix /aaa does not match request /aaaccc', host: 'prefix-path-rules', path: '/aaaccc', want: '404' },
    { description: 'mixed: exact /foo is preferred for /foo', host: 'mixed-path-rules', path: '/foo', want: 'foo-exact' },
    { description: 'mixed: prefix /foo serves /foo/bar', host: 'mixed-path-rules', path: '/foo/bar', want: 'foo-prefix' },
    { description: 'prefix /aaa/bbb/ matches request /aaa/bbb', host: 'trailing-slash-path-rules', path: '/aaa/bbb', want: 'aaa-slash-bbb-slash-prefix' },
    { description: 'prefix /aaa/bbb/ matches request /aaa/bbb/', host: 'trailing-slash-path-rules', path: '/aaa/bbb/', want: 'aaa-slash-bbb-slash-prefix' },
    { description: 'exact /foo/ does not match request /foo', host: 'trailing-slash-path-rules', path: '/foo', want: '404' },
    { description: 'exact /foo/ matches request /foo/', host: 'trailing-slash-path-rules', path: '/foo/', want: 'foo-slash-exact' },
  ];
  const b = build([ing]);
  for (const c of cases) {
    it(c.description, () => {
      assert.equal(serviceFor(b, c.host, c.path), c.want);
    });
  }
});

describe('ingress-controller-conformance: host_rules', () => {
  const b = build([makeIngress({
    name: 'host-rules',
    rules: [
      { host: '*.foo.com', paths: [{ path: '/', service: 'wildcard-foo-com', port: 8080 }] },
      { host: 'foo.bar.com', paths: [{ path: '/', service: 'foo-bar-com', port: 'http' }] },
    ],
  })]);
  const cases: { description: string; host: string; want: string }[] = [
    { description: 'host foo.bar.com matches request foo.bar.com', host: 'foo.bar.com', want: 'foo-bar-com' },
    { description: 'host foo.bar.com does not match request subdomain.bar.com', host: 'subdomain.bar.com', want: '404' },
    { description: 'wildcard matches based on shared suffix', host: 'bar.foo.com', want: 'wildcard-foo-com' },
    { description: 'wildcard does not match more than a single DNS label', host: 'baz.bar.foo.com', want: '404' },
    { description: 'wildcard does not match no DNS label', host: 'foo.com', want: '404' },
    { description: 'host match ignores case', host: 'FOO.Bar.COM', want: 'foo-bar-com' },
    { description: 'host match ignores the port', host: 'foo.bar.com:8443', want: 'foo-bar-com' },
    { description: 'host match ignores a trailing dot', host: 'foo.bar.com.', want: 'foo-bar-com' },
    { description: 'wildcard match ignores case and port', host: 'X.FOO.com:80', want: 'wildcard-foo-com' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      assert.equal(serviceFor(b, c.host, '/'), c.want);
    });
  }
});

describe('ingress-controller-conformance: default_backend', () => {
  const b = build([makeIngress({ name: 'default-backend', defaultBackend: 'echo-service' })]);
  const cases: { host: string | undefined; path: string }[] = [
    { host: 'my-host', path: '/' },
    { host: 'my-host', path: '/sub-path' },
    { host: 'some-host', path: '/' },
    { host: undefined, path: '/resource' },
    { host: '', path: '/resource' },
    { host: 'some-host', path: '/resource' },
  ];
  for (const c of cases) {
    it(`an Ingress with no rules sends ${String(c.host)}${c.path} to the default backend`, () => {
      const m = b.table.lookup(c.host, c.path);
      assert.equal(m?.backend.serviceName, 'echo-service');
      assert.equal(m?.pathType, 'DefaultBackend');
      assert.deepEqual(m?.backend.endpoints.map((e) => e.address), ['10.0.0.2:8080']);
    });
  }
});

describe('host precedence and fallbacks', () => {
  const b = build([
    makeIngress({ name: 'a', created: '2024-01-01T00:00:00Z', rules: [
      { host: 'app.example.com', paths: [{ path: '/api', service: 'exact-host' }] },
      { host: '*.example.com', paths: [{ path: '/', service: 'wildcard-host' }] },
      { paths: [{ path: '/', service: 'any-host' }] },
    ] }),
    makeIngress({ name: 'b', created: '2024-01-02T00:00:00Z', defaultBackend: 'b-default',
      rules: [{ host: 'b.example.com', paths: [{ path: '/only', type: 'Exact', service: 'b-only' }] }] }),
    makeIngress({ name: 'c', created: '2024-01-03T00:00:00Z', defaultBackend: 'catch-all' }),
  ]);
  const cases: { description: string; host: string | undefined; path: string; want: string }[] = [
    { description: 'exact host before wildcard', host: 'app.example.com', path: '/api/x', want: 'exact-host' },
    { description: 'exact host with no matching path does not fall through to the wildcard', host: 'app.example.com', path: '/other', want: '404' },
    { description: 'wildcard before catch-all', host: 'www.example.com', path: '/x', want: 'wildcard-host' },
    { description: 'unknown host uses rules without host', host: 'other.org', path: '/x', want: 'any-host' },
    { description: 'no Host header uses rules without host', host: undefined, path: '/', want: 'any-host' },
    { description: 'IPv6 literal with port uses rules without host', host: '[::1]:8080', path: '/', want: 'any-host' },
    { description: 'IPv4 host uses rules without host', host: '127.0.0.1:80', path: '/', want: 'any-host' },
    { description: 'host path miss → that Ingress\'s default backend', host: 'b.example.com', path: '/nope', want: 'b-default' },
    { description: 'host path hit', host: 'b.example.com', path: '/only', want: 'b-only' },
    { description: 'exact host defined by b also beats wildcard of a', host: 'b.example.com', path: '/only/', want: 'b-default' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      assert.equal(serviceFor(b, c.host, c.path), c.want);
    });
  }

  it('the catch-all default backend serves unknown hosts when no rule lacks a host', () => {
    const only = build([
      makeIngress({ name: 'r', rules: [{ host: 'x.com', paths: [{ path: '/', service: 'x' }] }] }),
      makeIngress({ name: 'd', defaultBackend: 'catch-all' }),
    ]);
    assert.equal(serviceFor(only, 'y.com', '/z'), 'catch-all');
    assert.equal(serviceFor(only, 'x.com', '/z'), 'x');
  });

  it('nothing defined → undefined (the proxy answers the default 404)', () => {
    const empty = build([]);
    assert.equal(empty.table.lookup('x.com', '/'), undefined);
    assert.equal(empty.table.size, 0);
  });
});
