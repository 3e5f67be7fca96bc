/** Schema for apps/v1 StatefulSet. */
import { atomicList, choice, int, int64, intOrString, obj, str } from './dsl.js';
import { persistentVolumeClaimSchema } from './core.js';
import { conditions, kindSchema, labelSelector } from './meta.js';
import { podTemplateSpec } from './pod.js';

const retention = choice(['Retain', 'Delete']);

export const statefulSetSchema = kindSchema({
  spec: obj({
    replicas: int(),
    selector: labelSelector,
    template: podTemplateSpec,
    volumeClaimTemplates: atomicList(persistentVolumeClaimSchema),
    serviceName: str(),
    podManagementPolicy: choice(['OrderedReady', 'Parallel']),
    updateStrategy: obj({
      type: choice(['OnDelete', 'RollingUpdate']),
      rollingUpdate: obj({ partition: int(), maxUnavailable: intOrString() }),
    }),
    revisionHistoryLimit: int(),
    minReadySeconds: int(),
    persistentVolumeClaimRetentionPolicy: obj({ whenDeleted: retention, whenScaled: retention }),
    ordinals: obj({ start: int() }),
  }),
  status: obj({
    observedGeneration: int64(), replicas: int(), readyReplicas: int(), currentReplicas: int(), updatedReplicas: int(),
    availableReplicas: int(), currentRevision: str(), updateRevision: str(), collisionCount: int(), conditions: conditions(),
  }),
});
