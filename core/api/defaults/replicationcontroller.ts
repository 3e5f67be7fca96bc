/** Kubernetes' `SetDefaults_ReplicationController`. */
import type { ReplicationController } from '../kinds/replicationcontroller.js';
import type { KubeObject } from '../meta.js';
import { defaultPodSpec } from './pod.js';

/** The selector and (when it has none) the object's labels default to the template's labels; replicas to 1. */
export function defaultReplicationController(obj: KubeObject): void {
  const rc = obj as ReplicationController;
  const spec = (rc.spec ??= {});
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    if (Object.keys(spec.selector ?? {}).length === 0) spec.selector = { ...labels };
    if (Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...labels };
  }
  spec.replicas ??= 1;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}
