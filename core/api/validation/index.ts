/** Semantic validation of built-in kinds, keyed by `group/Kind` (`apps/Deployment`, `/Pod`). */
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { validateDeployment, validateReplicaSet } from './apps.js';
import { validateCronJob, validateJob } from './batch.js';
import { validateHPA, validateNodeGroup, validateVPA } from './autoscaling.js';
import { validateConfigMap, validateEvent, validateLease, validateNamespace, validateNode, validateSecret } from './core.js';
import { validateControllerRevision } from './controllerrevision.js';
import { validateStatefulSet } from './statefulset.js';
import { validateCRD } from './crd.js';
import { validateEndpoints, validateEndpointSlice, validateIngress, validateIngressClass } from './networking.js';
import { validatePod } from './pod.js';
import { validatePodDisruptionBudget } from './policy.js';
import { validateReplicationController } from './replicationcontroller.js';
import { validateDaemonSet } from './daemonset.js';
import { validateService } from './service.js';
import { validatePV, validatePVC, validateStorageClass } from './storage.js';

export type Validator = (obj: KubeObject, old?: KubeObject) => FieldError[];

export const builtinValidators: Readonly<Record<string, Validator>> = {
  '/Namespace': validateNamespace,
  '/Node': validateNode,
  '/Pod': validatePod,
  '/Service': validateService,
  '/Endpoints': validateEndpoints,
  '/Secret': validateSecret,
  '/ConfigMap': validateConfigMap,
  '/Event': validateEvent,
  '/PersistentVolume': validatePV,
  '/PersistentVolumeClaim': validatePVC,
  '/ReplicationController': validateReplicationController,
  'apps/Deployment': validateDeployment,
  'apps/ReplicaSet': validateReplicaSet,
  'apps/DaemonSet': validateDaemonSet,
  'apps/ControllerRevision': validateControllerRevision,
  'apps/StatefulSet': validateStatefulSet,
  'discovery.k8s.io/EndpointSlice': validateEndpointSlice,
  'batch/Job': validateJob,
  'batch/CronJob': validateCronJob,
  'networking.k8s.io/Ingress': validateIngress,
  'networking.k8s.io/IngressClass': validateIngressClass,
  'storage.k8s.io/StorageClass': validateStorageClass,
  'policy/PodDisruptionBudget': validatePodDisruptionBudget,
  'autoscaling/HorizontalPodAutoscaler': validateHPA,
  'autoscaling.k8s.io/VerticalPodAutoscaler': validateVPA,
  'coordination.k8s.io/Lease': validateLease,
  'apiextensions.k8s.io/CustomResourceDefinition': validateCRD,
  'skiff.dev/NodeGroup': validateNodeGroup,
};

export * from './names.js';
export * as fieldErrors from './field.js';
export { validateObjectMeta, validateLabels, validateAnnotations, validateLabelSelector, isValidPathSegmentName } from './meta.js';
export type { MetaOptions, NameValidator } from './meta.js';
export { validatePodSpec, validatePodTemplate, validatePod } from './pod.js';
export { validateContainer } from './container.js';
export { validateResourceRequirements, validateResourceList } from './resources.js';
export { validateDeployment, validateReplicaSet } from './apps.js';
export { validateControllerRevision } from './controllerrevision.js';
export { validateJob, validateCronJob } from './batch.js';
export { validateReplicationController } from './replicationcontroller.js';
export { validateStatefulSet } from './statefulset.js';
export { validateDaemonSet } from './daemonset.js';
export { validateService, NODE_PORT_RANGE, SERVICE_TYPES } from './service.js';
export { validateIngress, validateIngressClass, validateEndpoints, validateEndpointSlice } from './networking.js';
export { validateHPA, validateVPA, validateNodeGroup } from './autoscaling.js';
export { validateNamespace, validateNode, validateConfigMap, validateSecret, validateEvent, validateLease } from './core.js';
export { validatePV, validatePVC, validateStorageClass } from './storage.js';
export { validateCRD, validateStructural } from './crd.js';
export { validatePodDisruptionBudget, UNHEALTHY_POD_EVICTION_POLICIES } from './policy.js';
