/** Schema for apps/v1 DaemonSet. */
import { choice, int, int64, intOrString, obj } from './dsl.js';
import { conditions, kindSchema, labelSelector } from './meta.js';
import { podTemplateSpec } from './pod.js';

export const daemonSetSchema = kindSchema({
  spec: obj({
    selector: labelSelector,
    template: podTemplateSpec,
    updateStrategy: obj({
      type: choice(['OnDelete', 'RollingUpdate']),
      rollingUpdate: obj({ maxUnavailable: intOrString(), maxSurge: intOrString() }),
    }),
    minReadySeconds: int(),
    revisionHistoryLimit: int(),
  }),
  status: obj({
    currentNumberScheduled: int(), numberMisscheduled: int(), desiredNumberScheduled: int(), numberReady: int(), observedGeneration: int64(),
    updatedNumberScheduled: int(), numberAvailable: int(), numberUnavailable: int(), collisionCount: int(), conditions: conditions(),
  }),
});
