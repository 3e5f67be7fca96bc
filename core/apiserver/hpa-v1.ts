/**
 * `autoscaling/v1` HorizontalPodAutoscaler as a view of the stored `autoscaling/v2` objects, with
 * Kubernetes' conversion (hpa-v1-convert.ts: targetCPUUtilizationPercentage ⇄ a cpu Utilization
 * metric, the rest in `autoscaling.alpha.kubernetes.io/*` annotations). It is served, listed and
 * watched at its paths and advertised in discovery beside v2, which stays the preferred version (so
 * `kubectl get hpa` uses v2, and manifests with `apiVersion: autoscaling/v1` apply).
 */
import type { JSONSchemaProps, KindInfo, KubeObject } from '../api/index.js';
import { hpaToV1, hpaToV2 } from './hpa-v1-convert.js';

export interface VersionView {
  /** The stored kind that validation, defaults and the store use. */
  storage: KindInfo;
  /** Stored object → the served version. */
  out(obj: KubeObject): KubeObject;
  /** Served version → stored object; `old` (stored) lets fields the served version lacks survive. */
  in(obj: KubeObject, old?: KubeObject): KubeObject;
}

const int = (): JSONSchemaProps => ({ type: 'integer' });
const v1Schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    spec: {
      type: 'object',
      properties: {
        scaleTargetRef: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } } },
        minReplicas: int(), maxReplicas: int(), targetCPUUtilizationPercentage: int(),
      },
    },
    status: {
      type: 'object',
      properties: {
        observedGeneration: int(), lastScaleTime: { type: 'string' }, currentReplicas: int(), desiredReplicas: int(),
        currentCPUUtilizationPercentage: int(),
      },
    },
  },
};

/** The v1 view when `group/version/plural` is autoscaling/v1 HPAs and only v2 is registered. */
export function hpaV1View(all: readonly KindInfo[], group: string, version: string, plural: string): { info: KindInfo; view: VersionView } | undefined {
  if (group !== 'autoscaling' || version !== 'v1' || plural !== 'horizontalpodautoscalers') return undefined;
  const storage = all.find((k) => k.group === 'autoscaling' && k.version === 'v2' && k.plural === plural);
  if (!storage) return undefined;
  const info: KindInfo = { ...storage, version: 'v1', schema: v1Schema, subresources: { status: true } };
  delete info.defaults;
  delete info.validate;
  return { info, view: { storage, out: hpaToV1, in: (obj) => hpaToV2(obj) } };
}

/** Every kind served, with the version views (autoscaling/v1 HPAs) beside the registered ones: what discovery and OpenAPI list. */
export function servedKinds(all: readonly KindInfo[]): KindInfo[] {
  const v1 = all.some((k) => k.group === 'autoscaling' && k.version === 'v1' && k.plural === 'horizontalpodautoscalers')
    ? undefined : hpaV1View(all, 'autoscaling', 'v1', 'horizontalpodautoscalers');
  return v1 ? [...all, v1.info] : [...all];
}
