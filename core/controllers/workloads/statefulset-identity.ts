/**
 * Pure StatefulSet pod identity (Kubernetes' stateful_set_utils.go): ordinal names, the identity
 * labels, hostname/subdomain, each ordinal's claims and the pod made from a revision's template.
 */
import type { ControllerRevision, OwnerReference, PersistentVolumeClaim, PersistentVolumeClaimTemplate, Pod, PodTemplateSpec, StatefulSet, Volume } from '../../api/index.js';
import { controllerRef } from './common.js';
import { controllerRevisionHashLabel } from './history.js';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

/** The first ordinal (`spec.ordinals.start`, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** One past the last ordinal of the desired replicas. */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + (set.spec.replicas ?? 1);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

/** The ordinal of a pod named `<set>-<n>` of this set, or undefined (Kubernetes' getParentNameAndOrdinal). */
export function ordinalOf(set: StatefulSet, pod: Pod): number | undefined {
  const name = pod.metadata.name ?? '';
  const prefix = `${set.metadata.name ?? ''}-`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}

/** Kubernetes' isMemberOf: the pod's name says it belongs to this set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return ordinalOf(set, pod) !== undefined;
}

/** The claim of `template` for `ordinal`: `<template>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, template: PersistentVolumeClaimTemplate, ordinal: number): string {
  return `${template.metadata.name ?? ''}-${podName(set, ordinal)}`;
}

/** Kubernetes' getPersistentVolumeClaims: the claims of one ordinal, from the volume claim templates, labelled with the selector's labels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec.volumeClaimTemplates ?? []).map((t) => {
    const { metadata: meta, spec } = structuredClone(t);
    const labels = { ...(meta.labels ?? {}), ...(set.spec.selector.matchLabels ?? {}) };
    const metadata = { name: claimName(set, t, ordinal), namespace: set.metadata.namespace, labels, ...(meta.annotations ? { annotations: meta.annotations } : {}) };
    return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, ...(spec ? { spec } : {}) };
  });
}

/** The pod volumes for the claims (first, in template order) followed by the template's other volumes. */
export function volumesWithClaims(set: StatefulSet, ordinal: number, volumes: readonly Volume[] | undefined): Volume[] {
  const templates = set.spec.volumeClaimTemplates ?? [];
  const names = new Set(templates.map((t) => t.metadata.name ?? ''));
  const claimVolumes: Volume[] = templates.map((t) => ({ name: t.metadata.name ?? '', persistentVolumeClaim: { claimName: claimName(set, t, ordinal) } }));
  return [...claimVolumes, ...(volumes ?? []).filter((v) => !names.has(v.name))];
}

/** The pod template a revision holds (its data's `spec.template`, without the `$patch` directive). */
export function templateOfRevision(revision: ControllerRevision): PodTemplateSpec | undefined {
  const data = revision.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const t = data?.spec?.template;
  if (!t || typeof t !== 'object') return undefined;
  const copy = structuredClone(t);
  delete copy.$patch;
  return copy as unknown as PodTemplateSpec;
}

/**
 * Kubernetes' newVersionedStatefulSetPod: the pod for `ordinal` from `template`, named, labelled
 * (pod-name, pod-index, controller-revision-hash = the revision's name), with hostname, subdomain
 * (`serviceName`), the ordinal's claims as volumes and the set as controller.
 */
export function newStatefulPod(set: StatefulSet, template: PodTemplateSpec, revisionName: string, ordinal: number): Pod {
  const name = podName(set, ordinal);
  const meta = template.metadata ?? {};
  const spec = structuredClone(template.spec);
  spec.volumes = volumesWithClaims(set, ordinal, spec.volumes);
  spec.hostname = name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  else delete spec.subdomain;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...(meta.labels ?? {}), [podNameLabel]: name, [podIndexLabel]: String(ordinal), [controllerRevisionHashLabel]: revisionName },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [setRef(set)],
    },
    spec,
  };
}

export function setRef(set: StatefulSet): OwnerReference {
  return controllerRef({ ...set, apiVersion: set.apiVersion || 'apps/v1', kind: set.kind || 'StatefulSet' });
}

/** Kubernetes' identityMatches: name and identity labels as the ordinal says. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(set, pod);
  if (ordinal === undefined) return false;
  const labels = pod.metadata.labels ?? {};
  return labels[podNameLabel] === pod.metadata.name && labels[podIndexLabel] === String(ordinal) && pod.metadata.namespace === set.metadata.namespace;
}

/** Kubernetes' storageMatches: every claim template is mounted from this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(set, pod);
  if (ordinal === undefined) return false;
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec.volumeClaimTemplates ?? []).every((t) => volumes.get(t.metadata.name ?? '')?.persistentVolumeClaim?.claimName === claimName(set, t, ordinal));
}

/** The revision name a pod was made from. */
export function podRevision(pod: Pod): string | undefined {
  return pod.metadata.labels?.[controllerRevisionHashLabel];
}
