/** StorageClass, Lease, CustomResourceDefinition and skiff's own NodeGroup. */
import type { Condition, KubeObject } from '../meta.js';
import type { ResourceList, Taint } from './core.js';

export interface StorageClass extends KubeObject {
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: 'Retain' | 'Delete';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
}

export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

/** An OpenAPI v3 schema as CRDs declare it (the structural subset skiff validates). */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  nullable?: boolean;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string; reason?: string; fieldPath?: string }[];
  title?: string;
  example?: unknown;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  externalDocs?: { description?: string; url?: string };
}

export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: Record<string, never>; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: { name: string; type: string; jsonPath: string; description?: string; priority?: number; format?: string }[];
}

export interface CustomResourceDefinition extends KubeObject {
  spec: {
    group: string;
    names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: CustomResourceDefinitionVersion[];
  };
  status?: { conditions?: Condition[]; acceptedNames?: Record<string, unknown>; storedVersions?: string[] };
}

/** `skiff.dev/v1alpha1` NodeGroup: a group of like nodes the cluster autoscaler may grow and shrink. */
export interface NodeGroup extends KubeObject {
  spec: {
    minSize: number;
    maxSize: number;
    desiredSize?: number;
    /** The shape of each node: capacity, labels and taints (the cluster autoscaler's node template). */
    template?: { capacity?: ResourceList; labels?: Record<string, string>; taints?: Taint[]; instanceType?: string; zone?: string };
    /** Provider-specific reference (ASG name, MIG URL); empty for the fake cloud. */
    providerRef?: string;
    /** Price per node-hour, used by the `price` expander when set. */
    pricePerHour?: number;
    /** Priority used by the `priority` expander (higher wins). */
    priority?: number;
  };
  status?: {
    targetSize?: number;
    readyNodes?: number;
    nodes?: string[];
    conditions?: Condition[];
    lastScaleTime?: string;
  };
}
