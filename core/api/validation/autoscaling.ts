/** HorizontalPodAutoscaler (autoscaling/v2), VerticalPodAutoscaler and NodeGroup validation. */
import type { FieldError } from '../errors.js';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricTarget, VerticalPodAutoscaler } from '../kinds/autoscaling.js';
import type { NodeGroup } from '../kinds/other.js';
import type { KubeObject } from '../meta.js';
import { compareQuantities } from '../quantity.js';
import { forbidden, fromMessages, invalid, nonNegative, notSupported, oneOf, required } from './field.js';
import { validateLabelSelector, validateLabels, validateObjectMeta } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { checkQuantity, validateResourceList } from './resources.js';

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'] as const;
const SOURCE_FIELD: Record<string, keyof MetricSpec> = {
  Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external',
};

export function validateCrossVersionRef(ref: CrossVersionObjectReference | undefined, path: string): FieldError[] {
  if (!ref) return [required(path)];
  const errs: FieldError[] = [];
  if (!ref.kind) errs.push(required(`${path}.kind`));
  if (!ref.name) errs.push(required(`${path}.name`));
  else if (ref.name.includes('/') || ref.name.includes('%')) errs.push(invalid(`${path}.name`, ref.name, 'may not contain \'/\' or \'%\''));
  return errs;
}

function positiveQuantity(path: string, v: string | undefined): FieldError[] {
  if (v === undefined) return [];
  const errs = checkQuantity(path, v);
  if (errs.length === 0 && compareQuantities(v, 0) <= 0) errs.push(invalid(path, v, 'must be positive'));
  return errs;
}

function validateTarget(t: MetricTarget | undefined, path: string, allowed: readonly string[]): FieldError[] {
  if (!t) return [required(path, 'must specify a metric target')];
  if (!t.type) return [required(`${path}.type`, 'must specify a metric target type')];
  const errs: FieldError[] = [];
  if (!['Utilization', 'Value', 'AverageValue'].includes(t.type)) return [notSupported(`${path}.type`, t.type, ['AverageValue', 'Utilization', 'Value'])];
  if (!allowed.includes(t.type)) errs.push(invalid(`${path}.type`, t.type, `must be either ${allowed.join(' or ')}`));
  errs.push(...positiveQuantity(`${path}.value`, t.value));
  errs.push(...positiveQuantity(`${path}.averageValue`, t.averageValue));
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  const need: Record<string, [keyof MetricTarget, string]> = {
    Utilization: ['averageUtilization', 'must set either a target raw value or a target utilization'],
    Value: ['value', 'must set either a target value for metric or a per-pod target'],
    AverageValue: ['averageValue', 'must set either a target value for metric or a per-pod target'],
  };
  const [field, msg] = need[t.type] ?? ['value', ''];
  if (t[field] === undefined) errs.push(required(`${path}.${field}`, msg));
  return errs;
}

function validateMetricSource(m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (m.resource) {
    if (!m.resource.name) errs.push(required(`${path}.resource.name`));
    errs.push(...validateTarget(m.resource.target, `${path}.resource.target`, ['Utilization', 'AverageValue']));
  }
  if (m.containerResource) {
    if (!m.containerResource.name) errs.push(required(`${path}.containerResource.name`));
    if (!m.containerResource.container) errs.push(required(`${path}.containerResource.container`));
    else errs.push(...fromMessages(`${path}.containerResource.container`, m.containerResource.container, isDNS1123Label(m.containerResource.container)));
    errs.push(...validateTarget(m.containerResource.target, `${path}.containerResource.target`, ['Utilization', 'AverageValue']));
  }
  for (const k of ['pods', 'external', 'object'] as const) {
    const src = m[k];
    if (!src) continue;
    if (!src.metric?.name) errs.push(required(`${path}.${k}.metric.name`));
    errs.push(...validateLabelSelector(src.metric?.selector, `${path}.${k}.metric.selector`));
    const allowed = k === 'pods' ? ['AverageValue'] : ['Value', 'AverageValue'];
    errs.push(...validateTarget(src.target, `${path}.${k}.target`, allowed));
  }
  if (m.object) errs.push(...validateCrossVersionRef(m.object.describedObject, `${path}.object.describedObject`));
  return errs;
}

function validateMetric(m: MetricSpec, path: string): FieldError[] {
  if (!m.type) return [required(`${path}.type`, 'must specify a metric source type')];
  if (!(METRIC_TYPES as readonly string[]).includes(m.type)) return [notSupported(`${path}.type`, m.type, METRIC_TYPES)];
  const errs: FieldError[] = [];
  const own = SOURCE_FIELD[m.type];
  const populated = Object.values(SOURCE_FIELD).filter((f) => m[f] !== undefined);
  if (own && m[own] === undefined) errs.push(required(`${path}.${own}`, 'must populate information for the given metric source'));
  for (const f of populated) if (f !== own) errs.push(forbidden(`${path}.${f}`, 'must populate the given metric source only'));
  errs.push(...validateMetricSource(m, path));
  return errs;
}

