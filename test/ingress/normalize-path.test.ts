import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizePath } from '../../ingress/index.js';

describe('normalizePath', () => {
  const ok: { description: string; raw: string; path: string; query?: string }[] = [
    { description: 'root', raw: '/', path: '/' },
    { description: 'plain path', raw: '/a/b', path: '/a/b' },
    { description: 'keeps a trailing slash', raw: '/foo/', path: '/foo/' },
    { description: 'merges duplicate slashes', raw: '/a//b///c', path: '/a/b/c' },
    { description: 'leading double slash (//admin)', raw: '//admin', path: '/admin' },
    { description: 'resolves . and ..', raw: '/a/./../b', path: '/b' },
    { description: 'trailing .. keeps the directory slash', raw: '/a/b/..', path: '/a/' },
    { description: 'trailing . keeps the directory slash', raw: '/a/.', path: '/a/' },
    { description: '.. never climbs above /', raw: '/../../x', path: '/x' },
    { description: 'bare ..', raw: '/..', path: '/' },
    { description: 'encoded dots are dots (%2e%2e/)', raw: '/%2e%2e/', path: '/' },
    { description: 'encoded traversal cannot escape /', raw: '/%2e%2e/%2e%2e/etc/passwd', path: '/etc/passwd' },
    { description: 'mixed-case encoded dots', raw: '/a/%2E%2e/b/c/.%2E', path: '/b/' },
    { description: 'encoded dot inside a name is just a dot', raw: '/file%2ejson', path: '/file.json' },
    { description: 'double-encoded dots stay literal (decoded once)', raw: '/%252e%252e/', path: '/%252e%252e/' },
    { description: 'decodes unreserved ~', raw: '/%7euser', path: '/~user' },
    { description: 'decodes unreserved letters and digits', raw: '/%41%62%30', path: '/Ab0' },
    { description: 'keeps reserved escapes, upper-casing hex', raw: '/a%3fb%3bc', path: '/a%3Fb%3Bc' },
    { description: 'keeps encoded space', raw: '/a%20b', path: '/a%20b' },
    { description: 'encodes a stray raw space', raw: '/a b', path: '/a%20b' },
    { description: 'encodes raw characters outside pchar', raw: '/a"<>{}|^`', path: '/a%22%3C%3E%7B%7D%7C%5E%60' },
    { description: 'valid UTF-8 escapes kept (upper-cased)', raw: '/caf%c3%a9', path: '/caf%C3%A9' },
    { description: 'raw UTF-8 bytes (latin1 from Node) are encoded', raw: '/caf\u00c3\u00a9', path: '/caf%C3%A9' },
    { description: 'sub-delims allowed raw', raw: "/a!$&'()*+,;=:@b", path: "/a!$&'()*+,;=:@b" },
    { description: 'query untouched', raw: '/x/../y?a=..%2f&b=%00', path: '/y', query: 'a=..%2f&b=%00' },
    { description: 'empty query kept empty', raw: '/x?', path: '/x', query: '' },
    { description: '..; inside a name is fine', raw: '/a..;b/c', path: '/a..;b/c' },
  ];
  for (const c of ok) {
    it(`accepts ${c.description}: ${JSON.stringify(c.raw)}`, () => {
      assert.deepEqual(normalizePath(c.raw), { ok: true, path: c.path, query: c.query ?? '' });
    });
  }

  const rejected: { description: string; raw: string }[] = [
    { description: 'encoded slash after dots (/..%2f)', raw: '/..%2f' },
    { description: 'encoded slash upper-case', raw: '/a%2Fb' },
    { description: 'encoded slash lower-case', raw: '/a%2fb' },
    { description: 'encoded backslash traversal', raw: '/a%5c..%5cb' },
    { description: 'encoded backslash upper-case', raw: '/a%5Cb' },
    { description: 'encoded NUL', raw: '/a%00b' },
    { description: 'encoded CR LF', raw: '/a%0d%0aSet-Cookie:x' },
    { description: 'encoded DEL', raw: '/a%7f' },
    { description: 'raw backslash', raw: '/a\\..\\b' },
    { description: 'raw NUL', raw: '/a\u0000b' },
    { description: 'raw control character', raw: '/a\u0001b' },
    { description: 'raw tab', raw: '/a\tb' },
    { description: 'Tomcat path parameter on ..', raw: '/foo/..;/bar' },
    { description: 'path parameter on ..', raw: '/foo/..;jsessionid=1/bar' },
    { description: 'encoded path parameter on ..', raw: '/foo/..%3b/bar' },
    { description: 'path parameter on .', raw: '/foo/.;/bar' },
    { description: 'overlong UTF-8 dot (%c0%ae)', raw: '/%c0%ae%c0%ae/etc/passwd' },
    { description: 'overlong UTF-8 slash (%c0%af)', raw: '/..%c0%af..%c0%afetc' },
    { description: 'overlong 3-byte slash (%e0%80%af)', raw: '/a%e0%80%afb' },
    { description: 'UTF-16 surrogate (%ed%a0%80)', raw: '/a%ed%a0%80' },
    { description: 'lone continuation byte', raw: '/a%80' },
    { description: 'truncated sequence', raw: '/a%c3' },
    { description: 'raw overlong bytes', raw: '/\u00c0\u00ae' },
    { description: 'malformed escape', raw: '/a%zz' },
    { description: 'truncated escape', raw: '/a%2' },
    { description: 'fragment', raw: '/a#b' },
    { description: 'not origin-form', raw: 'http://x/y' },
    { description: 'empty', raw: '' },
    { description: 'code point above U+00FF', raw: '/\u2215etc' },
  ];
  for (const c of rejected) {
    it(`rejects ${c.description}: ${JSON.stringify(c.raw)}`, () => {
      const r = normalizePath(c.raw);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.status, 400);
        assert.ok(r.reason.length > 0);
      }
    });
  }

  it('is idempotent on everything it accepts', () => {
    for (const c of ok) {
      const once = normalizePath(c.raw);
      assert.ok(once.ok);
      if (once.ok) assert.deepEqual(normalizePath(once.path), { ok: true, path: once.path, query: '' }, c.raw);
    }
  });
});
