/** Schemas for autoscaling/v2 HorizontalPodAutoscaler and autoscaling.k8s.io/v1 VerticalPodAutoscaler. */
import type { JSONSchemaProps } from '../kinds/other.js';
import { atomicList, choice, int, int64, obj, quantity, quantityMap, str, stringList, time } from './dsl.js';
import { conditions, kindSchema, labelSelector } from './meta.js';

const crossVersionRef = obj({ kind: str(), name: str(), apiVersion: str() }, ['kind', 'name'], { 'x-kubernetes-map-type': 'atomic' });
const metricIdentifier = obj({ name: str(), selector: labelSelector }, ['name']);
const metricTarget = obj({
  type: choice(['Utilization', 'Value', 'AverageValue']), value: quantity(), averageValue: quantity(), averageUtilization: int(),
}, ['type']);
const metricValueStatus = obj({ value: quantity(), averageValue: quantity(), averageUtilization: int() });

function metricSources(target: string, t: JSONSchemaProps): Record<string, JSONSchemaProps> {
  return {
    object: obj({ describedObject: crossVersionRef, [target]: t, metric: metricIdentifier }, ['describedObject', target, 'metric']),
    pods: obj({ metric: metricIdentifier, [target]: t }, ['metric', target]),
    resource: obj({ name: str(), [target]: t }, ['name', target]),
    containerResource: obj({ name: str(), [target]: t, container: str() }, ['name', target, 'container']),
    external: obj({ metric: metricIdentifier, [target]: t }, ['metric', target]),
  };
}

const metricSpec = obj({ type: choice(['Object', 'Pods', 'Resource', 'ContainerResource', 'External']), ...metricSources('target', metricTarget) }, ['type']);
const metricStatus = obj({ type: str(), ...metricSources('current', metricValueStatus) }, ['type']);

const scalingRules = obj({
  stabilizationWindowSeconds: int(),
  selectPolicy: choice(['Max', 'Min', 'Disabled']),
  policies: atomicList(obj({ type: choice(['Pods', 'Percent']), value: int(), periodSeconds: int() }, ['type', 'value', 'periodSeconds'])),
  tolerance: quantity(),
});

export const hpaSchema = kindSchema({
  spec: obj({
    scaleTargetRef: crossVersionRef,
    minReplicas: int(),
    maxReplicas: int(),
    metrics: atomicList(metricSpec),
    behavior: obj({ scaleUp: scalingRules, scaleDown: scalingRules }),
  }, ['scaleTargetRef', 'maxReplicas']),
  status: obj({
    observedGeneration: int64(), lastScaleTime: time(), currentReplicas: int(), desiredReplicas: int(),
    currentMetrics: atomicList(metricStatus), conditions: conditions(),
  }),
});

const containerPolicy = obj({
  containerName: str(), mode: choice(['Auto', 'Off']), minAllowed: quantityMap(), maxAllowed: quantityMap(),
  controlledResources: stringList(), controlledValues: choice(['RequestsAndLimits', 'RequestsOnly']),
});

const recommendation = obj({
  containerName: str(), target: quantityMap(), lowerBound: quantityMap(), upperBound: quantityMap(), uncappedTarget: quantityMap(),
}, ['target']);

export const vpaSchema = kindSchema({
  spec: obj({
    targetRef: crossVersionRef,
    updatePolicy: obj({
      updateMode: choice(['Off', 'Initial', 'Recreate', 'Auto', 'InPlaceOrRecreate']),
      minReplicas: int(),
      evictionRequirements: atomicList(obj({ resources: stringList(), changeRequirement: choice(['TargetHigherThanRequests', 'TargetLowerThanRequests']) })),
    }),
    resourcePolicy: obj({ containerPolicies: atomicList(containerPolicy) }),
    recommenders: atomicList(obj({ name: str() }, ['name'])),
  }, ['targetRef']),
  status: obj({
    recommendation: obj({ containerRecommendations: atomicList(recommendation) }),
    conditions: conditions(),
  }),
});
