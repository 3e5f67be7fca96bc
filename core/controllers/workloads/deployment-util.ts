/** Pure Deployment helpers (Kubernetes' deployment/util): fenceposts, template hash, revisions and annotations. */
import { ApiError, deepEqual } from '../../api/index.js';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../api/index.js';
import { timeOf } from './common.js';

export const podTemplateHashLabel = 'pod-template-hash';
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** Annotations never copied between a Deployment and its ReplicaSets (kubectl's rollback skips the same set). */
export const annotationsToSkip: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** Kubernetes' GetScaledValueFromIntOrPercent: ints as they are, `N%` of `total` rounded up or down. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const raw = v ?? fallback;
  if (typeof raw === 'number') return raw;
  const m = /^(\d+)%$/.exec(raw);
  if (!m) {
    if (/^\d+$/.test(raw)) return Number(raw);
    throw new ApiError('Invalid', `invalid value for IntOrString: invalid value ${JSON.stringify(raw)}: must be an integer or a percentage`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Kubernetes' ResolveFenceposts: surge rounds up, unavailable rounds down, both zero → unavailable 1. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true, '25%');
  let unavailable = scaledValue(maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function replicasOf(d: { spec: { replicas?: number } }): number {
  return d.spec.replicas ?? 1;
}

/** Kubernetes' MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

/** Kubernetes' MaxUnavailable: 0 unless RollingUpdate with replicas; never above replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(replicas, resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable);
}

/**
 * The value with null, empty objects and empty arrays removed, as Go's typed structs see them
 * (kubectl writes `resources: {}` where the server stored nothing; Kubernetes' semantic equality
 * treats both alike).
 */
export function pruneEmpty(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(pruneEmpty);
    return out.length === 0 ? undefined : out;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = pruneEmpty(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v === null ? undefined : v;
}

/** JSON with object keys sorted, so equal templates serialise identically. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' rand.SafeEncodeString: each character mapped into an alphabet without vowels or look-alikes. */
export function safeEncode(s: string): string {
  return [...s].map((c) => safeAlphabet[c.charCodeAt(0) % safeAlphabet.length] ?? 'b').join('');
}

/**
 * Kubernetes' ComputeHash: a stable FNV-32a hash of the template (canonical JSON, so key order does
 * not matter) and the collision count, safe-encoded. Equal inputs always give the same value.
 */
export function computeTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let input = canonical(pruneEmpty(template) ?? {});
  if (collisionCount !== undefined && collisionCount !== null) input += `#${collisionCount}`;
  return safeEncode(String(fnv32a(input)));
}

function withoutHash(t: PodTemplateSpec | undefined): unknown {
  if (!t) return undefined;
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[podTemplateHashLabel];
  const metadata = { ...(t.metadata ?? {}), labels };
  if (Object.keys(labels).length === 0) delete (metadata as { labels?: unknown }).labels;
  return { ...t, metadata };
}

/** Kubernetes' EqualIgnoreHash: templates equal once the pod-template-hash label is dropped. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return deepEqual(pruneEmpty(withoutHash(a)), pruneEmpty(withoutHash(b)));
}

export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const v = Number(obj.metadata.annotations?.[revisionAnnotation] ?? 0);
  return Number.isSafeInteger(v) && v > 0 ? v : 0;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** Oldest first; ties by name (Kubernetes' ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp);
  return d !== 0 ? d : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** Kubernetes' FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** Sets desired/max replicas annotations; returns the annotations, or undefined when nothing changes. */
export function withReplicasAnnotations(ann: Record<string, string> | undefined, desired: number, max: number): Record<string, string> | undefined {
  const cur = ann ?? {};
  if (cur[desiredReplicasAnnotation] === String(desired) && cur[maxReplicasAnnotation] === String(max)) return undefined;
  return { ...cur, [desiredReplicasAnnotation]: String(desired), [maxReplicasAnnotation]: String(max) };
}

/**
 * Kubernetes' SetNewReplicaSetAnnotations: copies the Deployment's annotations (except the skip
 * list), raises the revision to `newRevision` (recording the old one in revision-history) and, for
 * a ReplicaSet being created, sets desired/max replicas. Returns the new annotations.
 */
export function newReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, creating: boolean): Record<string, string> {
  const ann: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!annotationsToSkip.has(k)) ann[k] = v;
  const old = ann[revisionAnnotation];
  const oldNum = Number(old ?? 0);
  if (old === undefined || !(oldNum >= newRevision)) {
    ann[revisionAnnotation] = String(newRevision);
    if (old !== undefined && old !== '') {
      const history = ann[revisionHistoryAnnotation];
      ann[revisionHistoryAnnotation] = history ? `${history},${old}` : old;
    }
  }
  if (creating) {
    ann[desiredReplicasAnnotation] = String(replicasOf(d));
    ann[maxReplicasAnnotation] = String(replicasOf(d) + maxSurge(d));
  }
  return ann;
}

/** The ReplicaSet a Deployment creates for its current template: `<deploy>-<hash>`, hash label on selector, template and RS. */
export function newReplicaSetFor(d: Deployment, replicas: number, revision: number): ReplicaSet {
  const hash = computeTemplateHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [podTemplateHashLabel]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [podTemplateHashLabel]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name ?? 'deploy'}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  rs.metadata.annotations = newReplicaSetAnnotations(d, rs, revision, true);
  return rs;
}
