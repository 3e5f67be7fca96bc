/** Schemas shared by every kind: ObjectMeta, label selectors, conditions, object references. */
import type { JSONSchemaProps } from '../kinds/other.js';
import { atomicList, bool, choice, int, int64, mergeList, mergeSet, obj, preserve, str, stringList, stringMap, time } from './dsl.js';

export const ownerReference = obj({
  apiVersion: str(), kind: str(), name: str(), uid: str(), controller: bool(), blockOwnerDeletion: bool(),
}, ['apiVersion', 'kind', 'name', 'uid']);

export const managedFieldsEntry = obj({
  manager: str(), operation: str(), apiVersion: str(), time: time(), fieldsType: str(),
  fieldsV1: preserve('managed fields set'), subresource: str(),
});

export const objectMeta: JSONSchemaProps = obj({
  name: str(),
  generateName: str(),
  namespace: str(),
  selfLink: str(),
  uid: str(),
  resourceVersion: str(),
  generation: int64(),
  creationTimestamp: time(),
  deletionTimestamp: time(),
  deletionGracePeriodSeconds: int64(),
  labels: stringMap(),
  annotations: stringMap(),
  ownerReferences: mergeList(ownerReference, 'uid'),
  finalizers: mergeSet(str()),
  managedFields: atomicList(managedFieldsEntry),
});

export const labelSelectorRequirement = obj({ key: str(), operator: str(), values: stringList() }, ['key', 'operator']);

export const labelSelector = obj({
  matchLabels: stringMap(),
  matchExpressions: atomicList(labelSelectorRequirement),
}, [], { 'x-kubernetes-map-type': 'atomic' });

export const condition = obj({
  type: str(),
  status: str(),
  observedGeneration: int64(),
  lastTransitionTime: time(),
  lastUpdateTime: time(),
  lastProbeTime: time(),
  lastHeartbeatTime: time(),
  reason: str(),
  message: str(),
}, ['type', 'status']);

/** `conditions` lists, strategic-merged by `type`. */
export const conditions = (): JSONSchemaProps => mergeList(condition, 'type');

export const objectReference = obj({
  kind: str(), namespace: str(), name: str(), uid: str(), apiVersion: str(), resourceVersion: str(), fieldPath: str(),
}, [], { 'x-kubernetes-map-type': 'atomic' });

export const localObjectReference = obj({ name: str() }, [], { 'x-kubernetes-map-type': 'atomic' });

export const typedLocalObjectReference = obj({ apiGroup: str(), kind: str(), name: str() }, ['kind', 'name'], { 'x-kubernetes-map-type': 'atomic' });

export const loadBalancerStatus = obj({
  ingress: atomicList(obj({
    ip: str(), hostname: str(), ipMode: str(),
    ports: atomicList(obj({ port: int(), protocol: str(), error: str() }, ['port', 'protocol'])),
  })),
});

export const nodeSelectorRequirement = obj({ key: str(), operator: choice(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']), values: stringList() }, ['key', 'operator']);
export const nodeSelectorTerm = obj({ matchExpressions: atomicList(nodeSelectorRequirement), matchFields: atomicList(nodeSelectorRequirement) }, [], { 'x-kubernetes-map-type': 'atomic' });
export const nodeSelector = obj({ nodeSelectorTerms: atomicList(nodeSelectorTerm) }, ['nodeSelectorTerms'], { 'x-kubernetes-map-type': 'atomic' });

/** The top level every kind shares: apiVersion, kind, metadata, plus the kind's own fields. */
export function kindSchema(fields: Record<string, JSONSchemaProps>, required: readonly string[] = []): JSONSchemaProps {
  return obj({ apiVersion: str(), kind: str(), metadata: objectMeta, ...fields }, required);
}
