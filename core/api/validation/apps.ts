/** Deployment and ReplicaSet validation (Kubernetes `apps/validation`). */
import type { FieldError } from '../errors.js';
import type { Deployment, ReplicaSet } from '../kinds/apps.js';
import type { KubeObject, LabelSelector } from '../meta.js';
import { labelSelectorFromObject, matchesLabels } from '../selectors.js';
import { forbidden, invalid, nonNegative, oneOf, required } from './field.js';
import { immutable, validateLabelSelector, validateObjectMeta } from './meta.js';
import { validatePodTemplate } from './pod.js';
import type { PodTemplateSpec } from '../kinds/core.js';

/** Selector present, non-empty, valid, and matching the template's labels. */
export function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, kind: string): FieldError[] {
  if (!selector) return [required('spec.selector')];
  const errs = validateLabelSelector(selector, 'spec.selector');
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  if (empty) errs.push(invalid('spec.selector', selector, `empty selector is invalid for ${kind}`));
  if (errs.length > 0 || !template) return errs;
  let matches = false;
  try {
    matches = matchesLabels(labelSelectorFromObject(selector), template.metadata?.labels ?? {});
  } catch {
    return errs;
  }
  if (!matches) errs.push(invalid('spec.template.metadata.labels', template.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  return errs;
}

/** An int-or-percent (`3`, `"25%"`): non-negative, percentages ≤ 100%. */
export function validateIntOrPercent(v: number | string | undefined, field: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return nonNegative(field, v);
  const m = /^([0-9]+)%$/.exec(v);
  if (!m) return [invalid(field, v, 'a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')')];
  return Number(m[1]) > 100 ? [invalid(field, v, 'must not be greater than 100%')] : [];
}

const isZero = (v: number | string | undefined): boolean => v === 0 || v === '0%';

function validateStrategy(d: Deployment): FieldError[] {
  const s = d.spec.strategy;
  if (!s) return [];
  const errs = oneOf('spec.strategy.type', s.type, ['Recreate', 'RollingUpdate']);
  if (s.type === 'Recreate' && s.rollingUpdate) errs.push(forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
  const ru = s.rollingUpdate;
  if (ru && s.type !== 'Recreate') {
    errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
    errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
    if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
      errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  return errs;
}

export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const d = obj as Deployment;
  const errs = validateObjectMeta(d.metadata, { namespaced: true });
  if (!d.spec) return [...errs, required('spec')];
  errs.push(...nonNegative('spec.replicas', d.spec.replicas));
  errs.push(...validateSelectorAndTemplate(d.spec.selector, d.spec.template, 'deployment'));
  errs.push(...validatePodTemplate(d.spec.template, 'spec.template'));
  errs.push(...validateStrategy(d));
  errs.push(...nonNegative('spec.minReadySeconds', d.spec.minReadySeconds));
  errs.push(...nonNegative('spec.revisionHistoryLimit', d.spec.revisionHistoryLimit));
  const pds = d.spec.progressDeadlineSeconds;
  if (pds !== undefined) {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', pds));
    if (pds <= (d.spec.minReadySeconds ?? 0)) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  if (old) errs.push(...immutable('spec.selector', d.spec.selector, (old as Deployment).spec?.selector));
  return errs;
}

export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const rs = obj as ReplicaSet;
  const errs = validateObjectMeta(rs.metadata, { namespaced: true });
  if (!rs.spec) return [...errs, required('spec')];
  errs.push(...nonNegative('spec.replicas', rs.spec.replicas));
  errs.push(...nonNegative('spec.minReadySeconds', rs.spec.minReadySeconds));
  errs.push(...validateSelectorAndTemplate(rs.spec.selector, rs.spec.template, 'replicaset'));
  errs.push(...validatePodTemplate(rs.spec.template, 'spec.template'));
  if (old) errs.push(...immutable('spec.selector', rs.spec.selector, (old as ReplicaSet).spec?.selector));
  return errs;
}
