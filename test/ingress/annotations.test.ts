import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ANNOTATIONS, parseAnnotations, type IngressAnnotations } from '../../ingress/index.js';

const P = 'nginx.ingress.kubernetes.io/';

describe('annotation parsing: valid values', () => {
  const cases: { description: string; annotations: Record<string, string>; expect: Partial<IngressAnnotations> }[] = [
    { description: 'no annotations → defaults', annotations: {}, expect: DEFAULT_ANNOTATIONS },
    { description: 'rewrite-target with captures', annotations: { [`${P}rewrite-target`]: '/$2' }, expect: { rewriteTarget: '/$2' } },
    { description: 'use-regex', annotations: { [`${P}use-regex`]: 'true' }, expect: { useRegex: true } },
    { description: 'Go booleans', annotations: { [`${P}ssl-redirect`]: 'F', [`${P}force-ssl-redirect`]: '1' }, expect: { sslRedirect: false, forceSslRedirect: true } },
    { description: 'proxy-body-size 512k', annotations: { [`${P}proxy-body-size`]: '512k' }, expect: { proxyBodySizeBytes: 512 * 1024 } },
    { description: 'proxy-body-size 8M', annotations: { [`${P}proxy-body-size`]: '8M' }, expect: { proxyBodySizeBytes: 8 * 1024 * 1024 } },
    { description: 'proxy-body-size bytes', annotations: { [`${P}proxy-body-size`]: '1000' }, expect: { proxyBodySizeBytes: 1000 } },
    { description: 'proxy-body-size 0 = unlimited', annotations: { [`${P}proxy-body-size`]: '0' }, expect: { proxyBodySizeBytes: null } },
    { description: 'timeouts', annotations: { [`${P}proxy-connect-timeout`]: '10', [`${P}proxy-read-timeout`]: '120', [`${P}proxy-send-timeout`]: '30' },
      expect: { proxyConnectTimeoutSeconds: 10, proxyReadTimeoutSeconds: 120, proxySendTimeoutSeconds: 30 } },
    { description: 'rate limit', annotations: { [`${P}limit-rps`]: '20', [`${P}limit-burst-multiplier`]: '3' }, expect: { limitRps: 20, limitBurstMultiplier: 3 } },
    { description: 'limit-rps 0 = off', annotations: { [`${P}limit-rps`]: '0' }, expect: { limitRps: undefined } },
    { description: 'canary policy', annotations: { [`${P}canary`]: 'true', [`${P}canary-weight`]: '25', [`${P}canary-weight-total`]: '200',
      [`${P}canary-by-header`]: 'X-Canary', [`${P}canary-by-header-value`]: 'yes', [`${P}canary-by-cookie`]: 'beta' },
    expect: { canary: true, canaryPolicy: { weight: 25, weightTotal: 200, header: 'X-Canary', headerValue: 'yes', headerPattern: undefined, headerRegex: undefined, cookie: 'beta' } } },
    { description: 'session affinity defaults', annotations: { [`${P}affinity`]: 'cookie' },
      expect: { affinity: { type: 'cookie', cookieName: 'INGRESSCOOKIE', maxAgeSeconds: undefined, path: undefined } } },
    { description: 'session affinity', annotations: { [`${P}affinity`]: 'cookie', [`${P}session-cookie-name`]: 'route',
      [`${P}session-cookie-max-age`]: '3600', [`${P}session-cookie-path`]: '/app' },
    expect: { affinity: { type: 'cookie', cookieName: 'route', maxAgeSeconds: 3600, path: '/app' } } },
    { description: 'cors defaults', annotations: { [`${P}enable-cors`]: 'true' }, expect: { cors: {
      allowOrigins: ['*'], allowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
      allowHeaders: ['DNT', 'Keep-Alive', 'User-Agent', 'X-Requested-With', 'If-Modified-Since', 'Cache-Control', 'Content-Type', 'Range', 'Authorization'],
      exposeHeaders: [], allowCredentials: true, maxAgeSeconds: 1728000 } } },
    { description: 'cors settings', annotations: { [`${P}enable-cors`]: 'true', [`${P}cors-allow-origin`]: 'https://a.com, https://*.b.com:8443',
      [`${P}cors-allow-methods`]: 'get, POST', [`${P}cors-allow-headers`]: 'X-Token,Content-Type', [`${P}cors-allow-credentials`]: 'false', [`${P}cors-max-age`]: '60' },
    expect: { cors: { allowOrigins: ['https://a.com', 'https://*.b.com:8443'], allowMethods: ['GET', 'POST'], allowHeaders: ['X-Token', 'Content-Type'],
      exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 60 } } },
    { description: 'cors settings without enable-cors do nothing', annotations: { [`${P}cors-allow-origin`]: 'https://a.com' }, expect: { cors: undefined } },
    { description: 'load-balance ewma', annotations: { [`${P}load-balance`]: 'ewma' }, expect: { loadBalance: 'ewma' } },
    { description: 'load-balance least_request', annotations: { [`${P}load-balance`]: 'least_request' }, expect: { loadBalance: 'least_request' } },
    { description: 'upstream-hash-by', annotations: { [`${P}upstream-hash-by`]: '$http_x_user$remote_addr' }, expect: { upstreamHashBy: '$http_x_user$remote_addr' } },
    { description: 'other prefixes are not ours to judge', annotations: { 'example.com/thing': 'x', 'kubernetes.io/ingress.class': 'skiff' }, expect: {} },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const r = parseAnnotations(c.annotations);
      assert.deepEqual(r.problems, []);
      for (const [k, v] of Object.entries(c.expect)) {
        assert.deepEqual(r.annotations[k as keyof IngressAnnotations], v, k);
      }
      assert.ok(Object.isFrozen(r.annotations));
    });
  }
});

