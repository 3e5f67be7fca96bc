/** Schemas for StorageClass, Lease, CustomResourceDefinition, NodeGroup and metrics.k8s.io kinds. */
import { atomicList, bool, choice, int, num, obj, preserve, quantityMap, str, stringList, stringMap, time } from './dsl.js';
import { conditions, kindSchema } from './meta.js';

export const storageClassSchema = kindSchema({
  provisioner: str(),
  parameters: stringMap(),
  reclaimPolicy: choice(['Retain', 'Delete']),
  mountOptions: atomicList(str()),
  allowVolumeExpansion: bool(),
  volumeBindingMode: choice(['Immediate', 'WaitForFirstConsumer']),
  allowedTopologies: atomicList(obj({
    matchLabelExpressions: atomicList(obj({ key: str(), values: stringList() }, ['key', 'values'])),
  }, [], { 'x-kubernetes-map-type': 'atomic' })),
}, ['provisioner']);

export const leaseSchema = kindSchema({
  spec: obj({
    holderIdentity: str({ nullable: true }),
    leaseDurationSeconds: int(),
    acquireTime: time(),
    renewTime: time(),
    leaseTransitions: int(),
    strategy: str(),
    preferredHolder: str(),
  }),
});

const crdVersion = obj({
  name: str(),
  served: bool(),
  storage: bool(),
  deprecated: bool(),
  deprecationWarning: str(),
  schema: obj({ openAPIV3Schema: preserve('the version\'s structural schema (checked by validateCRD)') }),
  subresources: obj({
    status: preserve(),
    scale: obj({ specReplicasPath: str(), statusReplicasPath: str(), labelSelectorPath: str() }, ['specReplicasPath', 'statusReplicasPath']),
  }),
  additionalPrinterColumns: atomicList(obj({
    name: str(), type: str(), format: str(), description: str(), priority: int(), jsonPath: str(),
  }, ['name', 'type', 'jsonPath'])),
  selectableFields: atomicList(obj({ jsonPath: str() }, ['jsonPath'])),
}, ['name', 'served', 'storage']);

const crdNames = obj({
  plural: str(), singular: str(), shortNames: atomicList(str()), kind: str(), listKind: str(), categories: atomicList(str()),
}, ['plural', 'kind']);

export const crdSchema = kindSchema({
  spec: obj({
    group: str(),
    names: crdNames,
    scope: choice(['Namespaced', 'Cluster']),
    versions: atomicList(crdVersion),
    conversion: preserve('conversion strategy and webhook'),
    preserveUnknownFields: bool(),
  }, ['group', 'names', 'scope', 'versions']),
  status: obj({ conditions: conditions(), acceptedNames: crdNames, storedVersions: atomicList(str()) }),
}, ['spec']);

const taint = obj({ key: str(), value: str(), effect: str(), timeAdded: time() }, ['key', 'effect']);

export const nodeGroupSchema = kindSchema({
  spec: obj({
    minSize: int(),
    maxSize: int(),
    desiredSize: int(),
    template: obj({ capacity: quantityMap(), labels: stringMap(), taints: atomicList(taint), instanceType: str(), zone: str() }),
    providerRef: str(),
    pricePerHour: num(),
    priority: int(),
  }, ['minSize', 'maxSize']),
  status: obj({
    targetSize: int(), readyNodes: int(), nodes: atomicList(str()), conditions: conditions(), lastScaleTime: time(),
  }),
}, ['spec']);

export const podMetricsSchema = kindSchema({
  timestamp: time(),
  window: str(),
  containers: atomicList(obj({ name: str(), usage: quantityMap() }, ['name', 'usage'])),
});

export const nodeMetricsSchema = kindSchema({ timestamp: time(), window: str(), usage: quantityMap() });
