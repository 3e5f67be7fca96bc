/** The DaemonSet's ControllerRevision bookkeeping over the API (Kubernetes' constructHistory, snapshot and cleanupHistory). */
import { isAlreadyExists, isNotFound } from '../../api/index.js';
import type { ControllerRevision, DaemonSet, Pod } from '../../api/index.js';
import type { KubeClient } from '../../client/index.js';
import { controllerRevisionsTarget } from './common.js';
import { controllerRevisionHashLabel, equalRevision, hashRevisionData, newControllerRevision, revisionsToTruncate, sortRevisions, templatePatch } from './history.js';
import { daemonSetsTarget } from './daemonset-pods.js';

/** The revision `ds`'s current template would have (Kubernetes' snapshot): labelled with the template's labels and `controller-revision-hash`. */
export function daemonSetRevision(ds: DaemonSet, revision: number): ControllerRevision {
  const data = templatePatch(ds.spec.template);
  const hash = hashRevisionData(data, ds.status?.collisionCount);
  return newControllerRevision({
    owner: ds,
    templateLabels: { ...(ds.spec.template.metadata?.labels ?? {}), [controllerRevisionHashLabel]: hash },
    ...(ds.metadata.annotations ? { annotations: ds.metadata.annotations } : {}),
    data,
    revision,
    ...(ds.status?.collisionCount !== undefined ? { collisionCount: ds.status.collisionCount } : {}),
  });
}

export interface DaemonHistory {
  /** The revision of the current template (created or renumbered as needed). */
  current: ControllerRevision;
  /** Its hash: the `controller-revision-hash` label up-to-date pods carry. */
  hash: string;
  old: ControllerRevision[];
}

const hashOf = (r: ControllerRevision): string => r.metadata.labels?.[controllerRevisionHashLabel] ?? r.metadata.name ?? '';

/**
 * Finds or creates the current revision among `owned` (the DaemonSet's revisions) and makes it the
 * newest; on a name collision with different data it bumps `status.collisionCount` and throws, so
 * the next sync hashes again.
 */
export async function constructHistory(client: KubeClient, ds: DaemonSet, owned: readonly ControllerRevision[], signal: AbortSignal): Promise<DaemonHistory> {
  const wanted = daemonSetRevision(ds, 0);
  const current = owned.filter((r) => equalRevision({ ...r, metadata: { ...r.metadata, labels: {} } }, { ...wanted, metadata: { ...wanted.metadata, labels: {} } }));
  const old = owned.filter((r) => !current.includes(r));
  const next = old.reduce((m, r) => Math.max(m, r.revision), 0) + 1;
  let cur = sortRevisions(current).at(-1);
  if (!cur) cur = await snapshot(client, ds, next, signal);
  else if (cur.revision < next) {
    cur = await client.patch<ControllerRevision>(controllerRevisionsTarget, ds.metadata.namespace, cur.metadata.name ?? '', { revision: next }, 'merge', { signal });
  }
  return { current: cur, hash: hashOf(cur), old };
}

async function snapshot(client: KubeClient, ds: DaemonSet, revision: number, signal: AbortSignal): Promise<ControllerRevision> {
  const rev = daemonSetRevision(ds, revision);
  try {
    return await client.create<ControllerRevision>(controllerRevisionsTarget, rev, { signal });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const existing = await client.get<ControllerRevision>(controllerRevisionsTarget, ds.metadata.namespace, rev.metadata.name ?? '', { signal });
    if (equalRevision({ ...existing, metadata: { ...existing.metadata, labels: {} } }, { ...rev, metadata: { ...rev.metadata, labels: {} } }) && existing.metadata.ownerReferences?.some((r) => r.uid === ds.metadata.uid)) return existing;
    const live = await client.get<DaemonSet>(daemonSetsTarget, ds.metadata.namespace, ds.metadata.name ?? '', { signal });
    if ((live.status?.collisionCount ?? 0) === (ds.status?.collisionCount ?? 0)) {
      const status = { ...(live.status ?? {}), collisionCount: (live.status?.collisionCount ?? 0) + 1 };
      await client.patch(daemonSetsTarget, ds.metadata.namespace, ds.metadata.name ?? '', { status }, 'merge', { subresource: 'status', signal });
    }
    throw e;
  }
}

/** Deletes the oldest revisions beyond `revisionHistoryLimit`, never one a pod still carries the hash of. */
export async function cleanupHistory(client: KubeClient, ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[], signal: AbortSignal): Promise<void> {
  const liveHashes = new Set(pods.map((p) => p.metadata.labels?.[controllerRevisionHashLabel]).filter((h): h is string => h !== undefined));
  const inUse = new Set(old.filter((r) => liveHashes.has(hashOf(r))).map((r) => r.metadata.name ?? ''));
  for (const r of revisionsToTruncate(old, inUse, ds.spec.revisionHistoryLimit ?? 10)) {
    try {
      await client.delete(controllerRevisionsTarget, r.metadata.namespace, r.metadata.name ?? '', { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
