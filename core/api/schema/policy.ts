/** Schema of policy/v1 PodDisruptionBudget. */
import { choice, int, int64, intOrString, mapOf, obj, time } from './dsl.js';
import { conditions, kindSchema, labelSelector } from './meta.js';

export const podDisruptionBudgetSchema = kindSchema({
  spec: obj({
    minAvailable: intOrString(),
    maxUnavailable: intOrString(),
    selector: labelSelector,
    unhealthyPodEvictionPolicy: choice(['IfHealthyBudget', 'AlwaysAllow']),
  }),
  status: obj({
    observedGeneration: int64(),
    disruptedPods: mapOf(time()),
    disruptionsAllowed: int(),
    currentHealthy: int(),
    desiredHealthy: int(),
    expectedPods: int(),
    conditions: conditions(),
  }),
});
