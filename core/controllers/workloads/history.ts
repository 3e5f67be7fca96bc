/**
 * Pure ControllerRevision history (Kubernetes' controller/history), shared by the StatefulSet and
 * DaemonSet controllers: the template snapshot a revision holds, its hash and name, equality,
 * ordering, the next revision number and which old revisions to delete.
 */
import { controllerOf } from '../../api/index.js';
import type { ControllerRevision, KubeObject, PodTemplateSpec } from '../../api/index.js';
import { controllerRef, timeOf } from './common.js';
import { canonical, safeEncode } from './deployment-util.js';

/** The label on a ControllerRevision holding the hash of its data (Kubernetes' ControllerRevisionHashLabel). */
export const revisionDataHashLabel = 'controller.kubernetes.io/hash';
/**
 * The label on pods (and DaemonSet revisions) naming the revision they were made from. StatefulSets
 * put the revision's name there; DaemonSets the template hash.
 */
export const controllerRevisionHashLabel = 'controller-revision-hash';

/**
 * What a StatefulSet or DaemonSet revision stores: a strategic-merge patch that replaces the owner's
 * `spec.template` (`kubectl rollout undo` applies it as it is).
 */
export function templatePatch(template: PodTemplateSpec): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(template) as unknown as Record<string, unknown>, $patch: 'replace' } } };
}

/** Go's hash/fnv New32 (FNV-1: multiply, then xor) over the UTF-8 bytes of `s`. */
function fnv32(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= byte;
  }
  return h >>> 0;
}

/**
 * Kubernetes' HashControllerRevision: FNV-32 of the data (canonical JSON, so key order does not
 * matter) followed by the decimal collision count when there is one, safe-encoded.
 */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  let input = data === undefined ? '' : canonical(data);
  if (collisionCount !== undefined) input += String(collisionCount);
  return safeEncode(String(fnv32(input)));
}

/** Kubernetes' ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters so the name fits 253. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

export interface NewRevisionInput {
  /** The StatefulSet or DaemonSet (with apiVersion, kind, name, namespace and uid). */
  owner: KubeObject;
  /** Copied onto the revision, so the owner's selector finds it (`kubectl rollout history` lists by it). */
  templateLabels?: Record<string, string>;
  /** Copied onto the revision (`kubernetes.io/change-cause` shows in `kubectl rollout history`). */
  annotations?: Record<string, string>;
  data: unknown;
  revision: number;
  collisionCount?: number;
}

/**
 * Kubernetes' NewControllerRevision: owned by `owner` as its controller, labelled with the template's
 * labels and the data hash, named `<owner>-<hash>`.
 */
export function newControllerRevision(input: NewRevisionInput): ControllerRevision {
  const hash = hashRevisionData(input.data, input.collisionCount);
  const annotations = { ...(input.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(input.owner.metadata.name ?? '', hash),
      namespace: input.owner.metadata.namespace,
      labels: { ...(input.templateLabels ?? {}), [revisionDataHashLabel]: hash },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [controllerRef(input.owner)],
    },
    data: structuredClone(input.data),
    revision: input.revision,
  };
}

/**
 * Kubernetes' EqualRevision: different data-hash labels mean different; otherwise equal when the
 * data is (compared as canonical JSON).
 */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata.labels?.[revisionDataHashLabel];
  const hb = b.metadata.labels?.[revisionDataHashLabel];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return canonical(a.data ?? null) === canonical(b.data ?? null);
}

/** Kubernetes' FindEqualRevisions: those equal to `needle`, in the order given. */
export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** Kubernetes' SortControllerRevisions: by revision, then oldest first, then by name. Returns a new array. */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const t = timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp);
    if (t !== 0) return t;
    const na = a.metadata.name ?? '';
    const nb = b.metadata.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** Kubernetes' nextRevision: one more than the highest revision, 1 for an empty history. */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision), 0) + 1;
}

/**
 * Revisions to delete so at most `limit` non-live revisions remain: the oldest non-live ones first
 * (Kubernetes' truncateHistory). `live` holds the names of revisions in use (current, update, or
 * named by a pod) — never deleted.
 */
export function revisionsToTruncate(revisions: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): ControllerRevision[] {
  const old = sortRevisions(revisions).filter((r) => !live.has(r.metadata.name ?? ''));
  const excess = old.length - Math.max(0, limit);
  return excess > 0 ? old.slice(0, excess) : [];
}

/**
 * Kubernetes' ListControllerRevisions filter: revisions `owner` controls, or that have no controller
 * (orphans the owner may adopt when its selector matches them).
 */
export function ownedOrOrphan(owner: KubeObject, revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return revisions.filter((r) => {
    const ref = controllerOf(r);
    return !ref || ref.uid === owner.metadata.uid;
  });
}
