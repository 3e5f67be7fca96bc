import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, PersistentVolumeClaim, Pod, Service, StorageClass } from '../../../core/api/index.js';
import {
  CloudError, LB_FINALIZER, backendNodes, classForClaim, countCalls, decideService, defaultLoadBalancerName, isRetryable,
  mergeAddresses, nodesUsingClaim, ownedBy, ownerTags, parseCloudConfig, serviceHash, wantsLoadBalancer,
} from '../../../core/cloud/index.js';
import type { CallRecord, CloudProvider, ServiceState } from '../../../core/cloud/index.js';

function svc(over: { type?: 'LoadBalancer' | 'ClusterIP'; cls?: string; deleting?: boolean; annotations?: Record<string, string> } = {}): Service {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 's', namespace: 'ns', uid: '1234-5678', ...(over.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}), ...(over.annotations ? { annotations: over.annotations } : {}) },
    spec: { type: over.type ?? 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }], ...(over.cls ? { loadBalancerClass: over.cls } : {}) },
  };
}

test('wantsLoadBalancer', () => {
  const cases: { description: string; s: Service; want: boolean }[] = [
    { description: 'a LoadBalancer Service', s: svc(), want: true },
    { description: 'a ClusterIP Service', s: svc({ type: 'ClusterIP' }), want: false },
    { description: 'a Service being deleted', s: svc({ deleting: true }), want: false },
    { description: 'our loadBalancerClass', s: svc({ cls: 'skiff.dev/fake' }), want: true },
    { description: "another controller's class", s: svc({ cls: 'example.com/lb' }), want: false },
  ];
  for (const c of cases) assert.equal(wantsLoadBalancer(c.s, ['skiff.dev/fake']), c.want, c.description);
});

test('decideService', () => {
  const base: ServiceState = { wants: true, finalizer: true, svcHash: 'h', nodesKey: 'n', applied: { svc: 'h', nodes: 'n' } };
  const cases: { description: string; s: Partial<ServiceState>; want: string }[] = [
    { description: 'steady state: nothing', s: {}, want: 'none' },
    { description: 'finalizer first', s: { finalizer: false, applied: undefined }, want: 'add-finalizer' },
    { description: 'nothing known after a restart: check read-only', s: { applied: undefined }, want: 'check' },
    { description: 'the Service changed: ensure', s: { svcHash: 'h2' }, want: 'ensure' },
    { description: 'only the nodes changed: updateHosts', s: { nodesKey: 'n2' }, want: 'update-hosts' },
    { description: 'no longer wanted, finalizer on: delete', s: { wants: false }, want: 'delete' },
    { description: 'not wanted, no finalizer: nothing', s: { wants: false, finalizer: false }, want: 'none' },
  ];
  for (const c of cases) assert.equal(decideService({ ...base, ...c.s }).kind, c.want, c.description);
  assert.equal(LB_FINALIZER, 'service.kubernetes.io/load-balancer-cleanup');
});

test('serviceHash follows what the balancer depends on', () => {
  assert.equal(serviceHash(svc()), serviceHash(svc()));
  assert.notEqual(serviceHash(svc()), serviceHash(svc({ annotations: { a: 'b' } })));
  const relabelled = { ...svc(), metadata: { ...svc().metadata, labels: { x: 'y' } } };
  assert.equal(serviceHash(svc()), serviceHash(relabelled), 'labels do not matter');
});

test('ownership tags and names', () => {
  const s = svc();
  const tags = ownerTags('c1', s);
  const cases: { description: string; got: boolean; want: boolean }[] = [
    { description: 'same cluster', got: ownedBy(tags, 'c1'), want: true },
    { description: 'same cluster and owner', got: ownedBy(tags, 'c1', '1234-5678'), want: true },
    { description: 'another owner', got: ownedBy(tags, 'c1', 'other'), want: false },
    { description: 'another cluster', got: ownedBy(tags, 'c2'), want: false },
  ];
  for (const c of cases) assert.equal(c.got, c.want, c.description);
  assert.equal(defaultLoadBalancerName(s), 'a12345678');
  const long = { ...s, metadata: { ...s.metadata, uid: '0123456789abcdef-0123456789abcdef-0123' } };
  assert.equal(defaultLoadBalancerName(long).length, 32);
});

