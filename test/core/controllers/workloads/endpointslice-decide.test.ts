import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredSlices, newSlice } from '../../../../core/controllers/workloads/index.js';
import type { Service } from '../../../../core/api/index.js';
import { makePod } from './fixtures.js';

const svc: Service = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

test('slices: conditions ready/serving/terminating, ports per pod, chunking', () => {
  const ports = [{ name: 'http', containerPort: 8080 }];
  const pods = [
    makePod({ name: 'a', ip: '10.0.0.1', ready: true, ports, node: 'n1' }),
    makePod({ name: 'b', ip: '10.0.0.2', ready: false, ports }),
    makePod({ name: 'c', ip: '10.0.0.3', ready: true, ports, deleting: true }),
    makePod({ name: 'd', ip: '10.0.0.4', ready: true, ports: [{ name: 'http', containerPort: 9090 }] }),
    makePod({ name: 'e', ip: '10.0.0.5', ready: true, labels: { app: 'db' }, ports }),
  ];
  const got = desiredSlices(svc, pods);
  assert.equal(got.length, 2, 'two port sets');
  const main = got.find((s) => s.ports[0]?.port === 8080);
  assert.deepEqual(main?.endpoints.map((e) => [e.addresses[0], e.conditions]), [
    ['10.0.0.1', { ready: true, serving: true, terminating: false }],
    ['10.0.0.2', { ready: false, serving: false, terminating: false }],
    ['10.0.0.3', { ready: false, serving: true, terminating: true }],
  ]);
  assert.equal(main?.endpoints[0]?.nodeName, 'n1');
  assert.deepEqual(main?.endpoints[0]?.targetRef, { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' });
  assert.deepEqual(got.find((s) => s.ports[0]?.port === 9090)?.endpoints.map((e) => e.addresses[0]), ['10.0.0.4']);
  assert.equal(desiredSlices(svc, pods.slice(0, 3), 2).length, 2, 'chunked at the per-slice maximum');
  const slice = newSlice(svc, main ?? { ports: [], endpoints: [] });
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.equal(slice.metadata.generateName, 'web-');
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['Service', 'web', 'svc-uid', true]]);
});
