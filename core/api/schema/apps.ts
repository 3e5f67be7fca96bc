/** Schemas for apps/v1 Deployment and ReplicaSet, and autoscaling/v1 Scale. */
import { choice, int, int64, intOrString, obj, bool, str } from './dsl.js';
import { conditions, kindSchema, labelSelector } from './meta.js';
import { podTemplateSpec } from './pod.js';

export const deploymentSchema = kindSchema({
  spec: obj({
    replicas: int(),
    selector: labelSelector,
    template: podTemplateSpec,
    strategy: obj({
      type: choice(['Recreate', 'RollingUpdate']),
      rollingUpdate: obj({ maxUnavailable: intOrString(), maxSurge: intOrString() }),
    }, [], { 'x-kubernetes-patch-strategy': 'retainKeys' }),
    minReadySeconds: int(),
    revisionHistoryLimit: int(),
    paused: bool(),
    progressDeadlineSeconds: int(),
  }),
  status: obj({
    observedGeneration: int64(), replicas: int(), updatedReplicas: int(), readyReplicas: int(), availableReplicas: int(),
    unavailableReplicas: int(), terminatingReplicas: int(), conditions: conditions(), collisionCount: int(),
  }),
});

export const replicaSetSchema = kindSchema({
  spec: obj({ replicas: int(), minReadySeconds: int(), selector: labelSelector, template: podTemplateSpec }),
  status: obj({
    replicas: int(), fullyLabeledReplicas: int(), readyReplicas: int(), availableReplicas: int(), terminatingReplicas: int(),
    observedGeneration: int64(), conditions: conditions(),
  }),
});

export const scaleSchema = kindSchema({
  spec: obj({ replicas: int() }),
  status: obj({ replicas: int(), selector: str() }),
});
