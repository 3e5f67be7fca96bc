/** Legacy discovery documents: /api, /apis, /apis/<g>, /api/v1 and /apis/<g>/<v> (APIResourceList). */
import type { KindInfo } from '../api/index.js';
import { apiVersionOf } from '../api/index.js';
import type { ApiRegistry } from './types.js';

export const serverVersion = {
  major: '1', minor: '32', gitVersion: 'v1.32.0-skiff', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc',
  platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  if (sa !== sb) return sb - sa;
  if (ma !== mb) return mb - ma;
  if (na !== nb) return nb - na;
  return a.localeCompare(b);
}

/** Groups (other than the core group) with their versions, preferred first. */
export function groupsOf(registry: ApiRegistry): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const k of registry.all()) {
    if (k.group === '') continue;
    const set = groups.get(k.group) ?? new Set<string>();
    set.add(k.version);
    groups.set(k.group, set);
  }
  const out = new Map<string, string[]>();
  for (const g of [...groups.keys()].sort()) out.set(g, [...(groups.get(g) ?? [])].sort(compareVersions));
  return out;
}

function groupDoc(name: string, versions: readonly string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
}

export function apiGroupList(registry: ApiRegistry): Record<string, unknown> {
  const groups = [...groupsOf(registry)].map(([g, vs]) => groupDoc(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** The APIGroup document, or undefined for an unknown group. */
export function apiGroup(registry: ApiRegistry, group: string): Record<string, unknown> | undefined {
  const versions = groupsOf(registry).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, versions) } : undefined;
}

const subVerbs = ['get', 'patch', 'update'];

function resourceEntries(k: KindInfo): Record<string, unknown>[] {
  const main: Record<string, unknown> = { name: k.plural, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: [...k.verbs] };
  if (k.shortNames.length > 0) main.shortNames = [...k.shortNames];
  if (k.categories && k.categories.length > 0) main.categories = [...k.categories];
  const out = [main];
  const sub = (name: string, extra: Record<string, unknown>): void => {
    out.push({ name: `${k.plural}/${name}`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: subVerbs, ...extra });
  };
  if (k.subresources.status) sub('status', {});
  if (k.subresources.scale) sub('scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  if (k.group === '' && k.plural === 'pods') {
    sub('binding', { kind: 'Binding', verbs: ['create'] });
    sub('eviction', { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    sub('log', { verbs: ['get'] });
  }
  return out;
}

/** The APIResourceList for one group version, or undefined when nothing is served there. */
export function apiResourceList(registry: ApiRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const kinds = registry.all().filter((k) => k.group === group && k.version === version).sort((a, b) => a.plural.localeCompare(b.plural));
  if (kinds.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources: kinds.flatMap(resourceEntries) };
}
