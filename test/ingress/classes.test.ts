import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress } from '../../core/api/index.js';
import { buildRouteTable } from '../../ingress/index.js';
import { makeClass, makeIngress, servicesFor } from './fixtures.js';

function withClass(o: { name: string; className?: string; legacy?: string }): Ingress {
  const ing = makeIngress({ name: o.name, rules: [{ host: `${o.name}.example.com`, paths: [{ path: '/', service: o.name }] }] });
  if (ing.spec !== undefined) {
    if (o.className === undefined) delete ing.spec.ingressClassName;
    else ing.spec.ingressClassName = o.className;
  }
  if (o.legacy !== undefined) ing.metadata.annotations = { 'kubernetes.io/ingress.class': o.legacy };
  return ing;
}

describe('ingress class selection', () => {
  const cases: {
    description: string; ing: Ingress; classes: ReturnType<typeof makeClass>[];
    controllerName?: string; watchWithoutClass?: boolean; ours: boolean;
  }[] = [
    { description: 'ingressClassName naming our class', ing: withClass({ name: 'a', className: 'skiff' }),
      classes: [makeClass('skiff')], ours: true },
    { description: 'ingressClassName naming another controller\'s class', ing: withClass({ name: 'a', className: 'nginx' }),
      classes: [makeClass('skiff'), makeClass('nginx', 'k8s.io/ingress-nginx')], ours: false },
    { description: 'ingressClassName naming a missing class', ing: withClass({ name: 'a', className: 'ghost' }),
      classes: [makeClass('skiff')], ours: false },
    { description: 'legacy annotation naming our class', ing: withClass({ name: 'a', legacy: 'skiff' }),
      classes: [makeClass('skiff')], ours: true },
    { description: 'legacy annotation naming another class', ing: withClass({ name: 'a', legacy: 'nginx' }),
      classes: [makeClass('skiff'), makeClass('nginx', 'k8s.io/ingress-nginx')], ours: false },
    { description: 'no class, our class is the default', ing: withClass({ name: 'a' }),
      classes: [makeClass('skiff', undefined, true)], ours: true },
    { description: 'no class, another controller\'s class is the default', ing: withClass({ name: 'a' }),
      classes: [makeClass('skiff'), makeClass('nginx', 'k8s.io/ingress-nginx', true)], ours: false },
    { description: 'no class, two defaults: the newest (ours) wins', ing: withClass({ name: 'a' }),
      classes: [makeClass('nginx', 'k8s.io/ingress-nginx', true, '2024-01-01T00:00:00Z'), makeClass('skiff', undefined, true, '2024-06-01T00:00:00Z')],
      ours: true },
    { description: 'no class, no default', ing: withClass({ name: 'a' }), classes: [makeClass('skiff')], ours: false },
    { description: 'no class, no default, watchIngressWithoutClass', ing: withClass({ name: 'a' }),
      classes: [makeClass('skiff')], watchWithoutClass: true, ours: true },
    { description: 'no class, another default, watchIngressWithoutClass', ing: withClass({ name: 'a' }),
      classes: [makeClass('skiff'), makeClass('nginx', 'k8s.io/ingress-nginx', true)], watchWithoutClass: true, ours: true },
    { description: 'watchIngressWithoutClass does not take other classes', ing: withClass({ name: 'a', className: 'nginx' }),
      classes: [makeClass('nginx', 'k8s.io/ingress-nginx')], watchWithoutClass: true, ours: false },
    { description: 'custom controller name', ing: withClass({ name: 'a', className: 'mine' }),
      classes: [makeClass('mine', 'example.com/mine')], controllerName: 'example.com/mine', ours: true },
    { description: 'default controller name does not match a custom class', ing: withClass({ name: 'a', className: 'mine' }),
      classes: [makeClass('mine', 'example.com/mine')], ours: false },
  ];
  for (const c of cases) {
    it(`${c.description} → ${c.ours ? 'ours' : 'ignored'}`, () => {
      const b = buildRouteTable({
        ingresses: [c.ing], ingressClasses: c.classes, ...servicesFor([c.ing]), secrets: [],
        ...(c.controllerName === undefined ? {} : { controllerName: c.controllerName }),
        ...(c.watchWithoutClass === undefined ? {} : { watchIngressWithoutClass: c.watchWithoutClass }),
      });
      const routed = b.table.lookup('a.example.com', '/')?.backend.serviceName;
      assert.equal(routed, c.ours ? 'a' : undefined);
      assert.deepEqual(b.accepted.map((r) => r.name), c.ours ? ['a'] : []);
      assert.deepEqual(b.ignored.map((r) => r.ingress.name), c.ours ? [] : ['a']);
      assert.deepEqual(b.problems, [], 'ignored Ingresses get no problems/events');
    });
  }

  it('ignores Ingresses of other classes entirely, even their conflicts and bad annotations', () => {
    const other = withClass({ name: 'x', className: 'nginx' });
    other.metadata.annotations = { 'nginx.ingress.kubernetes.io/proxy-body-size': 'huge' };
    const mine = withClass({ name: 'x2', className: 'skiff' });
    const b = buildRouteTable({
      ingresses: [other, mine], ingressClasses: [makeClass('skiff'), makeClass('nginx', 'k8s.io/ingress-nginx')],
      ...servicesFor([other, mine]), secrets: [],
    });
    assert.deepEqual(b.problems, []);
    assert.deepEqual(b.ignored.map((i) => i.ingress.name), ['x']);
    assert.equal(b.table.lookup('x.example.com', '/'), undefined);
    assert.equal(b.table.lookup('x2.example.com', '/')?.backend.serviceName, 'x2');
  });
});
