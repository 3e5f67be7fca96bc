/**
 * Kubernetes' autoscaling/v1 ⇄ v2 HorizontalPodAutoscaler conversion (pkg/apis/autoscaling/v1/conversion.go),
 * on JSON objects. v1 has only `targetCPUUtilizationPercentage` and `currentCPUUtilizationPercentage`;
 * everything else v2 has travels in annotations, so a v1 client that reads and writes an object back
 * loses nothing: other metrics (`autoscaling.alpha.kubernetes.io/metrics`, in v1's MetricSpec shape), the
 * current metrics (`…/current-metrics`), the conditions (`…/conditions`) and the behavior (`…/behavior`,
 * the internal Go type marshalled without json tags, so its keys are Go field names). Pure.
 */
import type { KubeObject } from '../api/index.js';
import { isPlainObject } from './decode.js';

export const hpaAnnotations = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
} as const;
/** The CPU target v1 HPAs had implicitly (autoscaling.DefaultCPUUtilization). */
export const defaultCpuUtilization = 80;

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Copies the listed keys of `from` that are set (renamed `to`), as Go's omitempty pointers. */
function pick(out: Rec, from: Rec, pairs: readonly [string, string][]): Rec {
  for (const [k, to] of pairs) if (from[k] !== undefined && from[k] !== null) out[to] = from[k];
  return out;
}
const orZero = (v: unknown): unknown => v ?? '0';
const roundTrip = Object.values(hpaAnnotations) as readonly string[];

/** Annotations without the round-trip ones (DropRoundTripHorizontalPodAutoscalerAnnotations); undefined when none remain. */
function dropRoundTrip(a: unknown): Record<string, string> | undefined {
  const out = Object.fromEntries(Object.entries(rec(a)).filter(([k]) => !roundTrip.includes(k))) as Record<string, string>;
  return Object.keys(out).length > 0 ? out : undefined;
}

const ref = (r: unknown): Rec => pick({ kind: rec(r).kind ?? '', name: rec(r).name ?? '' }, rec(r), [['apiVersion', 'apiVersion']]);
const isCpu = (m: Rec): boolean => m.type === 'Resource' && rec(m.resource).name === 'cpu';
const isCpuUtilization = (m: Rec): boolean => isCpu(m) && rec(rec(m.resource).target).averageUtilization !== undefined;

function specToV1(m: Rec): Rec {
  const out: Rec = { type: m.type ?? '' };
  const o = rec(m.object); const p = rec(m.pods); const r = rec(m.resource); const c = rec(m.containerResource); const e = rec(m.external);
  if (isPlainObject(m.object)) out.object = pick({ target: ref(o.describedObject), metricName: rec(o.metric).name ?? '', targetValue: orZero(rec(o.target).value) }, { ...rec(o.metric), ...rec(o.target) }, [['selector', 'selector'], ['averageValue', 'averageValue']]);
  if (isPlainObject(m.pods)) out.pods = pick({ metricName: rec(p.metric).name ?? '', targetAverageValue: orZero(rec(p.target).averageValue) }, rec(p.metric), [['selector', 'selector']]);
  if (isPlainObject(m.resource)) out.resource = pick({ name: r.name ?? '' }, rec(r.target), [['averageUtilization', 'targetAverageUtilization'], ['averageValue', 'targetAverageValue']]);
  if (isPlainObject(m.containerResource)) out.containerResource = pick({ name: c.name ?? '', container: c.container ?? '' }, rec(c.target), [['averageUtilization', 'targetAverageUtilization'], ['averageValue', 'targetAverageValue']]);
  if (isPlainObject(m.external)) out.external = pick(pick({ metricName: rec(e.metric).name ?? '' }, rec(e.metric), [['selector', 'metricSelector']]), rec(e.target), [['value', 'targetValue'], ['averageValue', 'targetAverageValue']]);
  return out;
}

