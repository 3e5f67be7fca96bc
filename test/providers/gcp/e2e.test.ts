import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService } from '../../../providers/conformance/index.js';
import { PROJECT, REGION, ZONE, startHarness } from './harness.js';

const signal = new AbortController().signal;

test('gcp e2e: a LoadBalancer Service creates address, firewalls, health check, target pool, forwarding rule in order; steady; deleted', async () => {
  const h = await startHarness();
  try {
    const p = await h.make();
    const lbs = p.loadBalancers;
    assert.ok(lbs);
    const svc = makeService({ name: 'web', port: 80 });
    const nodes = [makeNode('node-a'), makeNode('node-b')];
    const status = await lbs.ensure(svc, nodes, signal);
    assert.equal(status.ingress.length, 1);
    const inserts = h.fake.mutations().filter((r) => r.method === 'POST' && !r.path.includes('/operations/')).map((r) => r.path.replace(`projects/${PROJECT}/`, ''));
    assert.deepEqual(inserts, [
      `regions/${REGION}/addresses`, 'global/firewalls', 'global/firewalls', 'global/httpHealthChecks', `regions/${REGION}/targetPools`, `regions/${REGION}/forwardingRules`,
    ]);
    const fr = h.fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/forwardingRules'));
    assert.ok(fr?.body);
    assert.equal(fr.body.IPProtocol, 'TCP');
    assert.equal(fr.body.portRange, '80-80');
    assert.equal(fr.body.loadBalancingScheme, 'EXTERNAL');
    assert.equal(fr.body.IPAddress, status.ingress[0]?.ip);
    assert.match(String(fr.query.requestId), /^[0-9a-f-]{36}$/);
    const fw = h.fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/firewalls'));
    assert.deepEqual(fw?.body?.allowed, [{ IPProtocol: 'tcp', ports: ['80'] }]);
    assert.equal(fw?.body?.name, `k8s-fw-${lbs.name(svc)}`);
    assert.deepEqual(JSON.parse(String(fw?.body?.description)), { 'kubernetes.io/service-name': 'conformance/web', 'skiff.dev/owner-uid': svc.metadata.uid, 'skiff.dev/cluster': 'conformance' });
    const before = h.fake.mutations().length;
    await lbs.ensure(svc, nodes, signal);
    assert.equal(h.fake.mutations().length, before, 'second ensure makes no mutating call');
    await lbs.ensureDeleted(svc, signal);
    const left = [...h.fake.store.resources.keys()].filter((k) => k.includes(lbs.name(svc)));
    assert.deepEqual(left, []);
  } finally {
    await h.close();
  }
});

test('gcp e2e: a disk is created (sizeGb as a string, requestId), attached, detached and deleted', async () => {
  const h = await startHarness();
  try {
    const vols = (await h.make()).volumes;
    assert.ok(vols);
    const v = await vols.create({ key: 'pvc-1234', sizeBytes: 10 * 1024 ** 3, tags: {}, parameters: { type: 'pd-ssd' } }, signal);
    const ins = h.fake.requests.find((r) => r.method === 'POST' && r.path === `projects/${PROJECT}/zones/${ZONE}/disks`);
    assert.equal(ins?.body?.sizeGb, '10');
    assert.equal(ins?.body?.type, `https://www.googleapis.com/compute/v1/projects/${PROJECT}/zones/${ZONE}/diskTypes/pd-ssd`);
    assert.ok(ins?.query.requestId);
    await vols.attach(v.id, 'node-a', signal);
    const att = h.fake.requests.find((r) => r.path.endsWith('/instances/node-a/attachDisk'));
    assert.equal(att?.body?.deviceName, 'pvc-1234');
    assert.deepEqual((await vols.describe(v.id, signal)).attachedTo, ['node-a']);
    await vols.detach(v.id, 'node-a', signal);
    const det = h.fake.requests.find((r) => r.path.endsWith('/instances/node-a/detachDisk'));
    assert.equal(det?.query.deviceName, 'pvc-1234');
    await vols.delete(v.id, signal);
    assert.equal(h.fake.store.resources.has(`projects/${PROJECT}/zones/${ZONE}/disks/pvc-1234`), false);
  } finally {
    await h.close();
  }
});

test('gcp e2e: a MIG node group grows through resize and shrinks through deleteInstances', async () => {
  const h = await startHarness();
  try {
    const groups = (await h.make()).nodeGroups;
    assert.ok(groups);
    await groups.increase('workers', 2, signal);
    const rs = h.fake.requests.find((r) => r.path.endsWith('/instanceGroupManagers/workers/resize'));
    assert.equal(rs?.query.size, '2');
    const [g] = await groups.list(signal);
    assert.equal(g?.targetSize, 2);
    assert.equal(g?.instances.length, 2);
    assert.deepEqual(g?.template.capacity, { cpu: '4', memory: '16384Mi', pods: '110' });
    const victim = g?.instances[0]?.name ?? '';
    await groups.deleteNodes('workers', [victim], signal);
    const del = h.fake.requests.find((r) => r.path.endsWith('/deleteInstances'));
    assert.deepEqual(del?.body?.instances, [`https://www.googleapis.com/compute/v1/projects/${PROJECT}/zones/${ZONE}/instances/${victim}`]);
    const [after] = await groups.list(signal);
    assert.equal(after?.targetSize, 1);
  } finally {
    await h.close();
  }
});
