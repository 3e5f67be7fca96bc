/** Small schemas for a Deployment and its pod template, with the patch metadata Kubernetes declares. */
import type { JSONSchemaProps } from '../../../../core/api/index.js';

const str: JSONSchemaProps = { type: 'string' };
const int: JSONSchemaProps = { type: 'integer' };
const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: str };

/** A list merged by `key` (both the strategic-merge and the server-side-apply annotations). */
function keyedList(key: string, items: JSONSchemaProps, keys: string[] = [key]): JSONSchemaProps {
  return {
    type: 'array',
    items,
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': keys,
  };
}

const setList: JSONSchemaProps = { type: 'array', items: str, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' };
const atomicStrings: JSONSchemaProps = { type: 'array', items: str };

const container: JSONSchemaProps = {
  type: 'object',
  properties: {
    name: str,
    image: str,
    imagePullPolicy: str,
    terminationMessagePath: str,
    command: atomicStrings,
    args: atomicStrings,
    env: keyedList('name', { type: 'object', properties: { name: str, value: str, valueFrom: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }),
    ports: keyedList('containerPort', { type: 'object', properties: { containerPort: int, protocol: str, name: str } }, ['containerPort', 'protocol']),
    volumeMounts: keyedList('mountPath', { type: 'object', properties: { name: str, mountPath: str, readOnly: { type: 'boolean' } } }),
    resources: { type: 'object', properties: { limits: stringMap, requests: stringMap } },
  },
};

const volumeSource: JSONSchemaProps = {
  type: 'object',
  'x-kubernetes-patch-strategy': 'retainKeys',
  properties: {
    name: str,
    emptyDir: { type: 'object', properties: { medium: str } },
    configMap: { type: 'object', properties: { name: str } },
    hostPath: { type: 'object', properties: { path: str } },
  },
};

export const podSpecSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    containers: keyedList('name', container),
    initContainers: keyedList('name', container),
    volumes: { ...keyedList('name', volumeSource), 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
    nodeSelector: stringMap,
    restartPolicy: str,
    // An unknown subtree: no schema below it.
    affinity: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    tolerations: { type: 'array', items: { type: 'object', properties: { key: str, operator: str, effect: str } } },
  },
};

const metadata: JSONSchemaProps = {
  type: 'object',
  properties: {
    name: str,
    namespace: str,
    labels: stringMap,
    annotations: stringMap,
    finalizers: setList,
    resourceVersion: str,
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

export const deploymentSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata,
    spec: {
      type: 'object',
      properties: {
        replicas: int,
        selector: { type: 'object', properties: { matchLabels: stringMap } },
        strategy: {
          type: 'object',
          'x-kubernetes-patch-strategy': 'retainKeys',
          properties: { type: str, rollingUpdate: { type: 'object', properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } } } },
        },
        template: { type: 'object', properties: { metadata, spec: podSpecSchema } },
      },
    },
    status: { type: 'object', properties: { replicas: int, readyReplicas: int } },
  },
};

export const podSchema: JSONSchemaProps = {
  type: 'object',
  properties: { apiVersion: str, kind: str, metadata, spec: podSpecSchema },
};
