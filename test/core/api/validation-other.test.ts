import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validateConfigMap, validateEndpoints, validateEvent, validateHPA, validateIngress, validateIngressClass, validateLease, validateNamespace,
  validateNodeGroup, validatePV, validatePVC, validateSecret, validateService, validateStorageClass, validateVPA,
} from '../../../core/api/index.js';
import type { FieldError, KubeObject } from '../../../core/api/index.js';
import { makeService } from './fixtures.js';

interface Case { description: string; obj: KubeObject; old?: KubeObject; want: [field: string, message?: string][] }

function check(errs: FieldError[], want: [string, string?][]): void {
  assert.deepEqual(errs.map((e) => e.field).sort(), want.map(([f]) => f).sort(), JSON.stringify(errs, null, 1));
  for (const [field, message] of want) {
    if (message !== undefined) assert.ok(errs.some((e) => e.field === field && e.message === message), `${field}: want ${message}; got ${JSON.stringify(errs)}`);
  }
}

function table(name: string, validate: (o: KubeObject, old?: KubeObject) => FieldError[], cases: Case[]): void {
  describe(name, () => {
    for (const c of cases) test(c.description, () => check(validate(c.obj, c.old), c.want));
  });
}

const meta = (name: string, namespace?: string): KubeObject['metadata'] => (namespace ? { name, namespace } : { name });
const svc = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({ ...makeService(name), spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } });

table('validateService', validateService, [
  { description: 'a valid service', obj: makeService(), want: [] },
  { description: 'name must be a DNS-1035 label', obj: makeService('1web'), want: [['metadata.name']] },
  { description: 'unsupported type', obj: svc({ type: 'Foo' }), want: [['spec.type', 'Unsupported value: "Foo": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"']] },
  { description: 'ports required', obj: svc({ ports: [] }), want: [['spec.ports', 'Required value']] },
  { description: 'port range', obj: svc({ ports: [{ port: 0 }] }), want: [['spec.ports[0].port', 'Invalid value: 0: must be between 1 and 65535, inclusive']] },
  { description: 'names required with several ports', obj: svc({ ports: [{ name: 'http', port: 80 }, { port: 443 }] }), want: [['spec.ports[1].name', 'Required value']] },
  { description: 'duplicate port names', obj: svc({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }), want: [['spec.ports[1].name', 'Duplicate value: "http"']] },
  {
    description: 'nodePort out of range',
    obj: svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }),
    want: [['spec.ports[0].nodePort', 'Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767']],
  },
  { description: 'nodePort in range', obj: svc({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] }), want: [] },
  { description: 'nodePort forbidden on ClusterIP', obj: svc({ ports: [{ port: 80, nodePort: 30080 }] }), want: [['spec.ports[0].nodePort', 'Forbidden: may not be used when `type` is \'ClusterIP\'']] },
  { description: 'ExternalName needs externalName', obj: svc({ type: 'ExternalName', ports: [] }), want: [['spec.externalName', 'Required value']] },
  { description: 'ExternalName valid', obj: svc({ type: 'ExternalName', externalName: 'db.example.com', ports: [] }), want: [] },
  { description: 'bad targetPort name', obj: svc({ ports: [{ port: 80, targetPort: 'http_port' }] }), want: [['spec.ports[0].targetPort']] },
  { description: 'externalTrafficPolicy on ClusterIP', obj: svc({ externalTrafficPolicy: 'Local' }), want: [['spec.externalTrafficPolicy']] },
  { description: 'bad clusterIP', obj: svc({ clusterIP: '10.0.0.300' }), want: [['spec.clusterIP']] },
  { description: 'headless without ports', obj: svc({ clusterIP: 'None', ports: [] }), want: [] },
  { description: 'clusterIP may not change', obj: svc({ clusterIP: '10.0.0.2' }), old: svc({ clusterIP: '10.0.0.1' }), want: [['spec.clusterIPs[0]', 'Invalid value: "10.0.0.2": may not change once set']] },
]);

const ing = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('ing', 'default'), spec });
const backend = { service: { name: 'web', port: { number: 80 } } };
const rule = (path: Record<string, unknown>): Record<string, unknown> => ({ rules: [{ host: 'example.com', http: { paths: [{ backend, ...path }] } }] });