function specToV2(m: Rec): Rec {
  const out: Rec = { type: m.type ?? '' };
  const id = (src: Rec, sel: string): Rec => pick({ name: src.metricName ?? '' }, src, [[sel, 'selector']]);
  const o = rec(m.object); const p = rec(m.pods); const e = rec(m.external);
  if (isPlainObject(m.object)) out.object = { describedObject: ref(o.target), metric: id(o, 'selector'), target: pick({ type: o.averageValue === undefined ? 'Value' : 'AverageValue', value: orZero(o.targetValue) }, o, [['averageValue', 'averageValue']]) };
  if (isPlainObject(m.pods)) out.pods = { metric: id(p, 'selector'), target: { type: 'AverageValue', averageValue: orZero(p.targetAverageValue) } };
  for (const key of ['resource', 'containerResource'] as const) {
    if (!isPlainObject(m[key])) continue;
    const r = rec(m[key]);
    const target = pick({ type: r.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization' }, r, [['targetAverageUtilization', 'averageUtilization'], ['targetAverageValue', 'averageValue']]);
    out[key] = { name: r.name ?? '', ...(key === 'containerResource' ? { container: r.container ?? '' } : {}), target };
  }
  if (isPlainObject(m.external)) out.external = { metric: id(e, 'metricSelector'), target: pick({ type: e.targetValue === undefined ? 'AverageValue' : 'Value' }, e, [['targetValue', 'value'], ['targetAverageValue', 'averageValue']]) };
  return out;
}

function statusToV1(m: Rec): Rec {
  const out: Rec = { type: m.type ?? '' };
  const o = rec(m.object); const p = rec(m.pods); const e = rec(m.external);
  if (isPlainObject(m.object)) out.object = pick({ target: ref(o.describedObject), metricName: rec(o.metric).name ?? '', currentValue: orZero(rec(o.current).value) }, { ...rec(o.metric), ...rec(o.current) }, [['selector', 'selector'], ['averageValue', 'averageValue']]);
  if (isPlainObject(m.pods)) out.pods = pick({ metricName: rec(p.metric).name ?? '', currentAverageValue: orZero(rec(p.current).averageValue) }, rec(p.metric), [['selector', 'selector']]);
  for (const key of ['resource', 'containerResource'] as const) {
    if (!isPlainObject(m[key])) continue;
    const r = rec(m[key]);
    out[key] = pick({ name: r.name ?? '', ...(key === 'containerResource' ? { container: r.container ?? '' } : {}), currentAverageValue: orZero(rec(r.current).averageValue) }, rec(r.current), [['averageUtilization', 'currentAverageUtilization']]);
  }
  if (isPlainObject(m.external)) out.external = pick(pick({ metricName: rec(e.metric).name ?? '', currentValue: orZero(rec(e.current).value) }, rec(e.metric), [['selector', 'metricSelector']]), rec(e.current), [['averageValue', 'currentAverageValue']]);
  return out;
}

function statusToV2(m: Rec): Rec {
  const out: Rec = { type: m.type ?? '' };
  const id = (src: Rec, sel: string): Rec => pick({ name: src.metricName ?? '' }, src, [[sel, 'selector']]);
  const o = rec(m.object); const p = rec(m.pods); const e = rec(m.external);
  if (isPlainObject(m.object)) out.object = { describedObject: ref(o.target), metric: id(o, 'selector'), current: pick({ value: orZero(o.currentValue) }, o, [['averageValue', 'averageValue']]) };
  if (isPlainObject(m.pods)) out.pods = { metric: id(p, 'selector'), current: { averageValue: orZero(p.currentAverageValue) } };
  for (const key of ['resource', 'containerResource'] as const) {
    if (!isPlainObject(m[key])) continue;
    const r = rec(m[key]);
    out[key] = { name: r.name ?? '', ...(key === 'containerResource' ? { container: r.container ?? '' } : {}), current: pick({ averageValue: orZero(r.currentAverageValue) }, r, [['currentAverageUtilization', 'averageUtilization']]) };
  }
  if (isPlainObject(m.external)) out.external = { metric: id(e, 'metricSelector'), current: pick({ value: orZero(e.currentValue) }, e, [['currentAverageValue', 'averageValue']]) };
  return out;
}

/** The behavior as Go's json.Marshal of the internal type writes it: Go field names, nil as null. */
function behaviorToGo(b: Rec): Rec {
  const rules = (r: unknown): unknown => {
    if (!isPlainObject(r)) return null;
    const policies = Array.isArray(r.policies) ? r.policies.map((p) => ({ Type: rec(p).type ?? '', Value: rec(p).value ?? 0, PeriodSeconds: rec(p).periodSeconds ?? 0 })) : null;
    return { StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null, SelectPolicy: r.selectPolicy ?? null, Policies: policies, ...(r.tolerance !== undefined ? { Tolerance: r.tolerance } : {}) };
  };
  return { ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) };
}

/** A JSON key as encoding/json matches it: exactly, else ignoring case. */
function field(o: Rec, name: string): unknown {
  if (name in o) return o[name];
  const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

function behaviorFromGo(raw: unknown): Rec | undefined {
  const b = rec(raw);
  const rules = (r: unknown): Rec | undefined => {
    if (!isPlainObject(r)) return undefined;
    const out = pick({}, { s: field(r, 'StabilizationWindowSeconds'), p: field(r, 'SelectPolicy'), t: field(r, 'Tolerance') }, [['s', 'stabilizationWindowSeconds'], ['p', 'selectPolicy'], ['t', 'tolerance']]);
    const policies = field(r, 'Policies');
    if (Array.isArray(policies)) out.policies = policies.map((p) => ({ type: field(rec(p), 'Type') ?? '', value: field(rec(p), 'Value') ?? 0, periodSeconds: field(rec(p), 'PeriodSeconds') ?? 0 }));
    return out;
  };
  const out = pick({}, { u: rules(field(b, 'ScaleUp')), d: rules(field(b, 'ScaleDown')) }, [['u', 'scaleUp'], ['d', 'scaleDown']]);
  return Object.keys(out).length > 0 ? out : undefined;
}

function parseAnnotation(a: Record<string, string>, key: string): unknown {
  const raw = a[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** A stored autoscaling/v2 HPA as autoscaling/v1 shows it. */
export function hpaToV1(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const metrics = arr(spec.metrics).map(rec);
  const v1Spec = pick({ scaleTargetRef: ref(spec.scaleTargetRef) }, spec, [['minReplicas', 'minReplicas']]);
  v1Spec.maxReplicas = spec.maxReplicas ?? 0;
  const cpu = metrics.find(isCpu);
  const target = rec(rec(cpu?.resource).target).averageUtilization;
  if (target !== undefined) v1Spec.targetCPUUtilizationPercentage = target;
  const current = arr(status.currentMetrics).map(rec);
  const v1Status = pick({}, status, [['observedGeneration', 'observedGeneration'], ['lastScaleTime', 'lastScaleTime']]);
  v1Status.currentReplicas = status.currentReplicas ?? 0;
  v1Status.desiredReplicas = status.desiredReplicas ?? 0;
  for (const m of current) {
    const util = rec(rec(m.resource).current).averageUtilization;
    if (isCpu(m) && util !== undefined) v1Status.currentCPUUtilizationPercentage = util;
  }
  const annotations: Record<string, string> = { ...(dropRoundTrip(obj.metadata.annotations) ?? {}) };
  const others = metrics.filter((m) => !isCpuUtilization(m));
  if (others.length > 0) annotations[hpaAnnotations.metrics] = JSON.stringify(others.map(specToV1));
  if (current.length > 0) annotations[hpaAnnotations.currentMetrics] = JSON.stringify(current.map(statusToV1));
  if (arr(status.conditions).length > 0) annotations[hpaAnnotations.conditions] = JSON.stringify(status.conditions);
  if (isPlainObject(spec.behavior)) annotations[hpaAnnotations.behavior] = JSON.stringify(behaviorToGo(spec.behavior));
  const { annotations: _drop, ...meta } = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: v1Spec, status: v1Status,
  };
}

/** An autoscaling/v1 HPA as the stored autoscaling/v2 object. */
export function hpaToV2(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const a = rec(obj.metadata.annotations) as Record<string, string>;
  const metrics: Rec[] = arr(parseAnnotation(a, hpaAnnotations.metrics)).map((m) => specToV2(rec(m)));
  if (spec.targetCPUUtilizationPercentage !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCpuUtilization } } });
  const v2Spec: Rec = pick({ scaleTargetRef: ref(spec.scaleTargetRef) }, spec, [['minReplicas', 'minReplicas']]);
  v2Spec.maxReplicas = spec.maxReplicas;
  v2Spec.metrics = metrics;
  const behavior = behaviorFromGo(parseAnnotation(a, hpaAnnotations.behavior));
  if (behavior) v2Spec.behavior = behavior;
  const v2Status = pick({}, status, [['observedGeneration', 'observedGeneration'], ['lastScaleTime', 'lastScaleTime'], ['currentReplicas', 'currentReplicas'], ['desiredReplicas', 'desiredReplicas']]);
  if (status.currentCPUUtilizationPercentage !== undefined) v2Status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  const current = parseAnnotation(a, hpaAnnotations.currentMetrics);
  if (Array.isArray(current)) v2Status.currentMetrics = current.map((m) => statusToV2(rec(m)));
  const conditions = parseAnnotation(a, hpaAnnotations.conditions);
  if (Array.isArray(conditions)) v2Status.conditions = conditions;
  const { annotations: _drop, ...meta } = obj.metadata;
  const kept = dropRoundTrip(obj.metadata.annotations);
  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { ...meta, ...(kept ? { annotations: kept } : {}) }, spec: v2Spec };
  if (isPlainObject(obj.status) || Object.keys(v2Status).length > 0) out.status = v2Status;
  return out;
}