function validateRules(r: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!r) return [];
  const errs = oneOf(`${path}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']);
  const w = r.stabilizationWindowSeconds;
  if (w !== undefined && (w < 0 || w > 3600)) errs.push(invalid(`${path}.stabilizationWindowSeconds`, w, w < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600'));
  if (r.policies !== undefined && r.policies.length === 0) errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  (r.policies ?? []).forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    errs.push(...oneOf(`${pp}.type`, p.type, ['Percent', 'Pods'], true));
    if (!(p.value > 0)) errs.push(invalid(`${pp}.value`, p.value, 'must be greater than zero'));
    if (!(p.periodSeconds > 0)) errs.push(invalid(`${pp}.periodSeconds`, p.periodSeconds, 'must be greater than zero'));
    else if (p.periodSeconds > 1800) errs.push(invalid(`${pp}.periodSeconds`, p.periodSeconds, 'must be less than or equal to 1800'));
  });
  if (r.tolerance !== undefined) {
    const qe = checkQuantity(`${path}.tolerance`, r.tolerance);
    errs.push(...(qe.length > 0 ? qe : compareQuantities(r.tolerance, 0) < 0 ? [invalid(`${path}.tolerance`, r.tolerance, 'must be greater than or equal to 0')] : []));
  }
  return errs;
}

export function validateHPA(obj: KubeObject): FieldError[] {
  const hpa = obj as HorizontalPodAutoscaler;
  const errs = validateObjectMeta(hpa.metadata, { namespaced: true });
  const spec = hpa.spec;
  if (!spec) return [...errs, required('spec')];
  errs.push(...validateCrossVersionRef(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  const metrics = spec.metrics ?? [];
  const scaleToZeroOk = metrics.length > 0 && metrics.some((m) => m.type === 'Object' || m.type === 'External');
  const min = spec.minReplicas;
  if (min !== undefined && (min < 0 || (min === 0 && !scaleToZeroOk))) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (spec.maxReplicas === undefined) errs.push(required('spec.maxReplicas'));
  else if (spec.maxReplicas < 1) errs.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0'));
  else if (min !== undefined && spec.maxReplicas < min) errs.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  metrics.forEach((m, i) => errs.push(...validateMetric(m, `spec.metrics[${i}]`)));
  errs.push(...validateRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'));
  errs.push(...validateRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'));
  return errs;
}

export function validateVPA(obj: KubeObject): FieldError[] {
  const vpa = obj as VerticalPodAutoscaler;
  const errs = validateObjectMeta(vpa.metadata, { namespaced: true });
  const spec = vpa.spec;
  if (!spec) return [...errs, required('spec')];
  errs.push(...validateCrossVersionRef(spec.targetRef, 'spec.targetRef'));
  errs.push(...oneOf('spec.updatePolicy.updateMode', spec.updatePolicy?.updateMode, ['Off', 'Initial', 'Recreate', 'Auto', 'InPlaceOrRecreate']));
  if (spec.updatePolicy?.minReplicas !== undefined && spec.updatePolicy.minReplicas <= 0) {
    errs.push(invalid('spec.updatePolicy.minReplicas', spec.updatePolicy.minReplicas, 'must be greater than 0'));
  }
  (spec.resourcePolicy?.containerPolicies ?? []).forEach((p, i) => {
    const pp = `spec.resourcePolicy.containerPolicies[${i}]`;
    errs.push(...oneOf(`${pp}.mode`, p.mode, ['Auto', 'Off']));
    errs.push(...oneOf(`${pp}.controlledValues`, p.controlledValues, ['RequestsAndLimits', 'RequestsOnly']));
    errs.push(...validateResourceList(p.minAllowed, `${pp}.minAllowed`));
    errs.push(...validateResourceList(p.maxAllowed, `${pp}.maxAllowed`));
    for (const [name, lo] of Object.entries(p.minAllowed ?? {})) {
      const hi = p.maxAllowed?.[name];
      if (hi !== undefined && checkQuantity('', lo).length === 0 && checkQuantity('', hi).length === 0 && compareQuantities(lo, hi) > 0) {
        errs.push(invalid(`${pp}.maxAllowed[${name}]`, hi, `must be greater than or equal to minAllowed[${name}] (${lo})`));
      }
    }
  });
  return errs;
}

export function validateNodeGroup(obj: KubeObject): FieldError[] {
  const ng = obj as NodeGroup;
  const errs = validateObjectMeta(ng.metadata, { namespaced: false, nameValidator: isDNS1123Subdomain });
  const spec = ng.spec;
  if (!spec) return [...errs, required('spec')];
  if (spec.minSize === undefined) errs.push(required('spec.minSize'));
  else errs.push(...nonNegative('spec.minSize', spec.minSize));
  if (spec.maxSize === undefined) errs.push(required('spec.maxSize'));
  else if (spec.minSize !== undefined && spec.maxSize < spec.minSize) errs.push(invalid('spec.maxSize', spec.maxSize, 'must be greater than or equal to `minSize`'));
  const d = spec.desiredSize;
  if (d !== undefined && spec.minSize !== undefined && spec.maxSize !== undefined && (d < spec.minSize || d > spec.maxSize)) {
    errs.push(invalid('spec.desiredSize', d, `must be between minSize (${spec.minSize}) and maxSize (${spec.maxSize}), inclusive`));
  }
  errs.push(...validateResourceList(spec.template?.capacity, 'spec.template.capacity', false));
  errs.push(...validateLabels(spec.template?.labels, 'spec.template.labels'));
  (spec.template?.taints ?? []).forEach((t, i) => {
    if (!t.key) errs.push(required(`spec.template.taints[${i}].key`));
    errs.push(...oneOf(`spec.template.taints[${i}].effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], true));
  });
  if (spec.pricePerHour !== undefined && spec.pricePerHour < 0) errs.push(invalid('spec.pricePerHour', spec.pricePerHour, 'must be greater than or equal to 0'));
  return errs;
}
