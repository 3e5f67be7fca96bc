/** Ownership tags (DESIGN.md: every cloud resource names its cluster and owner UID, and is found by them). */
import type { KubeObject } from '../api/index.js';

export const TAG_CLUSTER = 'skiff.dev/cluster';
export const TAG_OWNER_UID = 'skiff.dev/owner-uid';
/** Informational: `<Kind>/<namespace>/<name>` at creation time. Never used to find a resource. */
export const TAG_OWNER_REF = 'skiff.dev/owner';

/** The tags a cloud resource owned by `owner` carries. Pure. */
export function ownerTags(clusterName: string, owner: KubeObject): Record<string, string> {
  const m = owner.metadata;
  return {
    [TAG_CLUSTER]: clusterName,
    [TAG_OWNER_UID]: m.uid ?? '',
    [TAG_OWNER_REF]: [owner.kind, m.namespace ?? '', m.name ?? ''].join('/'),
  };
}

/** Whether `tags` mark a resource of `clusterName` (and, when given, of the owner with `uid`). */
export function ownedBy(tags: Readonly<Record<string, string>>, clusterName: string, uid?: string): boolean {
  return tags[TAG_CLUSTER] === clusterName && (uid === undefined || tags[TAG_OWNER_UID] === uid);
}

/**
 * Kubernetes' default load-balancer name: `a` + the UID without dashes, cut to `maxLength`
 * (32 on AWS). Deterministic, so a restarted controller finds what it made.
 */
export function defaultLoadBalancerName(svc: KubeObject, maxLength = 32): string {
  const uid = (svc.metadata.uid ?? '').replace(/-/g, '');
  return ('a' + uid).slice(0, maxLength);
}

/** The idempotency key for the volume provisioned for a claim: `pvc-<uid>`. */
export function claimVolumeKey(claim: KubeObject): string {
  return `pvc-${claim.metadata.uid ?? ''}`;
}
