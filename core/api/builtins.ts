/** Every built-in kind of DESIGN.md, with names, scope, verbs, subresources, schema, defaults and validation. */
import type { JSONSchemaProps } from './kinds/other.js';
import type { KindRegistry } from './kind-registry.js';
import type { KindInfo, ScaleSubresource } from './registry.js';
import { builtinDefaults, builtinFinishCreate } from './defaults/index.js';
import { builtinValidators } from './validation/index.js';
import { builtinPrepareForCreate } from './create-strategy.js';
import * as s from './schema/index.js';
import { READ_ONLY_VERBS, STANDARD_VERBS } from './verbs.js';
import { dropNullFields, withoutNullFields } from './nulls.js';

export { STANDARD_VERBS, READ_ONLY_VERBS };

const replicasScale: ScaleSubresource = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' };
const rcScale: ScaleSubresource = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector', selectorIsMap: true };

interface BuiltinSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  namespaced: boolean;
  status?: boolean;
  scale?: ScaleSubresource;
  categories?: string[];
  verbs?: readonly string[];
  schema: JSONSchemaProps;
}

function info(b: BuiltinSpec): KindInfo {
  const k: KindInfo = {
    group: b.group,
    version: b.version,
    kind: b.kind,
    listKind: `${b.kind}List`,
    plural: b.plural,
    singular: b.kind.toLowerCase(),
    shortNames: b.shortNames ?? [],
    namespaced: b.namespaced,
    verbs: b.verbs ?? STANDARD_VERBS,
    subresources: b.scale ? { status: b.status ?? false, scale: b.scale } : { status: b.status ?? false },
    schema: b.schema,
  };
  if (b.categories) k.categories = b.categories;
  const defaults = builtinDefaults[`${b.group}/${b.kind}`];
  if (b.verbs === undefined) {
    // Decoding semantics: a null field is the zero value, i.e. absent, before defaults run.
    k.defaults = (obj) => {
      dropNullFields(obj);
      defaults?.(obj);
    };
  }
  const prepare = builtinPrepareForCreate[`${b.group}/${b.kind}`];
  if (prepare) k.prepareForCreate = prepare;
  const finish = builtinFinishCreate[`${b.group}/${b.kind}`];
  if (finish) k.finishCreate = finish;
  const validate = builtinValidators[`${b.group}/${b.kind}`];
  if (validate) k.validate = (obj, old) => validate(withoutNullFields(obj), old === undefined ? undefined : withoutNullFields(old));
  return k;
}

const specs: BuiltinSpec[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', shortNames: ['ns'], namespaced: false, status: true, schema: s.namespaceSchema },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', shortNames: ['no'], namespaced: false, status: true, schema: s.nodeSchema },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', shortNames: ['po'], namespaced: true, status: true, categories: ['all'], schema: s.podSchema },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], namespaced: true, status: true, categories: ['all'], schema: s.serviceSchema },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'], namespaced: true, schema: s.endpointsSchema },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, schema: s.secretSchema },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'], namespaced: true, schema: s.configMapSchema },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'], namespaced: true, schema: s.eventSchema },
  { group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', shortNames: ['pv'], namespaced: false, status: true, schema: s.persistentVolumeSchema },
  { group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', shortNames: ['rc'], namespaced: true, status: true, scale: rcScale, categories: ['all'], schema: s.replicationControllerSchema },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'], namespaced: true, status: true, schema: s.persistentVolumeClaimSchema },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], namespaced: true, status: true, scale: replicasScale, categories: ['all'], schema: s.deploymentSchema },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], namespaced: true, status: true, scale: replicasScale, categories: ['all'], schema: s.replicaSetSchema },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', shortNames: ['sts'], namespaced: true, status: true, scale: replicasScale, categories: ['all'], schema: s.statefulSetSchema },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], namespaced: true, status: true, categories: ['all'], schema: s.daemonSetSchema },
  { group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true, schema: s.controllerRevisionSchema },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, status: true, categories: ['all'], schema: s.jobSchema },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], namespaced: true, status: true, categories: ['all'], schema: s.cronJobSchema },
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true, schema: s.endpointSliceSchema },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], namespaced: true, status: true, schema: s.ingressSchema },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false, schema: s.ingressClassSchema },
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', shortNames: ['sc'], namespaced: false, schema: s.storageClassSchema },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', shortNames: ['pdb'], namespaced: true, status: true, schema: s.podDisruptionBudgetSchema },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], namespaced: true, status: true, categories: ['all'], schema: s.hpaSchema },
  { group: 'autoscaling.k8s.io', version: 'v1', kind: 'VerticalPodAutoscaler', plural: 'verticalpodautoscalers', shortNames: ['vpa'], namespaced: true, status: true, schema: s.vpaSchema },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true, schema: s.leaseSchema },
  { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', shortNames: ['crd', 'crds'], namespaced: false, status: true, schema: s.crdSchema },
  { group: 'skiff.dev', version: 'v1alpha1', kind: 'NodeGroup', plural: 'nodegroups', shortNames: ['ng'], namespaced: false, status: true, schema: s.nodeGroupSchema },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', namespaced: true, verbs: READ_ONLY_VERBS, schema: s.podMetricsSchema },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics', plural: 'nodes', namespaced: false, verbs: READ_ONLY_VERBS, schema: s.nodeMetricsSchema },
];

/** A fresh list of every built-in kind (new objects each call). */
export function builtinKinds(): KindInfo[] {
  return specs.map(info);
}

/** Registers every built-in kind (explicitly: call once where the registry is made). */
export function registerBuiltins(registry: KindRegistry): void {
  for (const k of builtinKinds()) registry.register(k);
}
