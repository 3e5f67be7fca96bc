import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rewritePath } from '../../ingress/index.js';
import { build, makeIngress, serviceFor } from './fixtures.js';

const P = 'nginx.ingress.kubernetes.io/';

describe('regex paths (ImplementationSpecific + use-regex)', () => {
  const b = build([
    makeIngress({ name: 'plain', created: '2024-01-01T00:00:00Z', rules: [{ host: 'r.com', paths: [
      { path: '/', service: 'root' },
      { path: '/api/v1/special/deep', service: 'long-prefix' },
      { path: '/api/v2', type: 'Exact', service: 'exact' },
    ] }] }),
    makeIngress({ name: 'regex', created: '2024-01-02T00:00:00Z', annotations: { [`${P}use-regex`]: 'true' }, rules: [{ host: 'r.com', paths: [
      { path: '/api/v[0-9]+/(.*)', type: 'ImplementationSpecific', service: 'api' },
      { path: '/img/.*\\.png', type: 'ImplementationSpecific', service: 'png' },
      { path: '/plain-in-regex-ingress', type: 'Prefix', service: 'prefix-in-regex' },
    ] }] }),
  ]);
  const cases: { description: string; path: string; want: string }[] = [
    { description: 'regex longer than the matching prefix wins', path: '/api/v1/users', want: 'api' },
    { description: 'regex is case-insensitive (~*)', path: '/API/V3/x', want: 'api' },
    { description: 'regex is anchored at the start', path: '/x/api/v1/users', want: 'root' },
    { description: 'regex need not match the whole path', path: '/img/a.png.bak', want: 'png' },
    { description: 'no regex match falls back to the prefix', path: '/api/vX/users', want: 'root' },
    { description: 'a longer prefix beats the regex', path: '/api/v1/special/deep/x', want: 'long-prefix' },
    { description: 'Exact beats every regex', path: '/api/v2', want: 'exact' },
    { description: 'Prefix paths of a use-regex Ingress stay Prefix', path: '/plain-in-regex-ingress/x', want: 'prefix-in-regex' },
    { description: 'Prefix paths of a use-regex Ingress are not regexes', path: '/plain-in-regex-ingressX', want: 'root' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      assert.equal(serviceFor(b, 'r.com', c.path), c.want);
    });
  }

  it('reports captures and labels for metrics', () => {
    const m = b.table.lookup('r.com', '/api/v1/users/7');
    assert.equal(m?.matchKind, 'Regex');
    assert.equal(m?.pathType, 'ImplementationSpecific');
    assert.equal(m?.path, '/api/v[0-9]+/(.*)');
    assert.deepEqual(m?.captures, ['users/7']);
    assert.ok(Object.isFrozen(m));
  });

  it('an invalid regex is reported and not routed', () => {
    const bad = build([makeIngress({ name: 'bad', annotations: { [`${P}use-regex`]: 'true' },
      rules: [{ host: 'r.com', paths: [{ path: '/(unclosed', type: 'ImplementationSpecific', service: 's' }] }] })]);
    assert.deepEqual(bad.problems.map((p) => p.reason), ['InvalidPath']);
    assert.equal(bad.table.lookup('r.com', '/(unclosed'), undefined);
  });

  it('without use-regex, ImplementationSpecific is Prefix', () => {
    const p = build([makeIngress({ name: 'is', rules: [{ host: 'r.com', paths: [{ path: '/a.b', type: 'ImplementationSpecific', service: 's' }] }] })]);
    assert.equal(serviceFor(p, 'r.com', '/a.b/c'), 's');
    assert.equal(serviceFor(p, 'r.com', '/axb'), '404');
    assert.equal(p.table.lookup('r.com', '/a.b')?.matchKind, 'Prefix');
  });
});

describe('rewritePath (ingress-nginx rewrite-target semantics)', () => {
  const b = build([
    makeIngress({ name: 'capture', annotations: { [`${P}use-regex`]: 'true', [`${P}rewrite-target`]: '/$2' },
      rules: [{ host: 'rewrite.bar.com', paths: [{ path: '/something(/|$)(.*)', type: 'ImplementationSpecific', service: 'http-svc' }] }] }),
    makeIngress({ name: 'implied', annotations: { [`${P}rewrite-target`]: '/v2/$1' },
      rules: [{ host: 'implied.com', paths: [{ path: '/old/(.*)', type: 'ImplementationSpecific', service: 'svc' }] }] }),
    makeIngress({ name: 'literal', annotations: { [`${P}rewrite-target`]: '/' },
      rules: [{ host: 'literal.com', paths: [{ path: '/foo', type: 'Prefix', service: 'svc' }] }] }),
    makeIngress({ name: 'join', annotations: { [`${P}use-regex`]: 'true', [`${P}rewrite-target`]: '/base/$1' },
      rules: [{ host: 'join.com', paths: [{ path: '/j(/.*)', type: 'ImplementationSpecific', service: 'svc' }] }] }),
    makeIngress({ name: 'none', rules: [{ host: 'none.com', paths: [{ path: '/', service: 'svc' }] }] }),
  ]);
  const cases: { description: string; host: string; path: string; want: string }[] = [
    { description: 'documented example: /something → /', host: 'rewrite.bar.com', path: '/something', want: '/' },
    { description: 'documented example: /something/ → /', host: 'rewrite.bar.com', path: '/something/', want: '/' },
    { description: 'documented example: /something/new → /new', host: 'rewrite.bar.com', path: '/something/new', want: '/new' },
    { description: 'case-insensitive capture', host: 'rewrite.bar.com', path: '/SOMETHING/New', want: '/New' },
    { description: 'rewrite-target implies use-regex', host: 'implied.com', path: '/old/a/b', want: '/v2/a/b' },
    { description: 'non-regex path: the whole path becomes the target', host: 'literal.com', path: '/foo/bar/baz', want: '/' },
    { description: 'captures that would double a slash are normalised', host: 'join.com', path: '/j/x', want: '/base/x' },
    { description: 'no rewrite-target: unchanged', host: 'none.com', path: '/a/b/', want: '/a/b/' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const m = b.table.lookup(c.host, c.path);
      assert.ok(m !== undefined);
      assert.equal(rewritePath(m, c.path), c.want);
    });
  }
});
