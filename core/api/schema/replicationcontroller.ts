/** Schema for v1 ReplicationController. */
import { int, int64, obj, stringMap } from './dsl.js';
import { conditions, kindSchema } from './meta.js';
import { podTemplateSpec } from './pod.js';

export const replicationControllerSchema = kindSchema({
  spec: obj({ replicas: int(), minReadySeconds: int(), selector: stringMap({ 'x-kubernetes-map-type': 'atomic' }), template: podTemplateSpec }),
  status: obj({
    replicas: int(), fullyLabeledReplicas: int(), readyReplicas: int(), availableReplicas: int(), observedGeneration: int64(), conditions: conditions(),
  }),
});
