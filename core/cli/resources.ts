/** Resolving what the user typed (`po`, `deploy`, `deployments.apps`, `Ingress`) to an API resource, from the client's discovery. */
import type { KubeClient, ResourceInfo } from '../client/index.js';
import { resourcePath as clientResourcePath } from '../client/index.js';
import { UsageError } from './args.js';

export type ApiResource = ResourceInfo;

/** Every resource in each group's preferred version; `refresh` re-reads discovery (after a CRD was applied). */
export function discover(client: Pick<KubeClient, 'serverResources'>, refresh = false): Promise<ApiResource[]> {
  return client.serverResources({ refresh });
}

/**
 * The resource for what the user typed, reading no more discovery than it needs: the core group wins ties,
 * so a name that core `v1` serves (`pods`, `po`, `svc`) is settled by `/api/v1` alone (one request instead of
 * one per group version); any other name reads the whole discovery.
 */
export async function findResource(client: Pick<KubeClient, 'groupVersionResources' | 'serverResources'>, name: string): Promise<ApiResource> {
  if (!name.includes('.')) {
    const core = matching(await client.groupVersionResources('v1'), name);
    if (core[0]) return core[0];
  }
  return resolveResource(await discover(client), name);
}

function matching(all: readonly ApiResource[], name: string): ApiResource[] {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return all.filter((r) => (group === undefined || r.group === group) && (r.plural === base || r.kind.toLowerCase() === base || r.shortNames.includes(base)));
}

/** Finds the resource for `name` (plural, kind, short name, optionally `.group`); the core group wins ties as in kubectl. */
export function resolveResource(all: readonly ApiResource[], name: string): ApiResource {
  const matches = matching(all, name);
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
  return clientResourcePath(r, namespace, name);
}

/** `deployment.apps/x` as kubectl prints it. */
export function displayName(r: ApiResource, name: string): string {
  return `${r.kind.toLowerCase()}${r.group ? '.' + r.group : ''}/${name}`;
}
