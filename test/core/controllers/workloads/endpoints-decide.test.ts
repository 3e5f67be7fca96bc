import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSubsets, desiredEndpoints, desiredSlices, findPort } from '../../../../core/controllers/workloads/index.js';
import type { Service } from '../../../../core/api/index.js';
import { makePod } from './fixtures.js';

function svc(ports: NonNullable<Service['spec']>['ports'], extra: Partial<NonNullable<Service['spec']>> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { team: 'a' } }, spec: { selector: { app: 'web' }, ports, ...extra } };
}

const ref = (name: string): { kind: string; namespace: string; name: string; uid: string } => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

test('endpoints subsets: ready and not-ready addresses, ports, targetRef and nodeName', () => {
  const pods = [
    makePod({ name: 'a', ip: '10.0.0.2', ready: true, node: 'n1' }),
    makePod({ name: 'b', ip: '10.0.0.1', ready: false, node: 'n2' }),
  ];
  const got = computeSubsets(svc([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]), pods);
  assert.deepEqual(got, [{
    addresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: ref('a') }],
    notReadyAddresses: [{ ip: '10.0.0.1', nodeName: 'n2', targetRef: ref('b') }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }]);
});

test('endpoints subsets: which pods are left out or included', () => {
  const port = [{ port: 80, targetPort: 8080, protocol: 'TCP' as const }];
  const cases = [
    { desc: 'no IP yet', pods: [makePod({ name: 'a', ready: true })], s: svc(port), want: [] },
    { desc: 'being deleted', pods: [makePod({ name: 'a', ip: '10.0.0.1', ready: true, deleting: true })], s: svc(port), want: [] },
    { desc: 'finished with restartPolicy Never', pods: [makePod({ name: 'a', ip: '10.0.0.1', phase: 'Succeeded', restartPolicy: 'Never' })], s: svc(port), want: [] },
    {
      desc: 'publishNotReadyAddresses puts not-ready pods in addresses',
      pods: [makePod({ name: 'a', ip: '10.0.0.1', ready: false })], s: svc(port, { publishNotReadyAddresses: true }),
      want: [{ addresses: [{ ip: '10.0.0.1', targetRef: ref('a') }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    },
  ];
  for (const c of cases) assert.deepEqual(computeSubsets(c.s, c.pods), c.want, c.desc);
});

test('named target ports resolve per pod and split subsets the way Kubernetes repacks them', () => {
  const s = svc([{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }, { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }]);
  const pods = [
    makePod({ name: 'a', ip: '10.0.0.1', ready: true, ports: [{ name: 'web', containerPort: 8080 }] }),
    makePod({ name: 'b', ip: '10.0.0.2', ready: true, ports: [{ name: 'web', containerPort: 8081 }] }),
    makePod({ name: 'c', ip: '10.0.0.3', ready: true }),
  ];
  assert.equal(findPort(pods[0] ?? makePod({ name: 'x' }), { port: 80, targetPort: 'web' }), 8080);
  assert.equal(findPort(pods[2] ?? makePod({ name: 'x' }), { port: 80, targetPort: 'web' }), undefined, 'no such named port');
  assert.equal(findPort(pods[0] ?? makePod({ name: 'x' }), { port: 80, targetPort: 'web', protocol: 'UDP' }), undefined, 'protocol must match');
  assert.deepEqual(computeSubsets(s, pods), [
    { addresses: [{ ip: '10.0.0.1', targetRef: ref('a') }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    { addresses: [{ ip: '10.0.0.1', targetRef: ref('a') }, { ip: '10.0.0.2', targetRef: ref('b') }, { ip: '10.0.0.3', targetRef: ref('c') }], ports: [{ name: 'metrics', port: 9090, protocol: 'TCP' }] },
    { addresses: [{ ip: '10.0.0.2', targetRef: ref('b') }], ports: [{ name: 'http', port: 8081, protocol: 'TCP' }] },
  ]);
});

test('desired Endpoints select pods by the service selector and copy the service labels', () => {
  const s = svc([{ port: 80, targetPort: 80, protocol: 'TCP' }], { clusterIP: 'None' });
  const ep = desiredEndpoints(s, [makePod({ name: 'a', ip: '10.0.0.1', ready: true }), makePod({ name: 'other', ip: '10.0.0.9', ready: true, labels: { app: 'db' } })]);
  assert.equal(ep.metadata.name, 'web');
  assert.deepEqual(ep.metadata.labels, { team: 'a', 'service.kubernetes.io/headless': '' });
  assert.deepEqual(ep.subsets?.map((x) => x.addresses?.map((a) => a.ip)), [['10.0.0.1']]);
  assert.equal(ep.metadata.ownerReferences, undefined, 'Kubernetes sets no owner on Endpoints');
});

test('a pod whose subdomain names the Service publishes its hostname (StatefulSet DNS names), in Endpoints and EndpointSlices', () => {
  const named = (name: string, subdomain: string) => {
    const p = makePod({ name, ip: `10.0.0.${name.length}`, ready: true });
    p.spec.hostname = name;
    p.spec.subdomain = subdomain;
    return p;
  };
  const headless = svc([], { clusterIP: 'None' });
  const [subset] = computeSubsets(headless, [named('web-0', 'web'), named('other-10', 'other')]);
  assert.deepEqual(subset?.addresses?.map((a) => [a.targetRef?.name, a.hostname]), [['web-0', 'web-0'], ['other-10', undefined]]);
  const [slice] = desiredSlices(headless, [named('web-0', 'web')]);
  assert.equal(slice?.endpoints[0]?.hostname, 'web-0');
});
