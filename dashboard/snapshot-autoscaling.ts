/** The autoscaling parts of the snapshot (HPA, VPA, cluster autoscaler) and recent events. Pure. */
import type { ConfigMap, Event, HorizontalPodAutoscaler, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus, VerticalPodAutoscaler } from '../core/api/index.js';
import type { CaDecision, ClusterAutoscalerView, EventView, HpaDecision, HpaView, MetricView, VpaView } from './types.js';

/** Written by the HPA controller on each HPA (autoscaler/hpa/controller-status.ts). */
export const LAST_DECISION_ANNOTATION = 'autoscaling.skiff.dev/last-decision';
/** The cluster autoscaler's ConfigMap and keys (autoscaler/cluster/status.ts). */
export const CA_STATUS_NAMESPACE = 'kube-system';
export const CA_STATUS_NAME = 'cluster-autoscaler-status';
export const CA_DECISIONS_KEY = 'decisions.json';
export const CA_UPDATED_ANNOTATION = 'cluster-autoscaler.kubernetes.io/last-updated';

function metricName(m: MetricSpec | MetricStatus): string {
  switch (m.type) {
    case 'Resource': return m.resource?.name ?? 'resource';
    case 'ContainerResource': return `${m.containerResource?.name ?? ''} (${m.containerResource?.container ?? ''})`;
    case 'Pods': return m.pods?.metric.name ?? 'pods';
    case 'Object': return `${m.object?.metric.name ?? ''} (${m.object?.describedObject.kind ?? ''}/${m.object?.describedObject.name ?? ''})`;
    case 'External': return m.external?.metric.name ?? 'external';
  }
}

function targetOf(m: MetricSpec): MetricTarget | undefined {
  return m.resource?.target ?? m.containerResource?.target ?? m.pods?.target ?? m.object?.target ?? m.external?.target;
}

function currentOf(m: MetricStatus): MetricValueStatus | undefined {
  return m.resource?.current ?? m.containerResource?.current ?? m.pods?.current ?? m.object?.current ?? m.external?.current;
}

function formatTarget(t: MetricTarget | undefined): string {
  if (!t) return '';
  if (t.type === 'Utilization') return `${t.averageUtilization ?? '?'}%`;
  if (t.type === 'AverageValue') return `${t.averageValue ?? '?'} (avg)`;
  return t.value ?? '?';
}

function formatCurrent(c: MetricValueStatus | undefined, t: MetricTarget | undefined): string {
  if (!c) return '<unknown>';
  if (t?.type === 'Utilization' && c.averageUtilization !== undefined) return `${c.averageUtilization}%`;
  if (c.averageValue !== undefined) return t?.type === 'Value' ? c.averageValue : `${c.averageValue} (avg)`;
  if (c.value !== undefined) return c.value;
  return c.averageUtilization !== undefined ? `${c.averageUtilization}%` : '<unknown>';
}

/** Spec metrics paired with the status metric of the same type and name ("current / target"). */
export function hpaMetrics(hpa: HorizontalPodAutoscaler): MetricView[] {
  const current = hpa.status?.currentMetrics ?? [];
  return (hpa.spec.metrics ?? []).map((m) => {
    const name = metricName(m);
    const cur = current.find((c) => c.type === m.type && metricName(c) === name);
    const target = targetOf(m);
    return { name, current: formatCurrent(cur ? currentOf(cur) : undefined, target), target: formatTarget(target) };
  });
}

/** The last-decision annotation, or `null` when absent or not the expected JSON. */
export function parseHpaDecision(raw: string | undefined): HpaDecision | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<HpaDecision> & { time?: string | number };
    if (typeof v !== 'object' || v === null) return null;
    const time = typeof v.time === 'number' ? new Date(v.time).toISOString() : String(v.time ?? '');
    return { time, replicas: Number(v.replicas ?? 0), currentReplicas: Number(v.currentReplicas ?? 0), explanation: String(v.explanation ?? '') };
  } catch {
    return null;
  }
}

export function hpaView(hpa: HorizontalPodAutoscaler): HpaView {
  const ref = hpa.spec.scaleTargetRef;
  return {
    namespace: hpa.metadata.namespace ?? '',
    name: hpa.metadata.name ?? '',
    target: `${ref.kind}/${ref.name}`,
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    currentReplicas: hpa.status?.currentReplicas ?? 0,
    desiredReplicas: hpa.status?.desiredReplicas ?? 0,
    metrics: hpaMetrics(hpa),
    decision: parseHpaDecision(hpa.metadata.annotations?.[LAST_DECISION_ANNOTATION]),
    conditions: (hpa.status?.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`),
  };
}

const resources = (r: Record<string, string> | undefined): string => Object.entries(r ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');

export function vpaView(vpa: VerticalPodAutoscaler): VpaView {
  return {
    namespace: vpa.metadata.namespace ?? '',
    name: vpa.metadata.name ?? '',
    target: `${vpa.spec.targetRef.kind}/${vpa.spec.targetRef.name}`,
    mode: vpa.spec.updatePolicy?.updateMode ?? 'Auto',
    recommendations: (vpa.status?.recommendation?.containerRecommendations ?? []).map((r) => ({
      container: r.containerName ?? '',
      target: resources(r.target),
      lower: resources(r.lowerBound),
      upper: resources(r.upperBound),
    })),
  };
}

/** The decision log in the CA's ConfigMap; entries that are not decisions are skipped. */
export function parseCaDecisions(raw: string | undefined): CaDecision[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    if (!Array.isArray(v)) return [];
    return v.filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
      .map((d) => ({ time: String(d.time ?? ''), kind: String(d.kind ?? ''), explanation: String(d.explanation ?? '') }));
  } catch {
    return [];
  }
}

export function caView(cm: ConfigMap, limit = 20): ClusterAutoscalerView {
  return {
    status: cm.data?.status ?? '',
    updated: cm.metadata.annotations?.[CA_UPDATED_ANNOTATION] ?? '',
    decisions: parseCaDecisions(cm.data?.[CA_DECISIONS_KEY]).slice(-limit),
  };
}

export function eventTime(e: Event): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
}

/** The `limit` most recent events, oldest first. */
export function eventViews(events: readonly Event[], limit: number): EventView[] {
  return [...events]
    .sort((a, b) => eventTime(a).localeCompare(eventTime(b)))
    .slice(-limit)
    .map((e) => ({
      time: eventTime(e),
      type: e.type ?? 'Normal',
      object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
    }));
}
