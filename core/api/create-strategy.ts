/** What the API server sets on a built-in kind's new object (Kubernetes' registry `PrepareForCreate`), keyed by `group/Kind`. */
import type { Pod } from './kinds/core.js';
import type { KubeObject } from './meta.js';
import { podQOSClass } from './pod-qos.js';

/**
 * A new pod's status is Kubernetes': phase Pending and its QoS class (plus PodScheduled=False
 * `SchedulingGated` while it has scheduling gates); whatever status the client sent is dropped.
 */
export function preparePodForCreate(obj: KubeObject): void {
  const pod = obj as Pod;
  pod.status = { phase: 'Pending', qosClass: podQOSClass(pod) };
  if ((pod.spec?.schedulingGates ?? []).length > 0) {
    pod.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
  }
}

export const builtinPrepareForCreate: Readonly<Record<string, (obj: KubeObject) => void>> = {
  '/Pod': preparePodForCreate,
};
