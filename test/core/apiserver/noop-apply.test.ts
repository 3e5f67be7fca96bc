import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../core/util/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const deps = '/apis/apps/v1/namespaces/default/deployments';
const manifest = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;

describe('no-op writes keep the resourceVersion', () => {
  let h: Harness;
  const clock = new FakeClock();
  before(async () => {
    h = await startServer({ clock });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  const apply = (body: string): ReturnType<Harness['req']> =>
    h.req('PATCH', `${deps}/web?fieldManager=skiff&force=true`, body, { 'Content-Type': 'application/apply-patch+yaml' });

  test('re-applying an unchanged manifest later changes nothing; a real change still writes', async () => {
    const first = await apply(manifest('nginx:1'));
    assert.equal(first.status, 201, first.text);
    clock.advance(60_000);
    const again = await apply(manifest('nginx:1'));
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    assert.deepEqual(again.body.metadata.managedFields, first.body.metadata.managedFields);
    clock.advance(60_000);
    const changed = await apply(manifest('nginx:2'));
    assert.notEqual(changed.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    assert.notEqual(changed.body.metadata.managedFields[0].time, first.body.metadata.managedFields[0].time);
  });

  test('an unchanged merge patch by another manager changes nothing', async () => {
    const before1 = await h.req('GET', `${deps}/web`);
    clock.advance(60_000);
    const p = await h.req('PATCH', `${deps}/web?fieldManager=other`, { spec: { replicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.metadata.resourceVersion, before1.body.metadata.resourceVersion);
  });
});