table('validateIngress', validateIngress, [
  { description: 'a valid ingress', obj: ing(rule({ path: '/', pathType: 'Prefix' })), want: [] },
  { description: 'pathType required', obj: ing(rule({ path: '/' })), want: [['spec.rules[0].http.paths[0].pathType', 'Required value: pathType must be specified']] },
  { description: 'pathType supported', obj: ing(rule({ path: '/', pathType: 'Regex' })), want: [['spec.rules[0].http.paths[0].pathType', 'Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"']] },
  { description: 'Prefix paths must be absolute', obj: ing(rule({ path: 'api', pathType: 'Prefix' })), want: [['spec.rules[0].http.paths[0].path', 'Invalid value: "api": must be an absolute path']] },
  { description: 'Exact paths must not contain //', obj: ing(rule({ path: '/a//b', pathType: 'Exact' })), want: [['spec.rules[0].http.paths[0].path', 'Invalid value: "/a//b": must not contain \'//\'']] },
  {
    description: 'backend needs service or resource',
    obj: ing({ rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: {} }] } }] }),
    want: [['spec.rules[0].http.paths[0].backend', 'Invalid value: "": resource or service backend is required']],
  },
  {
    description: 'not both service and resource',
    obj: ing({ defaultBackend: { ...backend, resource: { kind: 'Bucket', name: 'b' } } }),
    want: [['spec.defaultBackend', 'Invalid value: "": cannot set both resource and service backends']],
  },
  { description: 'service port required', obj: ing({ defaultBackend: { service: { name: 'web' } } }), want: [['spec.defaultBackend.service.port', 'Required value: port name or number is required']] },
  { description: 'rules or default backend', obj: ing({}), want: [['spec']] },
  { description: 'wildcard host ok', obj: ing({ rules: [{ host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }), want: [] },
  { description: 'IP host rejected', obj: ing({ rules: [{ host: '10.0.0.1', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }), want: [['spec.rules[0].host']] },
]);

table('validateIngressClass', validateIngressClass, [
  { description: 'valid', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('skiff'), spec: { controller: 'skiff.dev/ingress' } }, want: [] },
  { description: 'controller required', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('skiff'), spec: {} }, want: [['spec.controller', 'Required value']] },
  { description: 'controller must be domain-prefixed', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('skiff'), spec: { controller: 'skiff' } }, want: [['spec.controller']] },
]);

const hpa = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('h', 'default'),
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, ...spec },
});
const cpu = (target: Record<string, unknown>): Record<string, unknown> => ({ type: 'Resource', resource: { name: 'cpu', target } });

table('validateHPA', validateHPA, [
  { description: 'valid', obj: hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 60 })] }), want: [] },
  { description: 'minReplicas 0 without object/external metrics', obj: hpa({ minReplicas: 0 }), want: [['spec.minReplicas', 'Invalid value: 0: must be greater than or equal to 1']] },
  {
    description: 'minReplicas 0 with an external metric',
    obj: hpa({ minReplicas: 0, metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }] }),
    want: [],
  },
  { description: 'maxReplicas below minReplicas', obj: hpa({ minReplicas: 3, maxReplicas: 2 }), want: [['spec.maxReplicas', 'Invalid value: 2: must be greater than or equal to `minReplicas`']] },
  { description: 'scaleTargetRef name required', obj: hpa({ scaleTargetRef: { kind: 'Deployment' } }), want: [['spec.scaleTargetRef.name', 'Required value']] },
  { description: 'unsupported metric type', obj: hpa({ metrics: [{ type: 'Magic' }] }), want: [['spec.metrics[0].type']] },
  { description: 'source must be populated', obj: hpa({ metrics: [{ type: 'Pods' }] }), want: [['spec.metrics[0].pods', 'Required value: must populate information for the given metric source']] },
  {
    description: 'only the given source',
    obj: hpa({ metrics: [{ ...cpu({ type: 'Utilization', averageUtilization: 50 }), pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '1' } } }] }),
    want: [['spec.metrics[0].pods', 'Forbidden: must populate the given metric source only']],
  },
  { description: 'utilization must be positive', obj: hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 0 })] }), want: [['spec.metrics[0].resource.target.averageUtilization']] },
  { description: 'resource metrics do not take Value', obj: hpa({ metrics: [cpu({ type: 'Value', value: '1' })] }), want: [['spec.metrics[0].resource.target.type']] },
  { description: 'bad quantity in target', obj: hpa({ metrics: [cpu({ type: 'AverageValue', averageValue: 'x' })] }), want: [['spec.metrics[0].resource.target.averageValue']] },
  {
    description: 'behavior policy bounds',
    obj: hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 4000, policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } } }),
    want: [['spec.behavior.scaleDown.stabilizationWindowSeconds'], ['spec.behavior.scaleDown.policies[0].value'], ['spec.behavior.scaleDown.policies[0].periodSeconds']],
  },
]);