describe('annotation parsing: invalid values are reported and the default applies', () => {
  const cases: { description: string; key: string; value: string; field: keyof IngressAnnotations; extra?: Record<string, string> }[] = [
    { description: 'non-boolean use-regex', key: 'use-regex', value: 'yes', field: 'useRegex' },
    { description: 'rewrite-target with nginx injection', key: 'rewrite-target', value: '/; return 200 "pwned"', field: 'rewriteTarget' },
    { description: 'rewrite-target with a newline', key: 'rewrite-target', value: '/a\nb', field: 'rewriteTarget' },
    { description: 'rewrite-target not absolute', key: 'rewrite-target', value: 'http://evil.com/', field: 'rewriteTarget' },
    { description: 'rewrite-target with dot segments', key: 'rewrite-target', value: '/a/../../etc', field: 'rewriteTarget' },
    { description: 'proxy-body-size unit', key: 'proxy-body-size', value: '10mb', field: 'proxyBodySizeBytes' },
    { description: 'proxy-body-size negative', key: 'proxy-body-size', value: '-1', field: 'proxyBodySizeBytes' },
    { description: 'proxy-body-size with injection', key: 'proxy-body-size', value: '1m; evil', field: 'proxyBodySizeBytes' },
    { description: 'timeout with unit', key: 'proxy-read-timeout', value: '60s', field: 'proxyReadTimeoutSeconds' },
    { description: 'timeout zero', key: 'proxy-connect-timeout', value: '0', field: 'proxyConnectTimeoutSeconds' },
    { description: 'timeout fractional', key: 'proxy-send-timeout', value: '1.5', field: 'proxySendTimeoutSeconds' },
    { description: 'limit-rps negative', key: 'limit-rps', value: '-5', field: 'limitRps' },
    { description: 'burst multiplier zero', key: 'limit-burst-multiplier', value: '0', field: 'limitBurstMultiplier' },
    { description: 'canary not boolean', key: 'canary', value: 'sometimes', field: 'canary' },
    { description: 'affinity other than cookie', key: 'affinity', value: 'ip', field: 'affinity' },
    { description: 'enable-cors not boolean', key: 'enable-cors', value: 'on', field: 'cors' },
    { description: 'load-balance unknown', key: 'load-balance', value: 'random', field: 'loadBalance' },
    { description: 'upstream-hash-by not a variable', key: 'upstream-hash-by', value: 'request_uri; evil', field: 'upstreamHashBy' },
  ];
  for (const c of cases) {
    it(`${c.description}: ${JSON.stringify(c.value)}`, () => {
      const r = parseAnnotations({ [`${P}${c.key}`]: c.value, ...c.extra });
      assert.deepEqual(r.problems.map((p) => [p.annotation, p.reason]), [[`${P}${c.key}`, 'InvalidAnnotation']]);
      assert.deepEqual(r.annotations[c.field], DEFAULT_ANNOTATIONS[c.field]);
      assert.equal(JSON.stringify(r.annotations), JSON.stringify(DEFAULT_ANNOTATIONS), 'the invalid value never reaches the result');
    });
  }

  const nested: { description: string; annotations: Record<string, string>; bad: string; check: (a: IngressAnnotations) => void }[] = [
    { description: 'canary weight over 100', annotations: { [`${P}canary-weight`]: '150' }, bad: 'canary-weight',
      check: (a) => assert.equal(a.canaryPolicy.weight, undefined) },
    { description: 'canary weight over a custom total', annotations: { [`${P}canary-weight`]: '300', [`${P}canary-weight-total`]: '200' }, bad: 'canary-weight',
      check: (a) => assert.deepEqual([a.canaryPolicy.weight, a.canaryPolicy.weightTotal], [undefined, 200]) },
    { description: 'canary weight not a number', annotations: { [`${P}canary-weight`]: 'ten' }, bad: 'canary-weight',
      check: (a) => assert.equal(a.canaryPolicy.weight, undefined) },
    { description: 'canary header with a space', annotations: { [`${P}canary-by-header`]: 'X Canary' }, bad: 'canary-by-header',
      check: (a) => assert.equal(a.canaryPolicy.header, undefined) },
    { description: 'canary header pattern that does not compile', annotations: { [`${P}canary-by-header-pattern`]: '(' }, bad: 'canary-by-header-pattern',
      check: (a) => assert.equal(a.canaryPolicy.headerPattern, undefined) },
    { description: 'session cookie name with ;', annotations: { [`${P}affinity`]: 'cookie', [`${P}session-cookie-name`]: 'a;Domain=evil' }, bad: 'session-cookie-name',
      check: (a) => assert.equal(a.affinity?.cookieName, 'INGRESSCOOKIE') },
    { description: 'session cookie max-age text', annotations: { [`${P}affinity`]: 'cookie', [`${P}session-cookie-max-age`]: 'forever' }, bad: 'session-cookie-max-age',
      check: (a) => assert.equal(a.affinity?.maxAgeSeconds, undefined) },
    { description: 'session cookie path relative', annotations: { [`${P}affinity`]: 'cookie', [`${P}session-cookie-path`]: 'app' }, bad: 'session-cookie-path',
      check: (a) => assert.equal(a.affinity?.path, undefined) },
    { description: 'cors origin with a path', annotations: { [`${P}enable-cors`]: 'true', [`${P}cors-allow-origin`]: 'https://a.com/x' }, bad: 'cors-allow-origin',
      check: (a) => assert.deepEqual(a.cors?.allowOrigins, ['*']) },
    { description: 'cors methods with CRLF', annotations: { [`${P}enable-cors`]: 'true', [`${P}cors-allow-methods`]: 'GET\r\nX-Evil: 1' }, bad: 'cors-allow-methods',
      check: (a) => assert.equal(a.cors?.allowMethods.length, 6) },
    { description: 'cors headers with a colon', annotations: { [`${P}enable-cors`]: 'true', [`${P}cors-allow-headers`]: 'X-A:1' }, bad: 'cors-allow-headers',
      check: (a) => assert.equal(a.cors?.allowHeaders.includes('X-A:1'), false) },
  ];
  for (const c of nested) {
    it(c.description, () => {
      const r = parseAnnotations(c.annotations);
      assert.deepEqual(r.problems.map((p) => p.annotation), [`${P}${c.bad}`]);
      c.check(r.annotations);
    });
  }

  it('reports unsupported nginx annotations without failing', () => {
    const r = parseAnnotations({ [`${P}configuration-snippet`]: 'more_set_headers "X: y";', [`${P}use-regex`]: 'true' });
    assert.deepEqual(r.problems.map((p) => [p.annotation, p.reason]), [[`${P}configuration-snippet`, 'UnsupportedAnnotation']]);
    assert.equal(r.annotations.useRegex, true);
  });

  it('messages never carry raw control characters', () => {
    const r = parseAnnotations({ [`${P}load-balance`]: 'x\r\ny', [`${P}limit-rps`]: 'a\u0000b' });
    assert.equal(r.problems.length, 2);
    for (const p of r.problems) assert.ok([...p.message].every((ch) => ch.charCodeAt(0) >= 0x20), p.message);
  });
});
