/** StatefulSet validation (Kubernetes `ValidateStatefulSet`/`ValidateStatefulSetUpdate`). */
import type { FieldError } from '../errors.js';
import type { PodTemplateSpec } from '../kinds/core.js';
import type { StatefulSet, StatefulSetSpec } from '../kinds/statefulset.js';
import type { KubeObject } from '../meta.js';
import { deepEqual } from '../helpers.js';
import { validateIntOrPercent, validateSelectorAndTemplate } from './apps.js';
import { forbidden, fromMessages, invalid, nonNegative, notSupported, required } from './field.js';
import { validateObjectMeta } from './meta.js';
import { isDNS1123Subdomain } from './names.js';
import { validatePodTemplate } from './pod.js';

const updateMessage = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
  + "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** The template as the pods will see it: each volume claim template is a volume its containers may mount. */
function withClaimVolumes(spec: StatefulSetSpec): PodTemplateSpec | undefined {
  const t = spec.template;
  if (!t?.spec) return t;
  const have = new Set((t.spec.volumes ?? []).map((v) => v.name));
  const extra = (spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name ?? '').filter((n) => n && !have.has(n))
    .map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  return extra.length === 0 ? t : { ...t, spec: { ...t.spec, volumes: [...(t.spec.volumes ?? []), ...extra] } };
}

function validateStrategy(spec: StatefulSetSpec): FieldError[] {
  const s = spec.updateStrategy;
  const p = 'spec.updateStrategy';
  if (!s?.type) return [required(p)];
  if (s.type === 'OnDelete') return s.rollingUpdate ? [invalid(`${p}.rollingUpdate`, s.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")] : [];
  if (s.type !== 'RollingUpdate') return [invalid(p, s, "must be 'RollingUpdate' or 'OnDelete'")];
  const ru = s.rollingUpdate;
  if (!ru) return [];
  const errs = nonNegative(`${p}.rollingUpdate.partition`, ru.partition);
  const mu = ru.maxUnavailable;
  if (mu !== undefined) {
    const e = validateIntOrPercent(mu, `${p}.rollingUpdate.maxUnavailable`);
    errs.push(...e);
    if (e.length === 0 && (mu === 0 || mu === '0%')) errs.push(invalid(`${p}.rollingUpdate.maxUnavailable`, mu, 'must be greater than 0'));
  }
  return errs;
}

function validateSpec(spec: StatefulSetSpec): FieldError[] {
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateStrategy(spec));
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  for (const k of ['whenDeleted', 'whenScaled'] as const) {
    const v = retention?.[k];
    if (v !== undefined && v !== 'Retain' && v !== 'Delete') errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, ['Retain', 'Delete']));
  }
  errs.push(...nonNegative('spec.replicas', spec.replicas));
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  errs.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  errs.push(...nonNegative('spec.ordinals.start', spec.ordinals?.start));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'statefulset'));
  errs.push(...validatePodTemplate(withClaimVolumes(spec), 'spec.template'));
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  (spec.volumeClaimTemplates ?? []).forEach((c, i) => {
    const name = c.metadata?.name;
    if (!name) errs.push(required(`spec.volumeClaimTemplates[${i}].metadata.name`, 'name or generateName is required'));
    else errs.push(...fromMessages(`spec.volumeClaimTemplates[${i}].metadata.name`, name, isDNS1123Subdomain(name)));
  });
  return errs;
}

export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const sts = obj as StatefulSet;
  const errs = validateObjectMeta(sts.metadata, { namespaced: true });
  if (!sts.spec) return [...errs, required('spec')];
  errs.push(...validateSpec(sts.spec));
  const prev = (old as StatefulSet | undefined)?.spec;
  if (prev) {
    const mutable = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy'];
    const strip = (s: StatefulSetSpec): Record<string, unknown> => Object.fromEntries(Object.entries(s).filter(([k]) => !mutable.includes(k)));
    if (!deepEqual(strip(sts.spec), strip(prev))) errs.push(forbidden('spec', updateMessage));
  }
  return errs;
}