const vpa = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: meta('v', 'default'), spec: { targetRef: { kind: 'Deployment', name: 'web' }, ...spec } });
table('validateVPA', validateVPA, [
  { description: 'valid', obj: vpa({ updatePolicy: { updateMode: 'Auto' } }), want: [] },
  { description: 'bad mode', obj: vpa({ updatePolicy: { updateMode: 'Sometimes' } }), want: [['spec.updatePolicy.updateMode']] },
  { description: 'min above max', obj: vpa({ resourcePolicy: { containerPolicies: [{ containerName: '*', minAllowed: { cpu: '2' }, maxAllowed: { cpu: '1' } }] } }), want: [['spec.resourcePolicy.containerPolicies[0].maxAllowed[cpu]']] },
]);

const ng = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'skiff.dev/v1alpha1', kind: 'NodeGroup', metadata: meta('pool'), spec });
table('validateNodeGroup', validateNodeGroup, [
  { description: 'valid', obj: ng({ minSize: 0, maxSize: 3, template: { capacity: { cpu: '2', memory: '4Gi' } } }), want: [] },
  { description: 'negative minSize', obj: ng({ minSize: -1, maxSize: 3 }), want: [['spec.minSize', 'Invalid value: -1: must be greater than or equal to 0']] },
  { description: 'maxSize below minSize', obj: ng({ minSize: 3, maxSize: 2 }), want: [['spec.maxSize']] },
  { description: 'desiredSize outside range', obj: ng({ minSize: 1, maxSize: 2, desiredSize: 5 }), want: [['spec.desiredSize']] },
  { description: 'bad capacity', obj: ng({ minSize: 0, maxSize: 1, template: { capacity: { cpu: 'two' } } }), want: [['spec.template.capacity[cpu]']] },
  { description: 'namespace forbidden', obj: { ...ng({ minSize: 0, maxSize: 1 }), metadata: meta('pool', 'default') }, want: [['metadata.namespace', 'Forbidden: not allowed on this type']] },
]);

const cm = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('c', 'default'), ...extra });
table('validateConfigMap', validateConfigMap, [
  { description: 'valid', obj: cm({ data: { 'app.conf': 'x', KEY_1: 'y' } }), want: [] },
  { description: 'invalid key', obj: cm({ data: { 'a/b': 'x' } }), want: [['data[a/b]']] },
  { description: 'key .. rejected', obj: cm({ data: { '..': 'x' } }), want: [['data[..]', 'Invalid value: "..": must not be \'..\'']] },
  { description: 'key in both data and binaryData', obj: cm({ data: { k: 'x' }, binaryData: { k: 'eA==' } }), want: [['data[k]']] },
  { description: 'immutable', obj: cm({ data: { k: 'y' }, immutable: true }), old: cm({ data: { k: 'x' }, immutable: true }), want: [['data']] },
]);

const secret = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta('s', 'default'), ...extra });
table('validateSecret', validateSecret, [
  { description: 'valid', obj: secret({ data: { password: 'c2VjcmV0' } }), want: [] },
  { description: 'not base64', obj: secret({ data: { password: 'not base64!' } }), want: [['data[password]', 'Invalid value: "<secret contents redacted>": illegal base64 data']] },
  { description: 'invalid key', obj: secret({ data: { 'a b': 'eA==' } }), want: [['data[a b]']] },
  { description: 'tls needs both keys', obj: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }), want: [['data[tls.key]', 'Required value']] },
  { description: 'type is immutable', obj: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eA==' } }), old: secret({ type: 'Opaque' }), want: [['type']] },
]);

table('validateNamespace', validateNamespace, [
  { description: 'valid', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('team-a') }, want: [] },
  { description: 'dots are not allowed', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('team.a') }, want: [['metadata.name', 'Invalid value: "team.a": must not contain dots']] },
  { description: 'too long', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('a'.repeat(64)) }, want: [['metadata.name', `Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`]] },
]);

