/**
 * The ReplicationManager: ReplicationControllers run by the ReplicaSet controller's code, each seen as
 * a ReplicaSet whose selector is the equality selector of its label map (as Kubernetes' replication
 * package does). Pods it creates are owned by the `v1` ReplicationController.
 */
import type { KubeObject, ReplicaSet, ReplicationController } from '../../api/index.js';
import type { ResourceTarget } from '../../client/index.js';
import { ReplicaSetController } from './replicaset.js';
import type { ReplicaKind, ReplicaSetControllerOptions } from './replicaset.js';

export const replicationControllersTarget: ResourceTarget = { apiVersion: 'v1', plural: 'replicationcontrollers', namespaced: true };

/** A ReplicationController read as a ReplicaSet: same metadata, apiVersion and kind; `matchLabels` from the selector map. Pure. */
export function replicationControllerAsReplicaSet(obj: KubeObject): ReplicaSet {
  const rc = obj as ReplicationController;
  const spec = rc.spec ?? {};
  return {
    ...rc,
    spec: {
      replicas: spec.replicas ?? 1,
      ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}),
      selector: { matchLabels: { ...(spec.selector ?? {}) } },
      ...(spec.template ? { template: spec.template } : {}),
    },
    ...(rc.status ? { status: rc.status } : {}),
  };
}

const replicationControllerKind: ReplicaKind = {
  controllerName: 'replicationcontroller',
  target: replicationControllersTarget,
  asReplicaSet: replicationControllerAsReplicaSet,
};

export class ReplicationManager extends ReplicaSetController {
  constructor(o: Omit<ReplicaSetControllerOptions, 'kind'>) {
    super({ ...o, kind: replicationControllerKind });
  }
}
