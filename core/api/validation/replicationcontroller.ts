/** ReplicationController validation (Kubernetes `ValidateReplicationController`). The selector, unlike a ReplicaSet's, may change. */
import type { FieldError } from '../errors.js';
import type { ReplicationController } from '../kinds/replicationcontroller.js';
import type { KubeObject } from '../meta.js';
import { forbidden, invalid, nonNegative, required } from './field.js';
import { validateObjectMeta } from './meta.js';
import { validatePodTemplate } from './pod.js';

export function validateReplicationController(obj: KubeObject): FieldError[] {
  const rc = obj as ReplicationController;
  const errs = validateObjectMeta(rc.metadata, { namespaced: true });
  const spec = rc.spec ?? {};
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  errs.push(...nonNegative('spec.replicas', spec.replicas));
  const t = spec.template;
  if (!t) return [...errs, required('spec.template')];
  const labels = t.metadata?.labels ?? {};
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(t, 'spec.template'));
  if (t.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}
