import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../core/api/index.js';
import { podDeleteStep } from '../../../core/apiserver/graceful.js';
import { FakeClock } from '../../../core/util/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function makePod(o: { node?: string; phase?: string; tgps?: number; deleting?: { at: string; grace: number } } = {}): KubeObject {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  const spec = pod.spec as Record<string, unknown>;
  if (o.node) spec.nodeName = o.node;
  if (o.tgps !== undefined) spec.terminationGracePeriodSeconds = o.tgps;
  if (o.phase) pod.status = { phase: o.phase };
  if (o.deleting) pod.metadata = { ...pod.metadata, deletionTimestamp: o.deleting.at, deletionGracePeriodSeconds: o.deleting.grace };
  return pod;
}

describe('podDeleteStep (CheckGracefulDelete + BeforeDelete)', () => {
  const cases = [
    { description: 'unscheduled pod is deleted at once', pod: makePod(), req: undefined, want: { kind: 'delete' } },
    { description: 'bound pod, no options → spec default 30s', pod: makePod({ node: 'n1' }), req: undefined, want: { kind: 'mark', grace: 30, deletionTimestamp: iso(t0 + 30_000), first: true } },
    { description: 'bound pod uses terminationGracePeriodSeconds', pod: makePod({ node: 'n1', tgps: 5 }), req: undefined, want: { kind: 'mark', grace: 5, deletionTimestamp: iso(t0 + 5_000), first: true } },
    { description: 'options override the spec', pod: makePod({ node: 'n1', tgps: 5 }), req: 7, want: { kind: 'mark', grace: 7, deletionTimestamp: iso(t0 + 7_000), first: true } },
    { description: 'grace 0 deletes at once', pod: makePod({ node: 'n1' }), req: 0, want: { kind: 'delete' } },
    { description: 'negative grace is 1s', pod: makePod({ node: 'n1' }), req: -5, want: { kind: 'mark', grace: 1, deletionTimestamp: iso(t0 + 1_000), first: true } },
    { description: 'Succeeded pod is deleted at once', pod: makePod({ node: 'n1', phase: 'Succeeded' }), req: undefined, want: { kind: 'delete' } },
    { description: 'Failed pod is deleted at once', pod: makePod({ node: 'n1', phase: 'Failed' }), req: 10, want: { kind: 'delete' } },
    { description: 'pending: no grace given → no change', pod: makePod({ node: 'n1', deleting: { at: iso(t0 + 30_000), grace: 30 } }), req: undefined, want: { kind: 'pending' } },
    { description: 'pending: longer grace → no change', pod: makePod({ node: 'n1', deleting: { at: iso(t0 + 30_000), grace: 30 } }), req: 60, want: { kind: 'pending' } },
    { description: 'pending: shorter grace shortens from the original time', pod: makePod({ node: 'n1', deleting: { at: iso(t0 + 30_000), grace: 30 } }), req: 10, want: { kind: 'mark', grace: 10, deletionTimestamp: iso(t0 + 10_000), first: false } },
    { description: 'pending: grace 0 → removal', pod: makePod({ node: 'n1', deleting: { at: iso(t0 + 30_000), grace: 30 } }), req: 0, want: { kind: 'mark', grace: 0, deletionTimestamp: iso(t0), first: false } },
    { description: 'deleting with grace 0 (finalizers) → store delete', pod: makePod({ node: 'n1', deleting: { at: iso(t0), grace: 0 } }), req: 5, want: { kind: 'delete' } },
  ];
  for (const c of cases) {
    test(c.description, () => {
      assert.deepEqual(podDeleteStep(c.pod, c.req, t0), c.want);
    });
  }
});

