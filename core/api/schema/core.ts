/** Schemas for core/v1 kinds other than Pod: Namespace, Node, Service, Endpoints, ConfigMap, Secret, Event, PV, PVC. */
import type { JSONSchemaProps } from '../kinds/other.js';
import {
  atomicList, bool, choice, int, int64, intOrString, mapOf, mergeList, obj, preserve, quantityMap, str, stringList, stringMap, time,
} from './dsl.js';
import { conditions, kindSchema, labelSelector, loadBalancerStatus, nodeSelector, objectReference, typedLocalObjectReference } from './meta.js';
import { podSpec, podStatus } from './pod.js';

export const podSchema = kindSchema({ spec: podSpec, status: podStatus });

export const namespaceSchema = kindSchema({
  spec: obj({ finalizers: atomicList(str()) }),
  status: obj({ phase: choice(['Active', 'Terminating']), conditions: conditions() }),
});

const taint = obj({ key: str(), value: str(), effect: choice(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), timeAdded: time() }, ['key', 'effect']);

export const nodeSchema = kindSchema({
  spec: obj({
    podCIDR: str(), podCIDRs: mergeSetOfStrings(), providerID: str(), unschedulable: bool(), taints: atomicList(taint),
    configSource: preserve(), externalID: str(),
  }),
  status: obj({
    capacity: quantityMap(),
    allocatable: quantityMap(),
    phase: str(),
    conditions: conditions(),
    addresses: mergeList(obj({ type: str(), address: str() }, ['type', 'address']), 'type'),
    daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: int() }, ['Port']) }),
    nodeInfo: obj({
      machineID: str(), systemUUID: str(), bootID: str(), kernelVersion: str(), osImage: str(), containerRuntimeVersion: str(),
      kubeletVersion: str(), kubeProxyVersion: str(), operatingSystem: str(), architecture: str(), swap: preserve(),
    }),
    images: atomicList(obj({ names: stringList(), sizeBytes: int64() })),
    volumesInUse: stringList(),
    volumesAttached: atomicList(obj({ name: str(), devicePath: str() }, ['name', 'devicePath'])),
    config: preserve(),
    runtimeHandlers: atomicList(preserve()),
    features: preserve(),
  }),
});

function mergeSetOfStrings(): JSONSchemaProps {
  return { type: 'array', items: str(), 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' };
}

const servicePort = obj({
  name: str(), protocol: choice(['TCP', 'UDP', 'SCTP']), appProtocol: str(), port: int(), targetPort: intOrString(), nodePort: int(),
}, ['port']);

export const serviceSchema = kindSchema({
  spec: obj({
    ports: mergeList(servicePort, 'port', { 'x-kubernetes-list-map-keys': ['port', 'protocol'] }),
    selector: stringMap({ 'x-kubernetes-map-type': 'atomic' }),
    clusterIP: str(),
    clusterIPs: atomicList(str()),
    type: choice(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']),
    externalIPs: atomicList(str()),
    sessionAffinity: choice(['None', 'ClientIP']),
    loadBalancerIP: str(),
    loadBalancerSourceRanges: atomicList(str()),
    externalName: str(),
    externalTrafficPolicy: choice(['Cluster', 'Local']),
    healthCheckNodePort: int(),
    publishNotReadyAddresses: bool(),
    sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int() }) }),
    ipFamilies: atomicList(str()),
    ipFamilyPolicy: choice(['SingleStack', 'PreferDualStack', 'RequireDualStack']),
    allocateLoadBalancerNodePorts: bool(),
    loadBalancerClass: str(),
    internalTrafficPolicy: choice(['Cluster', 'Local']),
    trafficDistribution: str(),
  }),
  status: obj({ loadBalancer: loadBalancerStatus, conditions: conditions() }),
});

