import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultDeployment, defaultHPA, defaultNamespace, defaultPod, defaultPullPolicy, defaultPV, defaultPVC, defaultReplicaSet, defaultSecret,
  defaultService, defaultStorageClass,
} from '../../../core/api/index.js';
import type { Deployment, HorizontalPodAutoscaler, KubeObject, Pod, Service } from '../../../core/api/index.js';
import { edit, makeDeployment, makePod, makeService } from './fixtures.js';

describe('defaultPullPolicy', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry.example.com:5000/app', 'Always'],
    ['registry.example.com:5000/app:v1', 'IfNotPresent'],
    ['app@sha256:abcd', 'IfNotPresent'],
  ];
  for (const [image, want] of cases) test(image, () => assert.equal(defaultPullPolicy(image), want));
});

describe('Pod defaults', () => {
  const pod = edit(makePod(), (p) => {
    const c = p.spec.containers[0];
    if (!c) return;
    c.readinessProbe = { httpGet: { port: 80 } };
    c.resources = { limits: { cpu: '1' } };
    p.spec.volumes = [{ name: 'v', secret: { secretName: 's' } }, { name: 'e' }];
  });
  defaultPod(pod);
  const c = pod.spec.containers[0];
  const cases: { description: string; got: unknown; want: unknown }[] = [
    { description: 'restartPolicy', got: pod.spec.restartPolicy, want: 'Always' },
    { description: 'terminationGracePeriodSeconds', got: pod.spec.terminationGracePeriodSeconds, want: 30 },
    { description: 'dnsPolicy', got: pod.spec.dnsPolicy, want: 'ClusterFirst' },
    { description: 'schedulerName', got: pod.spec.schedulerName, want: 'default-scheduler' },
    { description: 'imagePullPolicy for a tagged image', got: c?.imagePullPolicy, want: 'IfNotPresent' },
    { description: 'terminationMessagePath', got: c?.terminationMessagePath, want: '/dev/termination-log' },
    { description: 'terminationMessagePolicy', got: c?.terminationMessagePolicy, want: 'File' },
    { description: 'port protocol', got: c?.ports?.[0]?.protocol, want: 'TCP' },
    {
      description: 'probe timings and httpGet path/scheme',
      got: c?.readinessProbe,
      want: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    },
    { description: 'requests default to limits', got: c?.resources?.requests, want: { cpu: '1' } },
    { description: 'secret volume defaultMode', got: pod.spec.volumes?.[0]?.secret?.defaultMode, want: 420 },
    { description: 'sourceless volume becomes emptyDir', got: pod.spec.volumes?.[1]?.emptyDir, want: {} },
  ];
  for (const c2 of cases) test(c2.description, () => assert.deepEqual(c2.got, c2.want));
  test('explicit values are kept', () => {
    const p = edit(makePod(), (x) => { x.spec.restartPolicy = 'Never'; x.spec.terminationGracePeriodSeconds = 0; });
    defaultPod(p);
    assert.equal(p.spec.restartPolicy, 'Never');
    assert.equal(p.spec.terminationGracePeriodSeconds, 0);
  });
  test('defaulting twice is idempotent', () => {
    const once = structuredClone(pod);
    defaultPod(pod);
    assert.deepEqual(pod, once);
  });
});

describe('Deployment and ReplicaSet defaults', () => {
  test('deployment', () => {
    const d = edit(makeDeployment(), (x) => { delete x.spec.replicas; });
    defaultDeployment(d);
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
    assert.equal(d.spec.template.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
  });
  test('Recreate gets no rollingUpdate', () => {
    const d: Deployment = edit(makeDeployment(), (x) => { x.spec.strategy = { type: 'Recreate' }; });
    defaultDeployment(d);
    assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
  });
  test('replicaset replicas 1', () => {
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: {} } };
    defaultReplicaSet(rs);
    assert.equal((rs.spec as { replicas: number }).replicas, 1);
  });
});