test('parseCloudConfig', () => {
  const cases: { description: string; text: string; want?: Record<string, unknown>; error?: RegExp }[] = [
    { description: 'empty is {}', text: '', want: {} },
    { description: 'a mapping', text: 'nodeGroups:\n  - name: a\n    max: 3\n', want: { nodeGroups: [{ name: 'a', max: 3 }] } },
    { description: 'a list at the top', text: '- a\n', error: /top level must be a mapping/ },
    { description: 'broken YAML', text: 'a: [', error: /invalid YAML/ },
  ];
  for (const c of cases) {
    if (c.error) assert.throws(() => parseCloudConfig(c.text), c.error, c.description);
    else assert.deepEqual(parseCloudConfig(c.text), c.want, c.description);
  }
});

test('errors: retryable by code', () => {
  const cases: { code: ConstructorParameters<typeof CloudError>[0]; want: boolean }[] = [
    { code: 'Throttled', want: true }, { code: 'Transient', want: true }, { code: 'NotFound', want: false },
    { code: 'Quota', want: false }, { code: 'InvalidArgument', want: false },
  ];
  for (const c of cases) assert.equal(isRetryable(new CloudError(c.code, 'x')), c.want, c.code);
});

test('countCalls reports every capability call with its outcome, and keeps missing capabilities missing', async () => {
  const records: CallRecord[] = [];
  const p: CloudProvider = {
    name: 'p', capabilities: {},
    volumes: {
      create: async () => { throw new CloudError('Quota', 'full'); },
      delete: async () => undefined, attach: async () => { throw new Error('boom'); }, detach: async () => undefined,
      describe: async () => { throw new CloudError('NotFound', 'x'); }, list: async () => [],
    },
  };
  const w = countCalls(p, (r) => records.push(r));
  assert.equal(w.loadBalancers, undefined);
  const s = AbortSignal.timeout(1000);
  await assert.rejects(w.volumes?.create({ key: 'k', sizeBytes: 1, tags: {} }, s) ?? Promise.resolve());
  await w.volumes?.delete('v', s);
  await assert.rejects(w.volumes?.attach('v', 'n', s) ?? Promise.resolve());
  assert.deepEqual(records.map((r) => `${r.operation}=${r.outcome}`), ['volumes.create=Quota', 'volumes.delete=ok', 'volumes.attach=error']);
});

test('backend nodes and addresses', () => {
  const node = (name: string, o: { ready?: boolean; exclude?: boolean; deleting?: boolean } = {}): Node => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, ...(o.exclude ? { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } } : {}), ...(o.deleting ? { deletionTimestamp: 'x' } : {}) },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  });
  const got = backendNodes([node('c'), node('a'), node('nr', { ready: false }), node('ex', { exclude: true }), node('del', { deleting: true })]);
  assert.deepEqual(got.map((n) => n.metadata.name), ['a', 'c', 'nr'], 'sorted; NotReady stays (health checks own readiness)');
  assert.deepEqual(mergeAddresses([{ type: 'InternalIP', address: '1' }, { type: 'Hostname', address: 'h' }], [{ type: 'InternalIP', address: '2' }]),
    [{ type: 'InternalIP', address: '2' }, { type: 'Hostname', address: 'h' }]);
});

test('classForClaim and nodesUsingClaim', () => {
  const sc = (name: string, def = false): StorageClass => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, ...(def ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) }, provisioner: 'p' });
  const classes = [sc('a'), sc('b', true)];
  const pvc = (cls?: string): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: cls === undefined ? {} : { storageClassName: cls } });
  const cases: { description: string; cls: string | undefined; want: string | undefined }[] = [
    { description: 'named class', cls: 'a', want: 'a' },
    { description: 'no class: the default', cls: undefined, want: 'b' },
    { description: 'empty class: none (static binding)', cls: '', want: undefined },
    { description: 'unknown class', cls: 'zzz', want: undefined },
  ];
  for (const c of cases) assert.equal(classForClaim(pvc(c.cls), classes)?.metadata.name, c.want, c.description);
  const pod = (name: string, node: string | undefined, phase: 'Running' | 'Succeeded', ns = 'ns'): Pod => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
    spec: { containers: [], ...(node ? { nodeName: node } : {}), volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'c' } }] }, status: { phase },
  });
  const pods = [pod('a', 'n2', 'Running'), pod('b', 'n1', 'Running'), pod('c', undefined, 'Running'), pod('d', 'n3', 'Succeeded'), pod('e', 'n4', 'Running', 'other')];
  assert.deepEqual(nodesUsingClaim(pods, 'ns', 'c'), ['n1', 'n2']);
});
