/** Resolving what the user typed (`po`, `deploy`, `deployments.apps`, `Ingress`) to an API resource via discovery. */
import type { KubeClient } from '../client/index.js';
import { UsageError } from './args.js';

export interface ApiResource {
  group: string;
  version: string;
  apiVersion: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
}

interface ResourceList {
  groupVersion: string;
  resources: { name: string; singularName?: string; namespaced: boolean; kind: string; shortNames?: string[]; verbs?: string[] }[];
}

interface GroupList {
  groups: { name: string; preferredVersion?: { groupVersion: string }; versions: { groupVersion: string }[] }[];
}

/** All top-level resources the server serves in each group's preferred version (core first). */
export async function discover(client: KubeClient): Promise<ApiResource[]> {
  const gvs = ['v1'];
  const groups = await client.request<GroupList>('GET', '/apis');
  for (const g of groups.groups) gvs.push(g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion ?? '');
  const lists = await Promise.all(
    gvs.filter(Boolean).map((gv) => client.request<ResourceList>('GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`).catch(() => undefined)),
  );
  const out: ApiResource[] = [];
  for (const list of lists) {
    if (!list) continue;
    const slash = list.groupVersion.indexOf('/');
    const group = slash < 0 ? '' : list.groupVersion.slice(0, slash);
    const version = slash < 0 ? list.groupVersion : list.groupVersion.slice(slash + 1);
    for (const r of list.resources) {
      if (r.name.includes('/')) continue;
      out.push({
        group,
        version,
        apiVersion: list.groupVersion,
        kind: r.kind,
        plural: r.name,
        singular: r.singularName || r.kind.toLowerCase(),
        namespaced: r.namespaced,
        shortNames: r.shortNames ?? [],
        verbs: r.verbs ?? [],
      });
    }
  }
  return out;
}

/** Finds the resource for `name` (plural, singular, short name or kind, optionally `.group`). */
export function resolveResource(all: readonly ApiResource[], name: string): ApiResource {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const matches = all.filter(
    (r) =>
      (group === undefined || r.group === group) &&
      (r.plural === base || r.singular === base || r.kind.toLowerCase() === base || r.shortNames.includes(base)),
  );
  // Kubernetes prefers the core group, then others in discovery order.
  const found = matches.find((r) => r.group === '') ?? matches[0];
  if (!found) throw new UsageError(`the server doesn't have a resource type "${name}"`);
  return found;
}

/** The resource for an object's apiVersion and kind. */
export function resourceForObject(all: readonly ApiResource[], apiVersion: string, kind: string): ApiResource {
  const r = all.find((x) => x.apiVersion === apiVersion && x.kind === kind);
  if (!r) throw new UsageError(`resource mapping not found for kind "${kind}" in version "${apiVersion}"; ensure CRDs are installed first`);
  return r;
}

export function resourcePath(r: ApiResource, namespace: string | undefined, name?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.plural}${name ? '/' + encodeURIComponent(name) : ''}`;
}

/** `deployment.apps/x` as kubectl prints it. */
export function displayName(r: ApiResource, name: string): string {
  return `${r.singular}${r.group ? '.' + r.group : ''}/${name}`;
}
