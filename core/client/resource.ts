/** Resource targets and the standard Kubernetes REST paths built from them. */
import { parseApiVersion } from '../api/index.js';

/** What a request addresses: an API version and a resource (plural) name, as discovery reports them. */
export interface ResourceTarget {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

/** A resource as discovery describes it (`/api/v1`, `/apis/<group>/<version>`). */
export interface ResourceInfo extends ResourceTarget {
  group: string;
  version: string;
  kind: string;
  verbs: readonly string[];
  shortNames: readonly string[];
  /** Subresource names the server serves, e.g. `status`, `scale`, `finalize`. */
  subresources: readonly string[];
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(apiVersion: string): string {
  const { group, version } = parseApiVersion(apiVersion);
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * The path of a collection (`name` absent) or of one object, optionally a subresource.
 * A namespaced target without a namespace addresses all namespaces (list and watch only).
 */
export function resourcePath(target: ResourceTarget, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = groupVersionPath(target.apiVersion);
  if (target.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${target.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** Appends query parameters, skipping undefined and empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/** Splits a `namespace/name` (or `name`) key. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
