/**
 * `autoscaling/v1` HorizontalPodAutoscaler as a view of the stored `autoscaling/v2` objects, with
 * Kubernetes' conversion (targetCPUUtilizationPercentage ⇄ a cpu Utilization metric). `kubectl
 * autoscale` (1.32) creates v1 objects. The view is served at its paths but not advertised in
 * discovery, so `kubectl get hpa` keeps using v2.
 */
import type { JSONSchemaProps, KindInfo, KubeObject } from '../api/index.js';
import { isPlainObject } from './decode.js';

export interface VersionView {
  /** The stored kind that validation, defaults and the store use. */
  storage: KindInfo;
  /** Stored object → the served version. */
  out(obj: KubeObject): KubeObject;
  /** Served version → stored object; `old` (stored) lets fields the served version lacks survive. */
  in(obj: KubeObject, old?: KubeObject): KubeObject;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});

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

const isCpuUtilization = (m: unknown): boolean => {
  const r = rec(rec(m).resource);
  return rec(m).type === 'Resource' && r.name === 'cpu' && rec(r.target).type === 'Utilization';
};

function toV1(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const cpu = (Array.isArray(spec.metrics) ? spec.metrics : []).find(isCpuUtilization);
  const v1Spec: Rec = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
  const target = rec(rec(rec(cpu).resource).target).averageUtilization;
  if (typeof target === 'number') v1Spec.targetCPUUtilizationPercentage = target;
  const current = (Array.isArray(status.currentMetrics) ? status.currentMetrics : []).map(rec).find((m) => m.type === 'Resource' && rec(m.resource).name === 'cpu');
  const v1Status: Rec = { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0 };
  for (const k of ['observedGeneration', 'lastScaleTime'] as const) if (status[k] !== undefined) v1Status[k] = status[k];
  const util = rec(rec(rec(current).resource).current).averageUtilization;
  if (typeof util === 'number') v1Status.currentCPUUtilizationPercentage = util;
  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: obj.metadata, spec: v1Spec, status: v1Status };
}

function toV2(obj: KubeObject, old?: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const others = (Array.isArray(rec(old?.spec).metrics) ? (rec(old?.spec).metrics as unknown[]) : []).filter((m) => !isCpuUtilization(m));
  const metrics = [...others];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.unshift({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  const v2Spec: Rec = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined) v2Spec.minReplicas = spec.minReplicas;
  if (metrics.length > 0) v2Spec.metrics = metrics;
  const oldSpec = rec(old?.spec);
  if (oldSpec.behavior !== undefined) v2Spec.behavior = oldSpec.behavior;
  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: obj.metadata, spec: v2Spec };
  if (old?.status !== undefined) out.status = old.status;
  return out;
}

/** The v1 view when `group/version/plural` is autoscaling/v1 HPAs and only v2 is registered. */
export function hpaV1View(all: readonly KindInfo[], group: string, version: string, plural: string): { info: KindInfo; view: VersionView } | undefined {
  if (group !== 'autoscaling' || version !== 'v1' || plural !== 'horizontalpodautoscalers') return undefined;
  const storage = all.find((k) => k.group === 'autoscaling' && k.version === 'v2' && k.plural === plural);
  if (!storage) return undefined;
  const info: KindInfo = { ...storage, version: 'v1', schema: v1Schema, subresources: { status: true } };
  delete info.defaults;
  delete info.validate;
  return { info, view: { storage, out: toV1, in: toV2 } };
}
