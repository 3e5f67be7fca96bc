/** The kind registry that built-in kinds and CRDs share. */
import type { FieldError } from './errors.js';
import type { KubeObject } from './meta.js';
import type { JSONSchemaProps } from './kinds/other.js';

export interface ScaleSubresource {
  /** Dotted paths, e.g. `spec.replicas`, `status.replicas`, `status.selector`. */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
  /** The selector at `labelSelectorPath` is a plain label map (a ReplicationController's `spec.selector`). */
  selectorIsMap?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** Simple JSONPath such as `.spec.replicas` (CRD additionalPrinterColumns). */
  jsonPath?: string;
  description?: string;
  priority?: number;
}

export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  categories?: readonly string[];
  namespaced: boolean;
  verbs: readonly string[];
  subresources: { status: boolean; scale?: ScaleSubresource };
  /**
   * Structural schema of the whole object (apiVersion, kind, metadata, spec…): used to reject
   * unknown fields and wrong types, to serve OpenAPI, and for strategic-merge keys
   * (`x-kubernetes-patch-merge-key`). Subtrees skiff does not model carry
   * `x-kubernetes-preserve-unknown-fields`.
   */
  schema: JSONSchemaProps;
  /** Fills defaults in place (the object is a private copy). */
  defaults?: (obj: KubeObject) => void;
  /** Sets what the server owns on a new object (Kubernetes' `PrepareForCreate`), after admission, before validation. */
  prepareForCreate?: (obj: KubeObject) => void;
  /** Kubernetes' PrepareForCreate steps that need the final name and uid (a Job's generated selector): the store runs it on the object it is about to write, after validation. */
  finishCreate?: (obj: KubeObject) => void;
  /** Semantic validation with field paths; `old` is set on update. */
  validate?: (obj: KubeObject, old?: KubeObject) => FieldError[];
  /** Extra printer columns for CRDs (built-in kinds' tables live in the API server). */
  printerColumns?: readonly PrinterColumn[];
  /** True for kinds defined by a CustomResourceDefinition. */
  custom?: boolean;
}
