/**
 * Issue 22 item 2 with the API server, the ingress controller and the proxy on one event loop, as in
 * `skiff up`: a catastrophic `use-regex` path is answered while another route and the API keep serving,
 * and a pattern RE2 cannot compile is refused with a Warning event that names the Ingress and the pattern.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Service } from '../../core/api/index.js';
import { ingressTarget } from '../../ingress/index.js';
import { makeIngress } from './fixtures.js';
import { get, serviceFor, startEcho, type Echo } from './proxy-support.js';
import { eventually, startCluster, type Cluster } from './controller-support.js';

const svcT = { apiVersion: 'v1', plural: 'services', namespaced: true };
const epT = { apiVersion: 'v1', plural: 'endpoints', namespaced: true };
const USE_REGEX = { 'nginx.ingress.kubernetes.io/use-regex': 'true' };

interface EventList { items: { type?: string; reason?: string; message?: string; involvedObject?: { kind?: string; name?: string } }[] }

describe('regex paths on the control plane\'s event loop', () => {
  let c: Cluster;
  let slow: Echo;
  let other: Echo;
  before(async () => {
    c = await startCluster();
    slow = await startEcho('slow');
    other = await startEcho('other');
    for (const [name, e] of [['slow', slow], ['other', other]] as const) {
      const s = serviceFor(name, [e]);
      await c.client.create<Service>(svcT, s.svc);
      await c.client.create<Endpoints>(epT, s.eps);
    }
    await c.client.create(ingressTarget, makeIngress({ name: 'evil', annotations: USE_REGEX,
      rules: [{ host: 'evil.test', paths: [{ path: '/r/(a+)+$', type: 'ImplementationSpecific', service: 'slow' }] }] }));
    await c.client.create(ingressTarget, makeIngress({ name: 'other', rules: [{ host: 'other.test', paths: [{ path: '/', service: 'other' }] }] }));
    await eventually(async () => (await get(c.ingress.httpPort, '/r/aaa', { host: 'evil.test' })).status === 200, 30_000, 'regex route');
    await eventually(async () => (await get(c.ingress.httpPort, '/', { host: 'other.test' })).status === 200, 30_000, 'other route');
  });
  after(async () => {
    await c.close();
    await slow.close();
    await other.close();
  });

  it('a pathological path is answered while another route and the API are served', { timeout: 120_000 }, async () => {
    const order: string[] = [];
    // With a backtracking engine this input takes 2^46 steps; RE2 answers in time linear in its length.
    const evil = get(c.ingress.httpPort, `/r/${'a'.repeat(46)}!`, { host: 'evil.test' }).then((r) => { order.push('evil'); return r; });
    const route = get(c.ingress.httpPort, '/x', { host: 'other.test' }).then((r) => { order.push('route'); return r; });
    const api = c.h.req('GET', '/api/v1/namespaces/default/services').then((r) => { order.push('api'); return r; });
    const [e, r, a] = await Promise.all([evil, route, api]);
    assert.equal(e.status, 404, 'the path does not match (a+)+$');
    assert.equal(r.json?.name, 'other');
    assert.equal(a.status, 200, a.text);
    assert.deepEqual([...order].sort(), ['api', 'evil', 'route']);
  });

  it('a pattern RE2 cannot compile gets a Warning event naming the Ingress and the pattern', { timeout: 120_000 }, async () => {
    await c.client.create(ingressTarget, makeIngress({ name: 'backref', annotations: USE_REGEX,
      rules: [{ host: 'b.test', paths: [{ path: '/a/(x)\\1', type: 'ImplementationSpecific', service: 'slow' }] }] }));
    let found: EventList['items'][number] | undefined;
    await eventually(async () => {
      const res = await c.h.req('GET', '/api/v1/namespaces/default/events');
      found = (res.body as EventList).items.find((ev) => ev.involvedObject?.kind === 'Ingress' && ev.involvedObject.name === 'backref');
      return found !== undefined;
    }, 60_000, 'an event on the Ingress');
    assert.equal(found?.type, 'Warning');
    assert.match(found?.message ?? '', /\/a\/\(x\)\\1/);
    assert.equal((await get(c.ingress.httpPort, '/a/xx', { host: 'b.test' })).status, 404, 'the refused path is not served');
  });
});
