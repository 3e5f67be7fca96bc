import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const cms = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, data: Record<string, string> = {}): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('apiserver watch', () => {
  let h: Harness;
  before(async () => {
    h = await startServer({ bookmarkIntervalMs: 200 });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('watch from a resourceVersion sees a concurrent write, one line per event', async () => {
    const created = await h.req('POST', cms, cm('w1'));
    const rv = created.body.metadata.resourceVersion;
    const s = await h.stream(`${cms}?watch=true&resourceVersion=${rv}&timeoutSeconds=10`);
    assert.equal(s.status, 200);
    await h.req('PUT', `${cms}/w1`, { ...created.body, data: { a: 'b' } });
    await h.req('POST', cms, cm('w2'));
    await h.req('DELETE', `${cms}/w2`);
    await s.waitFor(3);
    assert.deepEqual(s.events.map((e) => [e.type, e.object.metadata.name]), [['MODIFIED', 'w1'], ['ADDED', 'w2'], ['DELETED', 'w2']]);
    s.close();
  });

  test('watch without resourceVersion starts with ADDED for existing objects; label selector filters', async () => {
    await h.req('POST', cms, { ...cm('lbl'), metadata: { name: 'lbl', labels: { team: 'x' } } });
    const s = await h.stream(`${cms}?watch=1&labelSelector=team%3Dx&timeoutSeconds=10`);
    await s.waitFor(1);
    assert.deepEqual(s.events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'lbl']]);
    s.close();
  });

  test('legacy /watch/ prefix and single-object watch', async () => {
    await h.req('POST', cms, cm('single'));
    const s = await h.stream('/api/v1/watch/namespaces/default/configmaps/single?timeoutSeconds=10');
    await s.waitFor(1);
    await h.req('POST', cms, cm('other1'));
    await h.req('PATCH', `${cms}/single`, { data: { k: 'v' } }, { 'Content-Type': 'application/merge-patch+json' });
    await s.waitFor(2);
    assert.deepEqual(s.events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'single'], ['MODIFIED', 'single']]);
    s.close();
  });

  test('bookmarks carry only a resourceVersion', async () => {
    const list = await h.req('GET', cms);
    const s = await h.stream(`${cms}?watch=true&allowWatchBookmarks=true&resourceVersion=${list.body.metadata.resourceVersion}&timeoutSeconds=10`);
    await s.waitFor(2);
    const bm = s.events.filter((e) => e.type === 'BOOKMARK');
    assert.ok(bm.length >= 2);
    assert.equal(bm[0].object.kind, 'ConfigMap');
    assert.equal(bm[0].object.metadata.resourceVersion, list.body.metadata.resourceVersion);
    assert.equal(bm[0].object.data, undefined);
    s.close();
  });

  test('sendInitialEvents ends the initial list with an annotated bookmark', async () => {
    const s = await h.stream(`${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=10`);
    await s.waitFor(2);
    const end = s.events.findIndex((e) => e.type === 'BOOKMARK' && e.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true');
    assert.ok(end > 0, JSON.stringify(s.events));
    assert.ok(s.events.slice(0, end).every((e) => e.type === 'ADDED'));
    s.close();
  });

  test('timeoutSeconds closes the stream cleanly', async () => {
    const s = await h.stream(`${cms}?watch=true&resourceVersion=1&timeoutSeconds=1`);
    await s.ended;
    assert.equal(s.status, 200);
  });

  test('a too-old resourceVersion is an ERROR event with 410 Expired', async () => {
    const h2 = await startServer({}, { historySize: 3 });
    try {
      await createNamespace(h2, 'default');
      for (let i = 0; i < 8; i++) await h2.req('POST', cms, cm(`old${i}`));
      const s = await h2.stream(`${cms}?watch=true&resourceVersion=2&timeoutSeconds=5`);
      await s.waitFor(1);
      await s.ended;
      assert.equal(s.status, 200);
      assert.equal(s.events[0].type, 'ERROR');
      assert.equal(s.events[0].object.kind, 'Status');
      assert.equal(s.events[0].object.code, 410);
      assert.equal(s.events[0].object.reason, 'Expired');
    } finally {
      await h2.close();
    }
  });

  test('watch as Table: every event object is a one-row Table', async () => {
    await h.req('POST', cms, cm('tbl', { a: '1', b: '2' }));
    const s = await h.stream(`${cms}?watch=true&fieldSelector=metadata.name%3Dtbl&timeoutSeconds=10`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    await s.waitFor(1);
    const ev = s.events[0];
    assert.equal(ev.object.kind, 'Table');
    assert.equal(ev.object.rows.length, 1);
    assert.equal(ev.object.rows[0].cells[0], 'tbl');
    assert.equal(ev.object.rows[0].cells[1], 2);
    s.close();
  });

  test('the server still answers after clients disconnect mid-watch', async () => {
    for (let i = 0; i < 5; i++) (await h.stream(`${cms}?watch=true&timeoutSeconds=30`)).close();
    assert.equal((await h.req('GET', cms)).status, 200);
  });
});
