import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { ApiError, builtinKinds, compareKubeVersions, KindRegistry, parseApiVersion, registerBuiltins } from '../../../core/api/index.js';
import type { KindInfo, KubeObject } from '../../../core/api/index.js';
import { deploymentYaml, otherManifestsYaml } from './manifests.js';

function registry(): KindRegistry {
  const r = new KindRegistry();
  registerBuiltins(r);
  return r;
}

describe('resolve (CLI names)', () => {
  const r = registry();
  const cases: [name: string, group: string, kind: string][] = [
    ['po', '', 'Pod'], ['pods', '', 'Pod'], ['pod', '', 'Pod'], ['Pod', '', 'Pod'],
    ['deploy', 'apps', 'Deployment'], ['deployments.apps', 'apps', 'Deployment'], ['deployments.v1.apps', 'apps', 'Deployment'], ['deploy.apps', 'apps', 'Deployment'],
    ['rs', 'apps', 'ReplicaSet'], ['svc', '', 'Service'], ['ep', '', 'Endpoints'], ['ing', 'networking.k8s.io', 'Ingress'],
    ['hpa', 'autoscaling', 'HorizontalPodAutoscaler'], ['vpa', 'autoscaling.k8s.io', 'VerticalPodAutoscaler'], ['no', '', 'Node'], ['ns', '', 'Namespace'],
    ['cm', '', 'ConfigMap'], ['pv', '', 'PersistentVolume'], ['pvc', '', 'PersistentVolumeClaim'], ['sc', 'storage.k8s.io', 'StorageClass'],
    ['ev', '', 'Event'], ['crd', 'apiextensions.k8s.io', 'CustomResourceDefinition'], ['crds', 'apiextensions.k8s.io', 'CustomResourceDefinition'],
    ['ng', 'skiff.dev', 'NodeGroup'], ['nodegroups.skiff.dev', 'skiff.dev', 'NodeGroup'], ['secrets', '', 'Secret'], ['leases', 'coordination.k8s.io', 'Lease'],
    ['endpointslices', 'discovery.k8s.io', 'EndpointSlice'], ['ingressclasses', 'networking.k8s.io', 'IngressClass'],
    ['nodes', '', 'Node'], ['pods.metrics.k8s.io', 'metrics.k8s.io', 'PodMetrics'],
  ];
  for (const [name, group, kind] of cases) {
    test(name, () => {
      const info = r.resolve(name);
      assert.equal(info?.kind, kind);
      assert.equal(info?.group, group);
    });
  }
  test('unknown names', () => {
    assert.equal(r.resolve('widgets'), undefined);
    assert.throws(() => r.mustResolve('widgets'), (e: unknown) => e instanceof ApiError && e.code === 404 && e.message.includes('"widgets"'));
  });
});