describe('graceful pod deletion over HTTP', () => {
  let h: Harness;
  const clock = new FakeClock(t0);
  const pods = '/api/v1/namespaces/default/pods';
  const make = async (name: string, extra: Record<string, unknown> = {}): Promise<void> => {
    const r = await h.req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...extra }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
    assert.equal(r.status, 201, r.text);
  };
  before(async () => {
    h = await startServer({ clock });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('DELETE of a bound pod marks it; a status update keeps it; a shorter grace shortens; grace 0 removes', async () => {
    await make('g1');
    const del = await h.req('DELETE', `${pods}/g1`);
    assert.equal(del.status, 200, del.text);
    assert.equal(del.body.metadata.deletionTimestamp, iso(t0 + 30_000));
    assert.equal(del.body.metadata.deletionGracePeriodSeconds, 30);
    const live = await h.req('GET', `${pods}/g1`);
    assert.equal(live.status, 200);
    assert.equal(live.body.metadata.deletionTimestamp, iso(t0 + 30_000));
    const st = await h.req('PUT', `${pods}/g1/status`, { ...live.body, status: { phase: 'Running' } });
    assert.equal(st.status, 200, st.text);
    assert.equal((await h.req('GET', `${pods}/g1`)).body.status.phase, 'Running');
    const shorter = await h.req('DELETE', `${pods}/g1?gracePeriodSeconds=10`);
    assert.equal(shorter.body.metadata.deletionTimestamp, iso(t0 + 10_000));
    const longer = await h.req('DELETE', `${pods}/g1`, { gracePeriodSeconds: 20 });
    assert.equal(longer.body.metadata.deletionGracePeriodSeconds, 10);
    const gone = await h.req('DELETE', `${pods}/g1?gracePeriodSeconds=0`);
    assert.equal(gone.status, 200, gone.text);
    assert.equal((await h.req('GET', `${pods}/g1`)).status, 404);
  });

  test('grace 0 on a pod with finalizers leaves it until they are removed', async () => {
    await make('g2', { finalizers: ['example.com/hold'] });
    await h.req('DELETE', `${pods}/g2`);
    const r = await h.req('DELETE', `${pods}/g2?gracePeriodSeconds=0`);
    assert.equal(r.body.metadata.deletionGracePeriodSeconds, 0);
    const live = await h.req('GET', `${pods}/g2`);
    assert.equal(live.status, 200);
    const rel = await h.req('PATCH', `${pods}/g2`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(rel.status, 200, rel.text);
    assert.equal((await h.req('GET', `${pods}/g2`)).status, 404);
  });

  test('deletecollection is graceful for bound pods and immediate for unbound ones', async () => {
    await make('c1', { labels: { set: 'c' } });
    const r = await h.req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c2', labels: { set: 'c' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    assert.equal(r.status, 201);
    const dc = await h.req('DELETE', `${pods}?labelSelector=set%3Dc`);
    assert.equal(dc.status, 200, dc.text);
    assert.equal((await h.req('GET', `${pods}/c1`)).body.metadata.deletionGracePeriodSeconds, 30);
    assert.equal((await h.req('GET', `${pods}/c2`)).status, 404);
  });

  test('dry run does not mark the pod', async () => {
    await make('d1');
    const r = await h.req('DELETE', `${pods}/d1?dryRun=All`);
    assert.equal(r.body.metadata.deletionGracePeriodSeconds, 30);
    assert.equal((await h.req('GET', `${pods}/d1`)).body.metadata.deletionTimestamp, undefined);
  });
});

describe('pods/binding', () => {
  let h: Harness;
  const clock = new FakeClock(t0);
  before(async () => {
    h = await startServer({ clock });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('binding sets nodeName, the Binding annotations and PodScheduled=True (replacing an Unschedulable condition)', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    await h.req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b1' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const live = await h.req('GET', `${pods}/b1`);
    await h.req('PUT', `${pods}/b1/status`, { ...live.body, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } });
    const r = await h.req('POST', `${pods}/b1/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b1', annotations: { a: 'b' } }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(r.status, 201, r.text);
    const pod = (await h.req('GET', `${pods}/b1`)).body;
    assert.equal(pod.spec.nodeName, 'n1');
    assert.equal(pod.metadata.annotations.a, 'b');
    assert.deepEqual(pod.status.conditions, [{ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(t0) }]);
  });
});
