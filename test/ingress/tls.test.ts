import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Secret } from '../../core/api/index.js';
import { needsHttpsRedirect } from '../../ingress/index.js';
import { build, makeIngress, makeTlsSecret } from './fixtures.js';

describe('TLS lookup', () => {
  const secrets: Secret[] = [
    makeTlsSecret('exact-cert', { cn: 'foo.bar.com' }),
    makeTlsSecret('wild-cert', { cn: '*.foo.com' }),
    makeTlsSecret('newer-cert', { cn: 'newer' }),
    makeTlsSecret('other-ns-cert', { namespace: 'elsewhere' }),
    makeTlsSecret('opaque', { type: 'Opaque' }),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'not-pem', namespace: 'default' }, type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from('hello').toString('base64'), 'tls.key': '' } },
  ];
  const b = build([
    makeIngress({ name: 'a', created: '2024-01-01T00:00:00Z',
      tls: [{ hosts: ['foo.bar.com'], secretName: 'exact-cert' }, { hosts: ['*.foo.com'], secretName: 'wild-cert' }],
      rules: [{ host: 'foo.bar.com', paths: [{ path: '/', service: 's' }] }, { host: '*.foo.com', paths: [{ path: '/', service: 's' }] }] }),
    makeIngress({ name: 'b', created: '2024-01-02T00:00:00Z', tls: [{ hosts: ['foo.bar.com'], secretName: 'newer-cert' }] }),
    makeIngress({ name: 'c', created: '2024-01-03T00:00:00Z', tls: [
      { hosts: ['missing.com'], secretName: 'nope' },
      { hosts: ['cross.com'], secretName: 'other-ns-cert' },
      { hosts: ['opaque.com'], secretName: 'opaque' },
      { hosts: ['junk.com'], secretName: 'not-pem' },
    ] }),
    makeIngress({ name: 'd', created: '2024-01-04T00:00:00Z', tls: [{ secretName: 'newer-cert' }],
      rules: [{ host: 'implicit.com', paths: [{ path: '/', service: 's' }] }] }),
  ], { secrets });

  const cases: { description: string; host: string; secret: string | undefined }[] = [
    { description: 'exact host', host: 'foo.bar.com', secret: 'exact-cert' },
    { description: 'exact host, any case, with port', host: 'FOO.bar.com:443', secret: 'exact-cert' },
    { description: 'wildcard covers one label', host: 'api.foo.com', secret: 'wild-cert' },
    { description: 'wildcard does not cover the apex', host: 'foo.com', secret: undefined },
    { description: 'wildcard does not cover two labels', host: 'a.b.foo.com', secret: undefined },
    { description: 'unknown host', host: 'nothing.org', secret: undefined },
    { description: 'missing secret', host: 'missing.com', secret: undefined },
    { description: 'secrets come from the Ingress\'s own namespace', host: 'cross.com', secret: undefined },
    { description: 'wrong secret type', host: 'opaque.com', secret: undefined },
    { description: 'not PEM', host: 'junk.com', secret: undefined },
    { description: 'tls entry without hosts covers the rule hosts', host: 'implicit.com', secret: 'newer-cert' },
  ];
  for (const c of cases) {
    it(`${c.description}: ${c.host} → ${c.secret ?? 'none'}`, () => {
      const cert = b.table.tlsFor(c.host);
      assert.equal(cert?.secret.name, c.secret);
      assert.equal(b.table.hasTls(c.host), c.secret !== undefined);
      if (cert !== undefined) {
        assert.match(cert.cert, /^-----BEGIN CERTIFICATE-----/);
        assert.match(cert.key, /^-----BEGIN PRIVATE KEY-----/);
      }
    });
  }

  it('reports every TLS problem on the right Ingress', () => {
    assert.deepEqual(b.problems.map((p) => [p.ingress.name, p.reason]), [
      ['b', 'Conflict'],
      ['c', 'TLSSecretNotFound'],
      ['c', 'TLSSecretNotFound'],
      ['c', 'TLSSecretInvalid'],
      ['c', 'TLSSecretInvalid'],
    ]);
  });
});

describe('ssl redirect', () => {
  const b = build([
    makeIngress({ name: 'plain', rules: [{ host: 'plain.com', paths: [{ path: '/', service: 's' }] }] }),
    makeIngress({ name: 'forced', annotations: { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' },
      rules: [{ host: 'forced.com', paths: [{ path: '/', service: 's' }] }] }),
    makeIngress({ name: 'tls', tls: [{ hosts: ['tls.com', 'off.com'], secretName: 'cert' }],
      rules: [{ host: 'tls.com', paths: [{ path: '/', service: 's' }] }] }),
    makeIngress({ name: 'off', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' },
      rules: [{ host: 'off.com', paths: [{ path: '/', service: 's' }] }] }),
  ], { secrets: [makeTlsSecret('cert')] });
  const cases: { host: string; secure: boolean; redirect: boolean }[] = [
    { host: 'plain.com', secure: false, redirect: false },
    { host: 'forced.com', secure: false, redirect: true },
    { host: 'forced.com', secure: true, redirect: false },
    { host: 'tls.com', secure: false, redirect: true },
    { host: 'tls.com', secure: true, redirect: false },
    { host: 'off.com', secure: false, redirect: false },
  ];
  for (const c of cases) {
    it(`${c.host} over ${c.secure ? 'https' : 'http'} → ${c.redirect ? 'redirect' : 'serve'}`, () => {
      const m = b.table.lookup(c.host, '/');
      assert.ok(m !== undefined);
      assert.equal(needsHttpsRedirect(m, b.table.hasTls(c.host), c.secure), c.redirect);
    });
  }
});
