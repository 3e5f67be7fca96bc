/** Kubernetes defaulting for built-in kinds, keyed by `group/Kind` (`apps/Deployment`, `/Pod`). */
import type { KubeObject } from '../meta.js';
import {
  defaultCRD, defaultDeployment, defaultEndpoints, defaultEndpointSlice, defaultHPA, defaultNamespace, defaultPod, defaultPV, defaultPVC,
  defaultReplicaSet, defaultSecret, defaultService, defaultStorageClass,
} from './kinds.js';

export const builtinDefaults: Readonly<Record<string, (obj: KubeObject) => void>> = {
  '/Pod': defaultPod,
  '/Service': defaultService,
  '/Secret': defaultSecret,
  '/Namespace': defaultNamespace,
  '/Endpoints': defaultEndpoints,
  '/PersistentVolume': defaultPV,
  '/PersistentVolumeClaim': defaultPVC,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'storage.k8s.io/StorageClass': defaultStorageClass,
  'autoscaling/HorizontalPodAutoscaler': defaultHPA,
  'apiextensions.k8s.io/CustomResourceDefinition': defaultCRD,
};

export { defaultPodSpec, defaultContainer, defaultPullPolicy, defaultProbe } from './pod.js';
export {
  defaultPod, defaultDeployment, defaultReplicaSet, defaultService, defaultHPA, defaultSecret, defaultPVC, defaultPV, defaultStorageClass,
  defaultNamespace, defaultEndpoints, defaultEndpointSlice, defaultCRD,
} from './kinds.js';
