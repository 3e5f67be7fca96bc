/** DaemonSet validation (Kubernetes `ValidateDaemonSet`/`ValidateDaemonSetUpdate`). */
import type { FieldError } from '../errors.js';
import type { DaemonSet } from '../kinds/daemonset.js';
import type { KubeObject } from '../meta.js';
import { validateIntOrPercent, validateSelectorAndTemplate } from './apps.js';
import { forbidden, invalid, nonNegative, oneOf, required } from './field.js';
import { immutable, validateObjectMeta } from './meta.js';
import { validatePodTemplate } from './pod.js';

const isZero = (v: number | string | undefined): boolean => v === undefined || v === 0 || v === '0%';

function validateUpdateStrategy(ds: DaemonSet): FieldError[] {
  const s = ds.spec.updateStrategy;
  if (!s) return [];
  const errs = oneOf('spec.updateStrategy.type', s.type, ['OnDelete', 'RollingUpdate'], true);
  const ru = s.rollingUpdate;
  if (s.type !== 'RollingUpdate' || !ru) return errs;
  errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
  errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge'));
  if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const ds = obj as DaemonSet;
  const errs = validateObjectMeta(ds.metadata, { namespaced: true });
  if (!ds.spec) return [...errs, required('spec')];
  errs.push(...validateSelectorAndTemplate(ds.spec.selector, ds.spec.template, 'daemonset'));
  errs.push(...validatePodTemplate(ds.spec.template, 'spec.template'));
  if (ds.spec.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...nonNegative('spec.minReadySeconds', ds.spec.minReadySeconds));
  errs.push(...validateUpdateStrategy(ds));
  errs.push(...nonNegative('spec.revisionHistoryLimit', ds.spec.revisionHistoryLimit));
  if (old) errs.push(...immutable('spec.selector', ds.spec.selector, (old as DaemonSet).spec?.selector));
  return errs;
}
