/** `v1` ReplicationController: the legacy ReplicaSet, whose selector is a plain label map. */
import type { KubeObject } from '../meta.js';
import type { ReplicaSet } from './apps.js';
import type { PodTemplateSpec } from './core.js';

export interface ReplicationController extends KubeObject {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    /** Equality selector; defaults to the template's labels. */
    selector?: Record<string, string>;
    template?: PodTemplateSpec;
  };
  /** The same fields as a ReplicaSet's status. */
  status?: ReplicaSet['status'];
}
