import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseBackend, type CanaryRequest, type RouteMatch } from '../../ingress/index.js';
import { build, makeIngress } from './fixtures.js';
import { mulberry32 as seeded } from './random.js';

const CANARY = 'nginx.ingress.kubernetes.io/canary';

function withCanary(annotations: Record<string, string>, host = 'shop.com'): ReturnType<typeof build> {
  return build([
    makeIngress({ name: 'primary', created: '2024-01-01T00:00:00Z', rules: [{ host, paths: [{ path: '/', service: 'stable' }] }] }),
    makeIngress({ name: 'canary', created: '2024-02-01T00:00:00Z', annotations: { [CANARY]: 'true', ...annotations },
      rules: [{ host, paths: [{ path: '/', service: 'next' }] }] }),
  ]);
}

const noRequest: CanaryRequest = { headers: {}, cookies: {} };
const never = (): number => {
  throw new Error('rand must not be drawn');
};

function route(b: ReturnType<typeof build>): RouteMatch {
  const m = b.table.lookup('shop.com', '/x');
  assert.ok(m !== undefined);
  return m;
}

describe('canary routes', () => {
  it('attach to the primary instead of conflicting', () => {
    const b = withCanary({ 'nginx.ingress.kubernetes.io/canary-weight': '10' });
    assert.deepEqual(b.problems, []);
    const m = route(b);
    assert.equal(m.backend.serviceName, 'stable');
    assert.equal(m.ingress.name, 'primary');
    assert.equal(m.canary?.backend.serviceName, 'next');
    assert.equal(m.canary?.ingress.name, 'canary');
    assert.equal(m.canary?.policy.weight, 10);
  });

  it('a canary without a primary is reported and routes nothing', () => {
    const b = build([makeIngress({ name: 'lonely', annotations: { [CANARY]: 'true' },
      rules: [{ host: 'x.com', paths: [{ path: '/', service: 'next' }] }] })]);
    assert.deepEqual(b.problems.map((p) => p.reason), ['CanaryWithoutPrimary']);
    assert.equal(b.table.lookup('x.com', '/'), undefined);
  });

  it('a second canary for the same route is reported', () => {
    const b = build([
      makeIngress({ name: 'p', created: '2024-01-01T00:00:00Z', rules: [{ host: 'x.com', paths: [{ path: '/', service: 's' }] }] }),
      makeIngress({ name: 'c1', created: '2024-01-02T00:00:00Z', annotations: { [CANARY]: 'true' }, rules: [{ host: 'x.com', paths: [{ path: '/', service: 'c1' }] }] }),
      makeIngress({ name: 'c2', created: '2024-01-03T00:00:00Z', annotations: { [CANARY]: 'true' }, rules: [{ host: 'x.com', paths: [{ path: '/', service: 'c2' }] }] }),
    ]);
    assert.deepEqual(b.problems.map((p) => [p.ingress.name, p.reason]), [['c2', 'Conflict']]);
    assert.equal(b.table.lookup('x.com', '/')?.canary?.backend.serviceName, 'c1');
  });

  const choices: { description: string; annotations: Record<string, string>; request: CanaryRequest; rand: () => number; canary: boolean }[] = [
    { description: 'no canary policy → primary', annotations: {}, request: noRequest, rand: never, canary: false },
    { description: 'header always', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary' },
      request: { headers: { 'x-canary': 'always' }, cookies: {} }, rand: never, canary: true },
    { description: 'header never beats cookie always', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary', 'nginx.ingress.kubernetes.io/canary-by-cookie': 'beta' },
      request: { headers: { 'x-canary': 'never' }, cookies: { beta: 'always' } }, rand: never, canary: false },
    { description: 'header name is case-insensitive', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'x-canary' },
      request: { headers: { 'X-CANARY': 'always' }, cookies: {} }, rand: never, canary: true },
    { description: 'header value match', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Region', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'eu' },
      request: { headers: { 'x-region': 'eu' }, cookies: {} }, rand: never, canary: true },
    { description: 'header value mismatch falls through to weight 0', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Region', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'eu' },
      request: { headers: { 'x-region': 'us' }, cookies: {} }, rand: never, canary: false },
    { description: 'header value mismatch falls through to cookie', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Region', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'eu', 'nginx.ingress.kubernetes.io/canary-by-cookie': 'beta' },
      request: { headers: { 'x-region': 'us' }, cookies: { beta: 'always' } }, rand: never, canary: true },
    { description: 'header pattern match', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'X-User', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^(alice|bob)$' },
      request: { headers: { 'x-user': ['bob'] }, cookies: {} }, rand: never, canary: true },
    { description: 'with a header value, "always" is just a value', annotations: { 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Region', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'eu' },
      request: { headers: { 'x-region': 'always' }, cookies: {} }, rand: never, canary: false },
    { description: 'cookie always', annotations: { 'nginx.ingress.kubernetes.io/canary-by-cookie': 'beta' },
      request: { headers: {}, cookies: { beta: 'always' } }, rand: never, canary: true },
    { description: 'cookie never beats weight 100', annotations: { 'nginx.ingress.kubernetes.io/canary-by-cookie': 'beta', 'nginx.ingress.kubernetes.io/canary-weight': '100' },
      request: { headers: {}, cookies: { beta: 'never' } }, rand: never, canary: false },
    { description: 'other cookie values fall through to weight 100', annotations: { 'nginx.ingress.kubernetes.io/canary-by-cookie': 'beta', 'nginx.ingress.kubernetes.io/canary-weight': '100' },
      request: { headers: {}, cookies: { beta: 'maybe' } }, rand: () => 0.999, canary: true },
    { description: 'weight 0 never', annotations: { 'nginx.ingress.kubernetes.io/canary-weight': '0' }, request: noRequest, rand: never, canary: false },
    { description: 'weight 30: draw 0.29 → 30 ≤ 30 → canary', annotations: { 'nginx.ingress.kubernetes.io/canary-weight': '30' }, request: noRequest, rand: () => 0.29, canary: true },
    { description: 'weight 30: draw 0.30 → 31 > 30 → primary', annotations: { 'nginx.ingress.kubernetes.io/canary-weight': '30' }, request: noRequest, rand: () => 0.3, canary: false },
  ];
  for (const c of choices) {
    it(`chooses ${c.canary ? 'canary' : 'primary'}: ${c.description}`, () => {
      const choice = chooseBackend(route(withCanary(c.annotations)), c.request, c.rand);
      assert.equal(choice.canary, c.canary);
      assert.equal(choice.backend.serviceName, c.canary ? 'next' : 'stable');
    });
  }

  const distributions: { weight: string; total?: string; expected: number }[] = [
    { weight: '10', expected: 0.1 },
    { weight: '50', expected: 0.5 },
    { weight: '1', total: '1000', expected: 0.001 },
    { weight: '750', total: '1000', expected: 0.75 },
  ];
  for (const d of distributions) {
    it(`weight ${d.weight}/${d.total ?? '100'} sends about ${d.expected * 100}% to the canary (seeded)`, () => {
      const m = route(withCanary({
        'nginx.ingress.kubernetes.io/canary-weight': d.weight,
        ...(d.total === undefined ? {} : { 'nginx.ingress.kubernetes.io/canary-weight-total': d.total }),
      }));
      const rand = seeded(42);
      const n = 20_000;
      let hits = 0;
      for (let i = 0; i < n; i++) if (chooseBackend(m, noRequest, rand).canary) hits++;
      const sd = Math.sqrt(n * d.expected * (1 - d.expected));
      assert.ok(Math.abs(hits - n * d.expected) < 5 * sd + 1, `${hits} of ${n}`);
    });
  }
});