const endpointAddress = obj({ ip: str(), hostname: str(), nodeName: str(), targetRef: objectReference }, ['ip']);
export const endpointsSchema = kindSchema({
  subsets: atomicList(obj({
    addresses: atomicList(endpointAddress),
    notReadyAddresses: atomicList(endpointAddress),
    ports: atomicList(obj({ name: str(), port: int(), protocol: str(), appProtocol: str() }, ['port'])),
  })),
});

export const configMapSchema = kindSchema({ data: stringMap(), binaryData: stringMap({ additionalProperties: str({ format: 'byte' }) }), immutable: bool() });

export const secretSchema = kindSchema({
  data: mapOf(str({ format: 'byte' })), stringData: stringMap(), type: str(), immutable: bool(),
});

export const eventSchema = kindSchema({
  involvedObject: objectReference,
  reason: str(),
  message: str(),
  source: obj({ component: str(), host: str() }),
  firstTimestamp: time(),
  lastTimestamp: time(),
  count: int(),
  type: str(),
  eventTime: time({ format: 'date-time' }),
  series: obj({ count: int(), lastObservedTime: time() }),
  action: str(),
  related: objectReference,
  reportingComponent: str(),
  reportingInstance: str(),
}, ['involvedObject']);

const secretRef = obj({ name: str(), namespace: str() }, [], { 'x-kubernetes-map-type': 'atomic' });
const pvSources: Record<string, JSONSchemaProps> = {
  hostPath: obj({ path: str(), type: str() }, ['path']),
  local: obj({ path: str(), fsType: str() }, ['path']),
  csi: obj({
    driver: str(), volumeHandle: str(), readOnly: bool(), fsType: str(), volumeAttributes: stringMap(),
    controllerPublishSecretRef: secretRef, nodeStageSecretRef: secretRef, nodePublishSecretRef: secretRef,
    controllerExpandSecretRef: secretRef, nodeExpandSecretRef: secretRef,
  }, ['driver', 'volumeHandle']),
  nfs: obj({ server: str(), path: str(), readOnly: bool() }, ['server', 'path']),
  awsElasticBlockStore: obj({ volumeID: str(), fsType: str(), partition: int(), readOnly: bool() }, ['volumeID']),
  gcePersistentDisk: obj({ pdName: str(), fsType: str(), partition: int(), readOnly: bool() }, ['pdName']),
};
const otherPvSources = ['glusterfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume',
  'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];

export const persistentVolumeSchema = kindSchema({
  spec: obj({
    capacity: quantityMap(),
    accessModes: atomicList(str()),
    claimRef: objectReference,
    persistentVolumeReclaimPolicy: choice(['Retain', 'Delete', 'Recycle']),
    storageClassName: str(),
    mountOptions: atomicList(str()),
    volumeMode: choice(['Block', 'Filesystem']),
    nodeAffinity: obj({ required: nodeSelector }),
    volumeAttributesClassName: str(),
    ...pvSources,
    ...Object.fromEntries(otherPvSources.map((k) => [k, preserve()])),
  }),
  status: obj({ phase: str(), message: str(), reason: str(), lastPhaseTransitionTime: time() }),
});

export const persistentVolumeClaimSchema = kindSchema({
  spec: obj({
    accessModes: atomicList(str()),
    selector: labelSelector,
    resources: obj({ limits: quantityMap(), requests: quantityMap() }),
    volumeName: str(),
    storageClassName: str(),
    volumeMode: choice(['Block', 'Filesystem']),
    dataSource: typedLocalObjectReference,
    dataSourceRef: obj({ apiGroup: str(), kind: str(), name: str(), namespace: str() }, ['kind', 'name']),
    volumeAttributesClassName: str(),
  }),
  status: obj({
    phase: str(), accessModes: atomicList(str()), capacity: quantityMap(), conditions: conditions(),
    allocatedResources: quantityMap(), allocatedResourceStatuses: stringMap({ 'x-kubernetes-map-type': 'granular' }),
    currentVolumeAttributesClassName: str(), modifyVolumeStatus: preserve(),
  }),
});

