/** Discovery over the standard paths (`/api`, `/api/v1`, `/apis`, `/apis/<g>/<v>`), cached and refreshed on a miss. */
import { ApiError, parseApiVersion } from '../api/index.js';
import type { ResourceInfo } from './resource.js';
import { groupVersionPath } from './resource.js';
import { fanOutSignal } from './signals.js';

type Fetch = (path: string, signal?: AbortSignal) => Promise<unknown>;

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
}

interface APIGroup {
  name: string;
  versions: { groupVersion: string }[];
  preferredVersion?: { groupVersion: string };
}

interface Snapshot {
  resources: ResourceInfo[];
  preferred: Set<string>;
}

/** Caches the server's resources; a lookup that misses refreshes once, so CRDs added later are found. */
export class Discovery {
  private snapshot: Snapshot | undefined;
  private inflight: Promise<Snapshot> | undefined;

  constructor(private readonly fetch: Fetch) {}

  /** The resource serving `kind` in `apiVersion`; throws `ApiError('NotFound')` if the server has none. */
  async resourceFor(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo> {
    const find = (s: Snapshot): ResourceInfo | undefined => s.resources.find((r) => r.apiVersion === apiVersion && r.kind === kind);
    const cached = this.snapshot && find(this.snapshot);
    if (cached) return cached;
    const found = find(await this.refresh(signal));
    if (found) return found;
    throw new ApiError('NotFound', `the server has no resource for kind "${kind}" in version "${apiVersion}"`, { kind });
  }

  /** Every resource (not subresource) in each group's preferred version. */
  async preferredResources(opts: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<ResourceInfo[]> {
    const s = opts.refresh || !this.snapshot ? await this.refresh(opts.signal) : this.snapshot;
    return s.resources.filter((r) => s.preferred.has(r.apiVersion));
  }

  /** Forgets the cache. */
  invalidate(): void {
    this.snapshot = undefined;
  }

  /** Re-reads discovery (one request in flight at a time). */
  refresh(signal?: AbortSignal): Promise<Snapshot> {
    if (!this.inflight) {
      this.inflight = this.load(signal).then(
        (s) => {
          this.snapshot = s;
          this.inflight = undefined;
          return s;
        },
        (e: unknown) => {
          this.inflight = undefined;
          throw e;
        },
      );
    }
    return this.inflight;
  }

  private async load(signal?: AbortSignal): Promise<Snapshot> {
    const core = (await this.fetch('/api', signal)) as { versions?: string[] } | undefined;
    const groups = ((await this.fetch('/apis', signal)) as { groups?: APIGroup[] } | undefined)?.groups ?? [];
    const versions = [...(core?.versions ?? ['v1'])];
    const preferred = new Set<string>(versions.slice(0, 1));
    for (const g of groups) {
      for (const v of g.versions) versions.push(v.groupVersion);
      preferred.add(g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion ?? '');
    }
    const fan = fanOutSignal(signal);
    const lists = await Promise.all(versions.map((gv) => this.loadGroupVersion(gv, fan.signal))).finally(() => fan.release());
    return { resources: lists.flat(), preferred };
  }

  /** The resources of one group version (`v1`, `apps/v1`), read now and not cached; none if the server has no such group version. */
  async loadGroupVersion(apiVersion: string, signal?: AbortSignal): Promise<ResourceInfo[]> {
    let list: { resources?: APIResource[] } | undefined;
    try {
      list = (await this.fetch(groupVersionPath(apiVersion), signal)) as { resources?: APIResource[] } | undefined;
    } catch (e) {
      if (signal?.aborted) throw e;
      return []; // an unavailable aggregated group must not hide every other group
    }
    return toResourceInfos(apiVersion, list?.resources ?? []);
  }
}

/** Turns an `APIResourceList` into resources with their subresource names folded in. */
export function toResourceInfos(apiVersion: string, resources: readonly APIResource[]): ResourceInfo[] {
  const { group, version } = parseApiVersion(apiVersion);
  const subs = new Map<string, string[]>();
  for (const r of resources) {
    const slash = r.name.indexOf('/');
    if (slash < 0) continue;
    const parent = r.name.slice(0, slash);
    subs.set(parent, [...(subs.get(parent) ?? []), r.name.slice(slash + 1)]);
  }
  return resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      apiVersion,
      group,
      version,
      plural: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
      verbs: r.verbs ?? [],
      shortNames: r.shortNames ?? [],
      subresources: subs.get(r.name) ?? [],
    }));
}