describe('Service defaults', () => {
  const cases: { description: string; svc: Service; want: Record<string, unknown> }[] = [
    {
      description: 'ClusterIP',
      svc: makeService(),
      want: { type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', externalTrafficPolicy: undefined },
    },
    {
      description: 'NodePort gets externalTrafficPolicy',
      svc: edit(makeService(), (s) => { if (s.spec) s.spec.type = 'NodePort'; }),
      want: { externalTrafficPolicy: 'Cluster' },
    },
    {
      description: 'LoadBalancer allocates node ports',
      svc: edit(makeService(), (s) => { if (s.spec) s.spec.type = 'LoadBalancer'; }),
      want: { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true },
    },
  ];
  for (const c of cases) {
    test(c.description, () => {
      defaultService(c.svc);
      const spec = c.svc.spec as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(spec[k], v, k);
    });
  }
  test('ports get protocol TCP and targetPort = port', () => {
    const s = edit(makeService(), (x) => { if (x.spec) x.spec.ports = [{ port: 80 }, { port: 443, targetPort: 'https' }]; });
    defaultService(s);
    assert.deepEqual(s.spec?.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, protocol: 'TCP', targetPort: 'https' }]);
  });
});

describe('other kinds', () => {
  test('HPA minReplicas and default CPU metric', () => {
    const h: HorizontalPodAutoscaler = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 3 } };
    defaultHPA(h);
    assert.equal(h.spec.minReplicas, 1);
    assert.deepEqual(h.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.equal(h.spec.behavior, undefined);
  });
  test('HPA behavior nil fields are filled', () => {
    const h: HorizontalPodAutoscaler = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } };
    defaultHPA(h);
    assert.deepEqual(h.spec.behavior?.scaleDown, { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
    assert.deepEqual(h.spec.behavior?.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
  });
  test('Secret type Opaque and stringData merged into base64 data', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==', b: 'eA==' }, stringData: { b: 'hello' } };
    defaultSecret(s);
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, { a: 'eA==', b: 'aGVsbG8=' });
    assert.equal(s.stringData, undefined);
  });
  const simple: { description: string; fn: (o: KubeObject) => void; obj: KubeObject; path: string[]; want: unknown }[] = [
    { description: 'PVC volumeMode', fn: defaultPVC, obj: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {} }, path: ['spec', 'volumeMode'], want: 'Filesystem' },
    { description: 'PV reclaim policy', fn: defaultPV, obj: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: {} }, path: ['spec', 'persistentVolumeReclaimPolicy'], want: 'Retain' },
    { description: 'StorageClass reclaimPolicy', fn: defaultStorageClass, obj: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {}, provisioner: 'p' }, path: ['reclaimPolicy'], want: 'Delete' },
    { description: 'StorageClass volumeBindingMode', fn: defaultStorageClass, obj: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {}, provisioner: 'p' }, path: ['volumeBindingMode'], want: 'Immediate' },
    { description: 'Namespace finalizers', fn: defaultNamespace, obj: { apiVersion: 'v1', kind: 'Namespace', metadata: {} }, path: ['spec', 'finalizers'], want: ['kubernetes'] },
    { description: 'Namespace phase', fn: defaultNamespace, obj: { apiVersion: 'v1', kind: 'Namespace', metadata: {} }, path: ['status', 'phase'], want: 'Active' },
  ];
  for (const c of simple) {
    test(c.description, () => {
      c.fn(c.obj);
      let cur: unknown = c.obj;
      for (const p of c.path) cur = (cur as Record<string, unknown>)[p];
      assert.deepEqual(cur, c.want);
    });
  }
  test('pod with hostNetwork gets hostPort', () => {
    const p: Pod = edit(makePod(), (x) => { x.spec.hostNetwork = true; });
    defaultPod(p);
    assert.equal(p.spec.containers[0]?.ports?.[0]?.hostPort, 80);
  });
});
