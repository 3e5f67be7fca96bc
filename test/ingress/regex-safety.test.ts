/**
 * Ingress regexes run on RE2 (linear time): a catastrophic pattern cannot stall the proxy, patterns RE2 cannot
 * compile are refused with a problem naming the Ingress and the pattern, and generated nested-quantifier
 * patterns agree with JavaScript's regexes on short inputs while adversarial long inputs are answered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IngressProxy } from '../../ingress/index.js';
import { build, makeIngress, serviceFor } from './fixtures.js';
import { get, proxyFor, serviceFor as echoService, startEcho, type Echo } from './proxy-support.js';
import { mulberry32, pick } from './random.js';

const USE_REGEX = { 'nginx.ingress.kubernetes.io/use-regex': 'true' };

describe('regex paths: patterns RE2 refuses', () => {
  const refused = ['/a/(x)\\1', '/b/(?=x)y', '/c/(?!x)', '/d/(?<=a)b', '/e/(?<!a)b'];
  const b = build([makeIngress({ name: 'bad-regex', annotations: USE_REGEX, rules: [{ host: 'r.test', paths: [
    ...refused.map((path) => ({ path, type: 'ImplementationSpecific' as const, service: 'svc' })),
    { path: '/ok/(x+)', type: 'ImplementationSpecific' as const, service: 'ok' },
  ] }] })]);
  for (const pattern of refused) {
    it(`${pattern} is not served and its problem names the Ingress and the pattern`, () => {
      const p = b.problems.find((x) => x.message.includes(`"${pattern}"`));
      assert.ok(p !== undefined, JSON.stringify(b.problems));
      assert.equal(p.reason, 'InvalidPath');
      assert.deepEqual([p.ingress.namespace, p.ingress.name], ['default', 'bad-regex']);
      assert.match(p.message, /not a valid regular expression/);
      assert.equal(serviceFor(b, 'r.test', pattern.replace(/\(.*$/, 'xy')), '404');
    });
  }
  it('the other regex paths of that Ingress are still served', () => {
    assert.equal(serviceFor(b, 'r.test', '/ok/xxx'), 'ok');
  });
  it('canary-by-header-pattern refuses them too (the annotation is ignored, with a problem)', () => {
    const c = build([
      makeIngress({ name: 'main', rules: [{ host: 'c.test', paths: [{ path: '/', service: 'stable' }] }] }),
      makeIngress({ name: 'canary', annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-C', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': '(a)\\1' },
        rules: [{ host: 'c.test', paths: [{ path: '/', service: 'next' }] }] }),
    ]);
    assert.ok(c.problems.some((p) => p.ingress.name === 'canary' && p.message.includes('(a)\\1')), JSON.stringify(c.problems));
  });
});

describe('regex paths: a catastrophic pattern is answered without stalling the proxy', () => {
  let proxy: IngressProxy;
  let slow: Echo;
  let other: Echo;
  before(async () => {
    slow = await startEcho('slow');
    other = await startEcho('other');
    const s = echoService('slow', [slow]);
    const o = echoService('other', [other]);
    proxy = await proxyFor({
      services: [s.svc, o.svc], endpoints: [s.eps, o.eps],
      ingresses: [
        makeIngress({ name: 'evil', annotations: USE_REGEX, rules: [{ host: 'evil.test', paths: [{ path: '/r/(a+)+$', type: 'ImplementationSpecific', service: 'slow' }] }] }),
        makeIngress({ name: 'other', rules: [{ host: 'other.test', paths: [{ path: '/', service: 'other' }] }] }),
      ],
    });
  });
  after(async () => {
    await proxy.close();
    await slow.close();
    await other.close();
  });

  it('a 50-character pathological path is answered while other routes keep serving', { timeout: 60_000 }, async () => {
    const evilPath = `/r/${'a'.repeat(46)}!`;
    let evilDone = false;
    const evil = get(proxy.httpPort, evilPath, { host: 'evil.test' }).then((r) => { evilDone = true; return r; });
    const others = await Promise.all(Array.from({ length: 5 }, (_, i) => get(proxy.httpPort, `/x${i}`, { host: 'other.test' })));
    assert.deepEqual(others.map((r) => r.json?.name), ['other', 'other', 'other', 'other', 'other']);
    const r = await evil;
    assert.ok(evilDone);
    assert.equal(r.status, 404, 'the path does not match (a+)+$');
    const matching = await get(proxy.httpPort, `/R/${'a'.repeat(46)}`, { host: 'evil.test' });
    assert.equal(matching.json?.name, 'slow', 'the same pattern still matches, case-insensitively');
  });
});

describe('regex paths: generated nested quantifiers', () => {
  const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? 0x7e22);
  const atoms = ['a', '[a-c]', '\\w', 'a|aa', '(a|a)', '(a?)', '[^/]'];
  const quants = ['+', '*', '{1,4}', '+?', '?'];
  const tails = ['$', 'b', '', '/x$'];
  const rand = mulberry32(SEED);
  const patterns: string[] = [];
  for (let i = 0; i < 40; i++) {
    let p = pick(rand, atoms);
    const depth = 1 + Math.floor(rand() * 3);
    for (let d = 0; d < depth; d++) p = `(${p}${pick(rand, quants)})`;
    patterns.push(`/g${i}/${p}${pick(rand, quants)}${pick(rand, tails)}`);
  }
  const b = build([makeIngress({ name: 'gen', annotations: USE_REGEX, rules: [{ host: 'g.test', paths: [
    { path: '/', service: 'root' },
    ...patterns.map((path, i) => ({ path, type: 'ImplementationSpecific' as const, service: `g${i}` })),
  ] }] })]);

  it(`40 patterns (seed ${SEED}) agree with JavaScript's RegExp on short inputs`, () => {
    assert.deepEqual(b.problems, []);
    for (const [i, p] of patterns.entries()) {
      const js = new RegExp(`^${p}`, 'i');
      for (const tail of ['', 'a', 'aab', 'AAA', 'ab/x', 'b', 'c!', 'aaaa/x']) {
        const path = `/g${i}/${tail}`;
        const want = js.test(path) ? `g${i}` : 'root';
        assert.equal(serviceFor(b, 'g.test', path), want, `${p} on ${path}`);
      }
    }
  });

  it('adversarial inputs (long runs, then a mismatch) are answered for every pattern', { timeout: 60_000 }, () => {
    for (const [i, p] of patterns.entries()) {
      for (const n of [30, 60, 2000]) {
        const path = `/g${i}/${'a'.repeat(n)}!`;
        const got = serviceFor(b, 'g.test', path);
        assert.ok(got === `g${i}` || got === 'root', `${p}: ${got}`);
      }
      assert.equal(serviceFor(b, 'g.test', `/g${i}/${'a'.repeat(9000)}`), 'root', 'inputs over 8 KiB never match a regex route');
    }
  });
});
