/** Pod and PodSpec validation (Kubernetes `ValidatePodSpec`), with field paths. */
import type { FieldError } from '../errors.js';
import type { Container, Pod, PodSpec, PodTemplateSpec, Toleration, Volume } from '../kinds/core.js';
import type { KubeObject } from '../meta.js';
import { deepEqual } from '../helpers.js';
import { validateAffinity } from './affinity.js';
import { validateContainers } from './container.js';
import { duplicate, forbidden, fromMessages, invalid, nonNegative, notSupported, oneOf, required } from './field.js';
import { validateLabels, validateObjectMeta, validateAnnotations } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './names.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateVolumes(volumes: Volume[] | undefined, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const p = `${path}[${i}]`;
    if (!v.name) errs.push(required(`${p}.name`));
    else {
      errs.push(...fromMessages(`${p}.name`, v.name, isDNS1123Label(v.name)));
      if (names.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
    if (sources.length === 0) errs.push(required(p, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(`${p}.${sources[1] ?? ''}`, 'may not specify more than 1 volume type'));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(required(`${p}.persistentVolumeClaim.claimName`));
    if (v.hostPath && !v.hostPath.path) errs.push(required(`${p}.hostPath.path`));
    if (v.secret?.secretName !== undefined && v.secret.secretName !== '') {
      errs.push(...fromMessages(`${p}.secret.secretName`, v.secret.secretName, isDNS1123Subdomain(v.secret.secretName)));
    }
  });
  return { errs, names };
}

export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...fromMessages(`${p}.key`, t.key, isQualifiedName(t.key)));
    if (!t.key && t.operator !== 'Exists') errs.push(invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.operator !== undefined && t.operator !== 'Exists' && t.operator !== 'Equal') errs.push(notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    if (t.operator === 'Exists' && t.value) errs.push(invalid(`${p}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (t.effect) errs.push(...oneOf(`${p}.effect`, t.effect, EFFECTS));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
  });
  return errs;
}

export interface PodSpecOptions {
  /** Restart policies allowed (workload templates allow only `Always`). */
  restartPolicies?: readonly string[];
  requireImage?: boolean;
}

/** Validates a PodSpec at `path` (`spec` for Pods, `spec.template.spec` for workloads). */
export function validatePodSpec(spec: PodSpec | undefined, path: string, opts: PodSpecOptions = {}): FieldError[] {
  if (!spec) return [required(path)];
  const { errs, names } = validateVolumes(spec.volumes, `${path}.volumes`);
  const ctx = { volumes: names, requireImage: opts.requireImage ?? true };
  const seen = new Set<string>();
  if (!spec.containers || spec.containers.length === 0) errs.push(required(`${path}.containers`));
  errs.push(...validateContainers(spec.initContainers, `${path}.initContainers`, ctx, seen));
  errs.push(...validateContainers(spec.containers, `${path}.containers`, ctx, seen));
  const policies = opts.restartPolicies ?? RESTART_POLICIES;
  if (spec.restartPolicy !== undefined && !policies.includes(spec.restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, policies));
  errs.push(...oneOf(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  errs.push(...nonNegative(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  if (spec.serviceAccountName) errs.push(...fromMessages(`${path}.serviceAccountName`, spec.serviceAccountName, isDNS1123Subdomain(spec.serviceAccountName)));
  if (spec.nodeName) errs.push(...fromMessages(`${path}.nodeName`, spec.nodeName, isDNS1123Subdomain(spec.nodeName)));
  if (spec.hostname) errs.push(...fromMessages(`${path}.hostname`, spec.hostname, isDNS1123Label(spec.hostname)));
  if (spec.subdomain) errs.push(...fromMessages(`${path}.subdomain`, spec.subdomain, isDNS1123Label(spec.subdomain)));
  if (spec.priorityClassName) errs.push(...fromMessages(`${path}.priorityClassName`, spec.priorityClassName, isDNS1123Subdomain(spec.priorityClassName)));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) errs.push(required(`${path}.imagePullSecrets[${i}].name`));
  });
  return errs;
}

/** Validates a pod template (`spec.template` of Deployments and ReplicaSets): labels, annotations, spec with restartPolicy Always. */
export function validatePodTemplate(t: PodTemplateSpec | undefined, path: string): FieldError[] {
  if (!t) return [required(path)];
  return [
    ...validateLabels(t.metadata?.labels, `${path}.metadata.labels`),
    ...validateAnnotations(t.metadata?.annotations, `${path}.metadata.annotations`),
    ...validatePodSpec(t.spec, `${path}.spec`, { restartPolicies: ['Always'] }),
  ];
}

const MUTABLE_POD_SPEC_FIELDS = new Set(['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'schedulingGates', 'nodeName']);

/** Container fields an update may change: the image, and resources (in-place resize, as the VPA's InPlaceOrRecreate mode uses). */
function stripMutableContainer(c: Container): Record<string, unknown> {
  return { ...c, image: undefined, resources: undefined };
}

/**
 * Pod updates (Kubernetes `ValidatePodUpdate`): `nodeName` may be set once (binding), images,
 * resources, activeDeadlineSeconds, tolerations, terminationGracePeriodSeconds and scheduling
 * gates may change; anything else in `spec` is forbidden.
 */
function podSpecUpdate(spec: PodSpec, old: PodSpec): FieldError[] {
  if (old.nodeName && spec.nodeName !== old.nodeName) return [forbidden('spec.nodeName', 'may not be changed once set')];
  const strip = (s: PodSpec): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...s, containers: s.containers?.map(stripMutableContainer), initContainers: s.initContainers?.map(stripMutableContainer) };
    for (const k of MUTABLE_POD_SPEC_FIELDS) delete copy[k];
    return copy;
  };
  if (deepEqual(strip(spec), strip(old))) return [];
  return [forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`, `spec.containers[*].resources` (in-place resize), `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)')];
}

export function validatePod(obj: KubeObject, old?: KubeObject): FieldError[] {
  const pod = obj as Pod;
  const errs = [...validateObjectMeta(pod.metadata, { namespaced: true }), ...validatePodSpec(pod.spec, 'spec')];
  if (old && errs.length === 0 && (old as Pod).spec && pod.spec) errs.push(...podSpecUpdate(pod.spec, (old as Pod).spec));
  return errs;
}
