import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../core/util/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const base = '/apis/apps/v1/namespaces/default/controllerrevisions';

describe('apps/v1 ControllerRevision', () => {
  let h: Harness;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  before(async () => {
    h = await startServer({ clock });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  const revision = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: { name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true }] },
    data: { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'c', image: 'i' }] } } } },
    revision: 2,
    ...extra,
  });

  test('kubectl columns: NAME CONTROLLER REVISION AGE', async () => {
    const c = await h.req('POST', base, revision('web-abc'));
    assert.equal(c.status, 201, c.text);
    await clock.advance(65_000);
    const r = await h.req('GET', `${base}/web-abc`, undefined, { Accept: tableAccept });
    const defs = r.body.columnDefinitions as { name: string; priority: number }[];
    assert.deepEqual(defs.filter((d) => d.priority === 0).map((d) => d.name.toUpperCase()), ['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    assert.deepEqual(r.body.rows[0].cells, ['web-abc', 'statefulset.apps/web', 2, '65s']);
  });

  test('data is required and immutable; the revision number may change', async () => {
    const noData = revision('web-nodata');
    delete noData.data;
    const r = await h.req('POST', base, noData);
    assert.equal(r.status, 422, r.text);
    assert.match(r.text, /data: Required value/);
    const neg = await h.req('POST', base, revision('web-neg', { revision: -1 }));
    assert.equal(neg.status, 422);
    assert.match(neg.text, /revision: Invalid value: -1: must be greater than or equal to 0/);

    const ok = await h.req('POST', base, revision('web-imm'));
    assert.equal(ok.status, 201, ok.text);
    const changed = await h.req('PATCH', `${base}/web-imm`, { data: { spec: { template: { spec: { containers: [{ name: 'c', image: 'other' }] } } } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(changed.status, 422, changed.text);
    assert.match(changed.text, /data: Invalid value: .*field is immutable/);
    const renumbered = await h.req('PATCH', `${base}/web-imm`, { revision: 5 }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(renumbered.status, 200, renumbered.text);
    assert.equal(renumbered.body.revision, 5);
  });
});
