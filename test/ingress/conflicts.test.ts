import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRouteTable } from '../../ingress/index.js';
import { build, makeClass, makeEndpoints, makeIngress, makeService, serviceFor } from './fixtures.js';

describe('conflicts: the oldest Ingress wins', () => {
  const cases: { description: string; first: { name: string; namespace?: string; created: string };
    second: { name: string; namespace?: string; created: string }; winner: string }[] = [
    { description: 'older creationTimestamp wins', first: { name: 'new', created: '2024-02-01T00:00:00Z' },
      second: { name: 'old', created: '2024-01-01T00:00:00Z' }, winner: 'old' },
    { description: 'same timestamp: namespace/name order wins', first: { name: 'b', created: '2024-01-01T00:00:00Z' },
      second: { name: 'a', created: '2024-01-01T00:00:00Z' }, winner: 'a' },
    { description: 'same timestamp: namespace before name', first: { name: 'a', namespace: 'zz', created: '2024-01-01T00:00:00Z' },
      second: { name: 'z', namespace: 'aa', created: '2024-01-01T00:00:00Z' }, winner: 'z' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const mk = (o: typeof c.first): ReturnType<typeof makeIngress> => makeIngress({
        ...o, rules: [{ host: 'h.com', paths: [{ path: '/x', service: `svc-${o.name}` }] }] });
      const b = build([mk(c.first), mk(c.second)]);
      assert.equal(serviceFor(b, 'h.com', '/x/y'), `svc-${c.winner}`);
      const loser = c.winner === c.first.name ? c.second.name : c.first.name;
      assert.equal(b.problems.length, 1);
      assert.equal(b.problems[0]?.reason, 'Conflict');
      assert.equal(b.problems[0]?.ingress.name, loser);
      assert.match(b.problems[0]?.message ?? '', new RegExp(`older Ingress .*/${c.winner};`));
    });
  }

  it('Prefix /foo and Prefix /foo/ are the same route; Exact /foo is not', () => {
    const b = build([
      makeIngress({ name: 'a', created: '2024-01-01T00:00:00Z', rules: [{ host: 'h.com', paths: [{ path: '/foo', service: 'a' }] }] }),
      makeIngress({ name: 'b', created: '2024-01-02T00:00:00Z', rules: [{ host: 'h.com', paths: [
        { path: '/foo/', service: 'b' }, { path: '/foo', type: 'Exact', service: 'b-exact' }] }] }),
    ]);
    assert.deepEqual(b.problems.map((p) => [p.ingress.name, p.reason]), [['b', 'Conflict']]);
    assert.equal(serviceFor(b, 'h.com', '/foo/'), 'a');
    assert.equal(serviceFor(b, 'h.com', '/foo'), 'b-exact');
  });

  it('ImplementationSpecific (without regex) conflicts with Prefix of the same path', () => {
    const b = build([
      makeIngress({ name: 'a', created: '2024-01-01T00:00:00Z', rules: [{ host: 'h.com', paths: [{ path: '/p', service: 'a' }] }] }),
      makeIngress({ name: 'b', created: '2024-01-02T00:00:00Z', rules: [{ host: 'h.com', paths: [{ path: '/p', type: 'ImplementationSpecific', service: 'b' }] }] }),
    ]);
    assert.deepEqual(b.problems.map((p) => [p.ingress.name, p.reason]), [['b', 'Conflict']]);
    assert.equal(serviceFor(b, 'h.com', '/p/q'), 'a');
  });

  it('rules for the same host merge across Ingresses and namespaces', () => {
    const b = build([
      makeIngress({ name: 'a', namespace: 'one', rules: [{ host: 'shop.com', paths: [{ path: '/cart', service: 'cart' }] }] }),
      makeIngress({ name: 'b', namespace: 'two', rules: [{ host: 'SHOP.com', paths: [{ path: '/', service: 'web' }] }] }),
    ]);
    assert.deepEqual(b.problems, []);
    const cart = b.table.lookup('shop.com', '/cart/1');
    assert.deepEqual([cart?.backend.namespace, cart?.backend.serviceName, cart?.ingress.namespace, cart?.ingress.name], ['one', 'cart', 'one', 'a']);
    const web = b.table.lookup('shop.com', '/cartx');
    assert.deepEqual([web?.backend.namespace, web?.backend.serviceName], ['two', 'web']);
    assert.equal(b.table.size, 2);
  });

  it('a path defined twice in one Ingress: the first wins', () => {
    const b = build([makeIngress({ name: 'dup', rules: [
      { host: 'h.com', paths: [{ path: '/a', service: 'first' }] },
      { host: 'H.com', paths: [{ path: '/a/', service: 'second' }] },
    ] })]);
    assert.equal(serviceFor(b, 'h.com', '/a'), 'first');
    assert.deepEqual(b.problems.map((p) => [p.reason, p.message]), [['Conflict', 'Prefix /a on host "H.com" is defined twice; the first one wins']]);
  });

  it('two catch-all default backends: the older wins', () => {
    const b = build([
      makeIngress({ name: 'late', created: '2024-03-01T00:00:00Z', defaultBackend: 'late' }),
      makeIngress({ name: 'early', created: '2024-01-01T00:00:00Z', defaultBackend: 'early' }),
    ]);
    assert.equal(serviceFor(b, 'any.com', '/'), 'early');
    assert.deepEqual(b.problems.map((p) => [p.ingress.name, p.reason]), [['late', 'Conflict']]);
  });
});

