/** The registry of kinds (built-ins and CRDs) the API server serves and the CLI resolves names against. */
import { ApiError } from './errors.js';
import type { KindInfo } from './registry.js';

export interface GroupDiscovery {
  group: string;
  /** Versions by Kubernetes priority; the first is the preferred version. */
  versions: { version: string; kinds: KindInfo[] }[];
}

const keyOf = (...parts: string[]): string => parts.join('\u0000');

/**
 * Kubernetes' version priority (`version.CompareKubeAwareVersionStrings`): GA before beta before
 * alpha, higher numbers first (`v2` > `v1` > `v1beta2` > `v1beta1` > `v1alpha1`), then other
 * strings alphabetically. Negative when `a` has the higher priority.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$/.exec(v);
    if (!m) return undefined;
    const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Kinds by resource, kind and short name. Registering the same group/version/kind twice
 * replaces the earlier entry (a CRD update). Lookups return undefined for unknown names;
 * `mustResolve` throws with the known names.
 */
export class KindRegistry {
  private readonly byGvk = new Map<string, KindInfo>();

  register(info: KindInfo): void {
    this.byGvk.set(keyOf(info.group, info.version, info.kind), info);
  }

  /** Removes one version of a kind, or every version when `version` is omitted. Returns how many were removed. */
  unregister(group: string, kind: string, version?: string): number {
    let n = 0;
    for (const [k, info] of this.byGvk) {
      if (info.group === group && info.kind === kind && (version === undefined || info.version === version)) {
        this.byGvk.delete(k);
        n++;
      }
    }
    return n;
  }

  all(): KindInfo[] {
    return [...this.byGvk.values()];
  }

  byKind(group: string, version: string, kind: string): KindInfo | undefined {
    return this.byGvk.get(keyOf(group, version, kind));
  }

  byResource(group: string, version: string, plural: string): KindInfo | undefined {
    for (const info of this.byGvk.values()) {
      if (info.group === group && info.version === version && info.plural === plural) return info;
    }
    return undefined;
  }

  /** The preferred version of a kind in a group (Kubernetes version priority: `v1` over `v1beta1`). */
  byGroupKind(group: string, kind: string): KindInfo | undefined {
    return this.all().filter((i) => i.group === group && i.kind === kind).sort((a, b) => compareKubeVersions(a.version, b.version))[0];
  }

  /** Replaces every version of a kind with `infos` (a CRD update that adds or drops versions). */
  replaceKind(group: string, kind: string, infos: readonly KindInfo[]): void {
    this.unregister(group, kind);
    for (const info of infos) this.register(info);
  }

  /**
   * Resolves a CLI name: plural, singular, lowercase kind, short name, or any of those
   * qualified by group (`deployments.apps`, `deploy.apps`) or by version and group
   * (`deployments.v1.apps`). Built-in kinds win over CRDs, and writable kinds over read-only
   * ones (`pods` is core Pod, not metrics.k8s.io PodMetrics), for bare names.
   */
  resolve(name: string): KindInfo | undefined {
    const lower = name.toLowerCase();
    const rank = (k: KindInfo): number => (k.custom ? 2 : 0) + (k.verbs.includes('create') ? 0 : 1);
    const candidates = this.all().sort((a, b) => rank(a) - rank(b) || compareKubeVersions(a.version, b.version));
    for (const info of candidates) {
      const names = [info.plural, info.singular, info.kind.toLowerCase(), ...info.shortNames];
      for (const n of names) {
        if (lower === n) return info;
        if (info.group !== '' && (lower === `${n}.${info.group}` || lower === `${n}.${info.version}.${info.group}`)) return info;
      }
    }
    return undefined;
  }

  /** Like `resolve` but throws NotFound listing nothing secret: `the server doesn't have a resource type "x"`. */
  mustResolve(name: string): KindInfo {
    const info = this.resolve(name);
    if (!info) throw new ApiError('NotFound', `the server doesn't have a resource type "${name}"`);
    return info;
  }

  /** Kinds in a category such as `all`. */
  byCategory(category: string): KindInfo[] {
    return this.all().filter((k) => k.categories?.includes(category));
  }

  /** Discovery: groups (the legacy "" group first) → versions (preferred first) → kinds. */
  groups(): GroupDiscovery[] {
    const groups = new Map<string, GroupDiscovery>();
    for (const info of this.byGvk.values()) {
      let g = groups.get(info.group);
      if (!g) {
        g = { group: info.group, versions: [] };
        groups.set(info.group, g);
      }
      let v = g.versions.find((x) => x.version === info.version);
      if (!v) {
        v = { version: info.version, kinds: [] };
        g.versions.push(v);
      }
      v.kinds.push(info);
    }
    for (const g of groups.values()) g.versions.sort((a, b) => compareKubeVersions(a.version, b.version));
    return [...groups.values()].sort((a, b) => (a.group === '' ? -1 : b.group === '' ? 1 : 0));
  }
}
