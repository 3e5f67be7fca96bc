/** PodDisruptionBudget validation (Kubernetes `policy/validation`). */
import type { FieldError } from '../errors.js';
import type { PodDisruptionBudget } from '../kinds/policy.js';
import type { KubeObject } from '../meta.js';
import { invalid, nonNegative, notSupported } from './field.js';
import { validateLabelSelector, validateObjectMeta } from './meta.js';
import { validateIntOrPercent } from './apps.js';

export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

function validateSpec(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec;
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
  errs.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !(UNHEALTHY_POD_EVICTION_POLICIES as readonly string[]).includes(policy)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

function validateStatus(pdb: PodDisruptionBudget): FieldError[] {
  const st = pdb.status;
  if (!st) return [];
  return [
    ...nonNegative('status.disruptionsAllowed', st.disruptionsAllowed),
    ...nonNegative('status.currentHealthy', st.currentHealthy),
    ...nonNegative('status.desiredHealthy', st.desiredHealthy),
    ...nonNegative('status.expectedPods', st.expectedPods),
  ];
}

export function validatePodDisruptionBudget(obj: KubeObject): FieldError[] {
  const pdb = obj as PodDisruptionBudget;
  const errs = validateObjectMeta(pdb.metadata, { namespaced: true });
  const spec = pdb.spec ?? {};
  return [...errs, ...validateSpec({ ...pdb, spec }), ...validateStatus(pdb)];
}