describe('backend resolution', () => {
  const ingress = makeIngress({ name: 'app', rules: [{ host: 'app.com', paths: [
    { path: '/named', service: 'multi', port: 'web' },
    { path: '/numbered', service: 'multi', port: 8443 },
    { path: '/single', service: 'single', port: 80 },
    { path: '/missing-svc', service: 'ghost', port: 80 },
    { path: '/missing-port', service: 'single', port: 81 },
    { path: '/no-eps', service: 'lonely', port: 80 },
    { path: '/external', service: 'ext', port: 443 },
  ] }] });
  const b = buildRouteTable({
    ingresses: [ingress],
    ingressClasses: [makeClass('skiff')],
    services: [
      makeService('multi', 'default', [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'tls', port: 8443, targetPort: 9443 }]),
      makeService('single', 'default', [{ port: 80, targetPort: 3000 }]),
      makeService('lonely'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' },
        spec: { type: 'ExternalName', externalName: 'api.example.org' } },
    ],
    endpoints: [
      {
        apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'multi', namespace: 'default' },
        subsets: [
          { addresses: [{ ip: '10.1.0.2' }, { ip: '10.1.0.1' }], notReadyAddresses: [{ ip: '10.1.0.9' }],
            ports: [{ name: 'web', port: 8080 }, { name: 'tls', port: 9443 }] },
          { addresses: [{ ip: 'fd00::1' }], ports: [{ name: 'web', port: 8081 }] },
        ],
      },
      makeEndpoints('single', { ready: ['10.2.0.1'], notReady: ['10.2.0.2'], ports: [{ port: 3000 }] }),
      makeEndpoints('lonely', { ready: [] }),
    ],
    secrets: [],
  });
  const cases: { description: string; path: string; endpoints: string[]; resolved: boolean }[] = [
    { description: 'named service port → endpoint port of that name, ready only, sorted, IPv6 bracketed', path: '/named',
      endpoints: ['10.1.0.1:8080', '10.1.0.2:8080', '[fd00::1]:8081'], resolved: true },
    { description: 'numbered service port → its named endpoint port', path: '/numbered', endpoints: ['10.1.0.1:9443', '10.1.0.2:9443'], resolved: true },
    { description: 'unnamed single port', path: '/single', endpoints: ['10.2.0.1:3000'], resolved: true },
    { description: 'missing Service: routed, no endpoints (503)', path: '/missing-svc', endpoints: [], resolved: false },
    { description: 'missing port: routed, no endpoints', path: '/missing-port', endpoints: [], resolved: false },
    { description: 'no ready endpoints', path: '/no-eps', endpoints: [], resolved: true },
  ];
  it('ExternalName service: no endpoints, the DNS name to dial', () => {
    const m = b.table.lookup('app.com', '/external');
    assert.deepEqual([m?.backend.externalName, m?.backend.servicePort.number, m?.backend.endpoints.length, m?.backend.resolved],
      ['api.example.org', 443, 0, true]);
  });
  for (const c of cases) {
    it(c.description, () => {
      const m = b.table.lookup('app.com', c.path);
      assert.equal(m?.path, c.path);
      assert.deepEqual(m?.backend.endpoints.map((e) => e.address), c.endpoints);
      assert.equal(m?.backend.resolved, c.resolved);
    });
  }
  it('reports the missing service and port', () => {
    assert.deepEqual(b.problems.map((p) => p.reason).sort(), ['ServiceNotFound', 'ServicePortNotFound']);
    assert.ok(b.problems.every((p) => p.ingress.name === 'app' && p.ingress.namespace === 'default'));
  });
  it('returns frozen matches', () => {
    const m = b.table.lookup('app.com', '/named');
    assert.ok(Object.isFrozen(m));
    assert.ok(Object.isFrozen(m?.backend));
    assert.ok(Object.isFrozen(m?.backend.endpoints));
    assert.ok(Object.isFrozen(m?.annotations));
    assert.ok(Object.isFrozen(b.table));
  });
});

describe('invalid rules are reported, not routed', () => {
  it('reports bad hosts, paths and non-service backends', () => {
    const ing = makeIngress({ name: 'bad', rules: [
      { host: 'under_score.com', paths: [{ path: '/', service: 's' }] },
      { host: 'ok.com', paths: [{ path: 'relative', type: 'Exact', service: 's' }, { path: '/a%2fb', service: 's' }] },
    ] });
    const okRule = ing.spec?.rules?.[1];
    okRule?.http?.paths.push({ path: '/res', pathType: 'Prefix', backend: { resource: { kind: 'Bucket', name: 'b' } } });
    const b = build([ing]);
    assert.deepEqual(b.problems.map((p) => p.reason), ['InvalidHost', 'InvalidPath', 'InvalidPath', 'InvalidBackend']);
    assert.equal(b.table.size, 0);
    assert.equal(b.table.lookup('ok.com', '/res'), undefined);
  });
});
