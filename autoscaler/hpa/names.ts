/** Kubernetes' human-readable metric names and Go's `%+v` rendering of a label selector. */
import type { LabelSelector, MetricSpec } from '../../core/api/index.js';

/** Renders a selector as Go's generated `(*metav1.LabelSelector).String()` does ("nil" when absent). */
export function goSelectorString(selector: LabelSelector | undefined): string {
  if (!selector) return 'nil';
  const labels = Object.keys(selector.matchLabels ?? {}).sort()
    .map((k) => `${k}: ${selector.matchLabels?.[k] ?? ''},`).join('');
  const exprs = (selector.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

/** The name Kubernetes gives a metric in conditions and events, given which target kind is used. */
export function metricName(spec: MetricSpec, averaged: boolean): string {
  switch (spec.type) {
    case 'Resource':
      return averaged ? `${spec.resource?.name ?? ''} resource` : `${spec.resource?.name ?? ''} resource utilization (percentage of request)`;
    case 'ContainerResource':
      return averaged ? `${spec.containerResource?.name ?? ''} resource`
        : `${spec.containerResource?.name ?? ''} container resource utilization (percentage of request)`;
    case 'Pods':
      return `pods metric ${spec.pods?.metric.name ?? ''}`;
    case 'Object':
      // Kubernetes labels AverageValue object metrics as "external metric"; kept for fidelity.
      return averaged ? `external metric ${spec.object?.metric.name ?? ''}(${goSelectorString(spec.object?.metric.selector)})`
        : `${spec.object?.describedObject.kind ?? ''} metric ${spec.object?.metric.name ?? ''}`;
    case 'External':
      return `external metric ${spec.external?.metric.name ?? ''}(${goSelectorString(spec.external?.metric.selector)})`;
    default:
      return String((spec as { type: unknown }).type);
  }
}
