/** Kubernetes defaulting for built-in kinds, keyed by `group/Kind` (`apps/Deployment`, `/Pod`). */
import type { KubeObject } from '../meta.js';
import {
  defaultCRD, defaultDeployment, defaultEndpoints, defaultEndpointSlice, defaultHPA, defaultNamespace, defaultPod, defaultPV, defaultPVC,
  defaultReplicaSet, defaultSecret, defaultService, defaultStorageClass,
} from './kinds.js';
import { defaultCronJob, defaultJob, prepareJobForCreate } from './batch.js';
import { defaultReplicationController } from './replicationcontroller.js';
import { defaultStatefulSet } from './statefulset.js';
import { defaultDaemonSet } from './daemonset.js';

export const builtinDefaults: Readonly<Record<string, (obj: KubeObject) => void>> = {
  '/Pod': defaultPod,
  '/Service': defaultService,
  '/Secret': defaultSecret,
  '/Namespace': defaultNamespace,
  '/Endpoints': defaultEndpoints,
  '/PersistentVolume': defaultPV,
  '/PersistentVolumeClaim': defaultPVC,
  '/ReplicationController': defaultReplicationController,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/DaemonSet': defaultDaemonSet,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'storage.k8s.io/StorageClass': defaultStorageClass,
  'autoscaling/HorizontalPodAutoscaler': defaultHPA,
  'apiextensions.k8s.io/CustomResourceDefinition': defaultCRD,
};

/** `KindInfo.finishCreate` hooks (PrepareForCreate steps needing the final name and uid), keyed like the defaulters. */
export const builtinFinishCreate: Readonly<Record<string, (obj: KubeObject) => void>> = {
  'batch/Job': prepareJobForCreate,
};

export { defaultJob, defaultCronJob, prepareJobForCreate, jobLabels } from './batch.js';
export { defaultReplicationController } from './replicationcontroller.js';
export { defaultDaemonSet } from './daemonset.js';
export { defaultPodSpec, defaultContainer, defaultPullPolicy, defaultProbe } from './pod.js';
export {
  defaultPod, defaultDeployment, defaultReplicaSet, defaultService, defaultHPA, defaultSecret, defaultPVC, defaultPV, defaultStorageClass,
  defaultNamespace, defaultEndpoints, defaultEndpointSlice, defaultCRD,
} from './kinds.js';
export { defaultStatefulSet } from './statefulset.js';
