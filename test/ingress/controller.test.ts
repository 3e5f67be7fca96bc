/** The controller against an in-process API server: routing follows the API, status, events, class, metrics. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress } from '../../core/api/index.js';
import { ingressClassTarget, ingressTarget } from '../../ingress/index.js';
import { makeIngress } from './fixtures.js';
import { get, serviceFor, startEchoes, type Echo } from './proxy-support.js';
import { eventually, startCluster, type Cluster } from './controller-support.js';

const svcT = { apiVersion: 'v1', plural: 'services', namespaced: true };
const epT = { apiVersion: 'v1', plural: 'endpoints', namespaced: true };

describe('ingress controller', () => {
  let c: Cluster;
  let echoes: Echo[];
  before(async () => {
    c = await startCluster();
    echoes = await startEchoes('web-1', 'web-2');
    const s = serviceFor('web', echoes);
    await c.client.create(svcT, s.svc);
    await c.client.create(epT, s.eps);
  });
  after(async () => {
    await c.close();
    await Promise.all(echoes.map((e) => e.close()));
  });

  it('creates the default IngressClass skiff', async () => {
    const cls = await c.client.get(ingressClassTarget, undefined, 'skiff');
    assert.equal((cls as { spec?: { controller?: string } }).spec?.controller, 'skiff.dev/ingress-controller');
    assert.equal(cls.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'], 'true');
  });

  it('serves a created Ingress, writes its status, and stops serving it once deleted', async () => {
    await c.client.create(ingressTarget, makeIngress({ name: 'web', rules: [{ host: 'web.test', paths: [{ path: '/', service: 'web' }] }] }));
    await eventually(async () => (await get(c.ingress.httpPort, '/x', { host: 'web.test' })).status === 200, 5000, 'route');
    await eventually(async () => {
      const ing = await c.client.get<Ingress>(ingressTarget, 'default', 'web');
      return ing.status?.loadBalancer?.ingress?.[0]?.ip === '127.0.0.1';
    }, 5000, 'status');
    await c.client.delete(ingressTarget, 'default', 'web');
    await eventually(async () => (await get(c.ingress.httpPort, '/x', { host: 'web.test' })).status === 404, 5000, 'removal');
    assert.ok(c.ingress.tableGeneration() >= 3);
  });

  it('never writes status on an Ingress of another class, and records one event per problem', async () => {
    await c.client.create(ingressTarget, makeIngress({ name: 'other', className: 'nginx', rules: [{ host: 'o.test', paths: [{ path: '/', service: 'web' }] }] }));
    await c.client.create(ingressTarget, makeIngress({ name: 'broken', rules: [{ host: 'b.test', paths: [{ path: '/', service: 'missing' }] }] }));
    await eventually(async () => {
      const ev = await c.client.list({ apiVersion: 'v1', plural: 'events', namespaced: true }, { namespace: 'default' });
      return ev.items.some((e) => (e as { reason?: string }).reason === 'ServiceNotFound');
    }, 5000, 'event');
    // More rebuilds must not repeat the event.
    await c.client.create(ingressTarget, makeIngress({ name: 'poke', rules: [{ host: 'p.test', paths: [{ path: '/', service: 'web' }] }] }));
    await eventually(async () => (await get(c.ingress.httpPort, '/', { host: 'p.test' })).status === 200, 5000, 'poke');
    const ev = await c.client.list({ apiVersion: 'v1', plural: 'events', namespaced: true }, { namespace: 'default' });
    const notFound = ev.items.filter((e) => (e as { reason?: string }).reason === 'ServiceNotFound');
    assert.equal(notFound.length, 1);
    assert.equal((notFound[0] as { count?: number }).count ?? 1, 1);
    const other = await c.client.get<Ingress>(ingressTarget, 'default', 'other');
    assert.equal(other.status?.loadBalancer?.ingress, undefined);
  });

  it('exposes metrics with the rule path as label', async () => {
    await get(c.ingress.httpPort, '/some/deep/path', { host: 'p.test' });
    const text = await c.registry.metrics();
    assert.match(text, /nginx_ingress_controller_requests\{status="200",method="GET",host="p.test",path="\/",namespace="default",ingress="poke",service="web"\} \d+/);
    assert.match(text, /nginx_ingress_controller_config_last_reload_successful 1/);
    assert.match(text, /nginx_ingress_controller_upstream_latency_seconds_bucket/);
  });

  it('drops the request metrics of a deleted Ingress', async () => {
    await c.client.create(ingressTarget, makeIngress({ name: 'brief', rules: [{ host: 'brief.test', paths: [{ path: '/', service: 'web' }] }] }));
    await eventually(async () => (await get(c.ingress.httpPort, '/', { host: 'brief.test' })).status === 200, 5000, 'brief route');
    assert.match(await c.registry.metrics(), /ingress="brief"/);
    await c.client.delete(ingressTarget, 'default', 'brief');
    await eventually(async () => !/ingress="brief"/.test(await c.registry.metrics()), 5000, 'brief series gone');
    assert.match(await c.registry.metrics(), /ingress="poke"/, 'other Ingresses keep theirs');
  });
});
