import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeHost } from '../../ingress/index.js';

describe('normalizeHost', () => {
  const cases: { description: string; raw: string | undefined; want: string }[] = [
    { description: 'plain', raw: 'foo.com', want: 'foo.com' },
    { description: 'upper case', raw: 'FOO.Com', want: 'foo.com' },
    { description: 'port', raw: 'foo.com:8080', want: 'foo.com' },
    { description: 'trailing dot', raw: 'foo.com.', want: 'foo.com' },
    { description: 'trailing dot and port', raw: 'foo.com.:443', want: 'foo.com' },
    { description: 'empty port', raw: 'foo.com:', want: 'foo.com' },
    { description: 'IPv4 with port', raw: '127.0.0.1:80', want: '127.0.0.1' },
    { description: 'IPv6 literal with port', raw: '[::1]:8080', want: '::1' },
    { description: 'IPv6 literal, upper case', raw: '[FD00::A]', want: 'fd00::a' },
    { description: 'absent', raw: undefined, want: '' },
    { description: 'empty', raw: '', want: '' },
    { description: 'unclosed IPv6 bracket', raw: '[::1', want: '' },
    { description: 'garbage after IPv6 bracket', raw: '[::1]x', want: '' },
    { description: 'non-numeric port', raw: 'foo.com:http', want: '' },
    { description: 'user info', raw: 'user@foo.com', want: '' },
    { description: 'path in host', raw: 'foo.com/evil', want: '' },
    { description: 'underscore', raw: 'a_b.com', want: '' },
    { description: 'wildcard is not a request host', raw: '*.foo.com', want: '' },
    { description: 'empty label', raw: 'a..com', want: '' },
  ];
  for (const c of cases) {
    it(`${c.description}: ${JSON.stringify(c.raw)} → ${JSON.stringify(c.want)}`, () => {
      assert.equal(normalizeHost(c.raw), c.want);
    });
  }
});