describe('lookups', () => {
  const r = registry();
  test('byResource, byKind, byGroupKind', () => {
    assert.equal(r.byResource('apps', 'v1', 'deployments')?.kind, 'Deployment');
    assert.equal(r.byResource('', 'v1', 'deployments'), undefined);
    assert.equal(r.byKind('', 'v1', 'Service')?.plural, 'services');
    assert.equal(r.byGroupKind('autoscaling', 'HorizontalPodAutoscaler')?.version, 'v2');
    assert.equal(r.byResource('metrics.k8s.io', 'v1beta1', 'pods')?.kind, 'PodMetrics');
  });
  test('groups() lists the core group first with versions and kinds', () => {
    const groups = r.groups();
    assert.equal(groups[0]?.group, '');
    const apps = groups.find((g) => g.group === 'apps');
    assert.deepEqual(apps?.versions.map((v) => v.version), ['v1']);
    assert.deepEqual(apps?.versions[0]?.kinds.map((k) => k.kind).sort(), ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']);
    assert.ok(groups.some((g) => g.group === 'metrics.k8s.io'));
  });
  test('unregister removes a kind', () => {
    const r2 = registry();
    assert.equal(r2.unregister('skiff.dev', 'NodeGroup'), 1);
    assert.equal(r2.resolve('ng'), undefined);
  });
  test('category all', () => {
    assert.deepEqual(r.byCategory('all').map((k) => k.plural).sort(), ['cronjobs', 'daemonsets', 'deployments', 'horizontalpodautoscalers', 'jobs', 'pods', 'replicasets', 'replicationcontrollers', 'services', 'statefulsets']);
  });
});

describe('built-in kind facts', () => {
  const byKind = new Map(builtinKinds().map((k) => [k.kind, k] as [string, KindInfo]));
  const cases: { kind: string; namespaced: boolean; status: boolean; scale: boolean }[] = [
    { kind: 'Pod', namespaced: true, status: true, scale: false },
    { kind: 'Deployment', namespaced: true, status: true, scale: true },
    { kind: 'ReplicaSet', namespaced: true, status: true, scale: true },
    { kind: 'Node', namespaced: false, status: true, scale: false },
    { kind: 'Namespace', namespaced: false, status: true, scale: false },
    { kind: 'PersistentVolume', namespaced: false, status: true, scale: false },
    { kind: 'StorageClass', namespaced: false, status: false, scale: false },
    { kind: 'ConfigMap', namespaced: true, status: false, scale: false },
    { kind: 'NodeGroup', namespaced: false, status: true, scale: false },
    { kind: 'CustomResourceDefinition', namespaced: false, status: true, scale: false },
  ];
  for (const c of cases) {
    test(c.kind, () => {
      const k = byKind.get(c.kind);
      assert.ok(k);
      assert.equal(k.namespaced, c.namespaced);
      assert.equal(k.subresources.status, c.status);
      assert.equal(k.subresources.scale !== undefined, c.scale);
      assert.equal(k.listKind, `${c.kind}List`);
      assert.deepEqual([...k.verbs], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    });
  }
  test('scale subresource paths', () => {
    assert.deepEqual(byKind.get('Deployment')?.subresources.scale, { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' });
  });
  test('metrics kinds are read-only', () => {
    assert.deepEqual([...(byKind.get('PodMetrics')?.verbs ?? [])], ['get', 'list']);
    assert.deepEqual([...(byKind.get('NodeMetrics')?.verbs ?? [])], ['get', 'list']);
  });
  test('every writable kind has validation', () => {
    const missing = builtinKinds().filter((k) => k.verbs.includes('create') && !k.validate).map((k) => k.kind);
    assert.deepEqual(missing, []);
  });
});

describe('real-world manifests pass defaults and validation', () => {
  const r = registry();
  const docs = [parse(deploymentYaml) as KubeObject, ...parseAllDocuments(otherManifestsYaml).map((d) => d.toJS() as KubeObject)];
  for (const doc of docs) {
    test(`${doc.kind} ${doc.metadata.name ?? ''}`, () => {
      const { group, version } = parseApiVersion(doc.apiVersion);
      const info = r.byKind(group, version, doc.kind);
      assert.ok(info);
      const obj = structuredClone(doc);
      info.defaults?.(obj);
      assert.deepEqual(info.validate?.(obj) ?? [], []);
    });
  }
});

describe('versions', () => {
  test('compareKubeVersions orders as Kubernetes does', () => {
    const versions = ['v1alpha1', 'foo', 'v1beta1', 'v2', 'v1', 'v1beta2', 'v11alpha2', 'bar', 'v10'];
    assert.deepEqual(versions.sort(compareKubeVersions), ['v10', 'v2', 'v1', 'v1beta2', 'v1beta1', 'v11alpha2', 'v1alpha1', 'bar', 'foo']);
  });
  test('the preferred version wins lookups and discovery; replaceKind swaps versions', () => {
    const r = new KindRegistry();
    const base = builtinKinds().find((k) => k.kind === 'NodeGroup');
    assert.ok(base);
    r.register({ ...base, version: 'v1alpha1' });
    r.register({ ...base, version: 'v1' });
    r.register({ ...base, version: 'v1beta1' });
    assert.equal(r.byGroupKind('skiff.dev', 'NodeGroup')?.version, 'v1');
    assert.equal(r.resolve('ng')?.version, 'v1');
    assert.deepEqual(r.groups()[0]?.versions.map((v) => v.version), ['v1', 'v1beta1', 'v1alpha1']);
    r.replaceKind('skiff.dev', 'NodeGroup', [{ ...base, version: 'v2' }]);
    assert.deepEqual(r.all().map((k) => k.version), ['v2']);
  });
});