const pvc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data', 'default'), spec });
table('validatePVC', validatePVC, [
  { description: 'valid', obj: pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }), want: [] },
  { description: 'access modes required', obj: pvc({ resources: { requests: { storage: '1Gi' } } }), want: [['spec.accessModes', 'Required value: at least 1 access mode is required']] },
  { description: 'storage request required', obj: pvc({ accessModes: ['ReadWriteOnce'] }), want: [['spec.resources[storage]', 'Required value']] },
  { description: 'bad access mode', obj: pvc({ accessModes: ['ReadSometimes'], resources: { requests: { storage: '1Gi' } } }), want: [['spec.accessModes']] },
]);

const pv = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta('pv1'), spec });
table('validatePV', validatePV, [
  { description: 'valid', obj: pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/x' } }), want: [] },
  { description: 'volume source required', obj: pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] }), want: [['spec', 'Required value: must specify a volume type']] },
  { description: 'capacity required', obj: pv({ accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } }), want: [['spec.capacity', 'Required value']] },
]);

const sc = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: meta('fast'), ...extra });
table('validateStorageClass', validateStorageClass, [
  { description: 'valid', obj: sc({ provisioner: 'skiff.dev/fake-disk' }), want: [] },
  { description: 'provisioner required', obj: sc({}), want: [['provisioner', 'Required value']] },
  { description: 'bad binding mode', obj: sc({ provisioner: 'x.io/y', volumeBindingMode: 'Later' }), want: [['volumeBindingMode']] },
  { description: 'provisioner immutable', obj: sc({ provisioner: 'x.io/y' }), old: sc({ provisioner: 'x.io/z' }), want: [['provisioner', 'Forbidden: updates to provisioner are forbidden.']] },
]);

table('validateLease', validateLease, [
  { description: 'valid', obj: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('l', 'kube-system'), spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } }, want: [] },
  { description: 'duration must be positive', obj: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('l', 'kube-system'), spec: { leaseDurationSeconds: 0 } }, want: [['spec.leaseDurationSeconds', 'Invalid value: 0: must be greater than 0']] },
]);

table('validateEvent', validateEvent, [
  { description: 'valid', obj: { apiVersion: 'v1', kind: 'Event', metadata: meta('web.17a', 'default'), involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, type: 'Normal' }, want: [] },
  { description: 'cluster-scoped object in default', obj: { apiVersion: 'v1', kind: 'Event', metadata: meta('n.1', 'default'), involvedObject: { kind: 'Node', name: 'n' } }, want: [] },
  { description: 'cluster-scoped object elsewhere', obj: { apiVersion: 'v1', kind: 'Event', metadata: meta('n.1', 'prod'), involvedObject: { kind: 'Node', name: 'n' } }, want: [['involvedObject.namespace']] },
  { description: 'namespace mismatch', obj: { apiVersion: 'v1', kind: 'Event', metadata: meta('e', 'a'), involvedObject: { kind: 'Pod', name: 'web', namespace: 'b' } }, want: [['involvedObject.namespace', 'Invalid value: "b": does not match event.namespace']] },
]);

table('validateEndpoints', validateEndpoints, [
  { description: 'valid', obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web', 'default'), subsets: [{ addresses: [{ ip: '127.0.0.2' }], ports: [{ port: 8080 }] }] }, want: [] },
  { description: 'bad ip and port', obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web', 'default'), subsets: [{ addresses: [{ ip: 'x' }], ports: [{ port: 0 }] }] }, want: [['subsets[0].addresses[0].ip'], ['subsets[0].ports[0].port']] },
]);

table('validateService (families, ranges, affinity timeout)', validateService, [
  { description: 'bad ipFamilyPolicy', obj: svc({ ipFamilyPolicy: 'Dual' }), want: [['spec.ipFamilyPolicy']] },
  { description: 'bad ip family', obj: svc({ ipFamilies: ['IPv5'] }), want: [['spec.ipFamilies[0]']] },
  { description: 'source ranges must be CIDRs', obj: svc({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8', '10.0.0.1', '10.0.0.0/33'] }), want: [['spec.loadBalancerSourceRanges[1]'], ['spec.loadBalancerSourceRanges[2]']] },
  { description: 'ClientIP timeout bounds', obj: svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }), want: [['spec.sessionAffinityConfig.clientIP.timeoutSeconds']] },
]);

table('validateConfigMap (binaryData)', validateConfigMap, [
  { description: 'binaryData must be base64', obj: cm({ binaryData: { b: '***' } }), want: [['binaryData[b]', 'Invalid value: "<binary data redacted>": illegal base64 data']] },
]);
