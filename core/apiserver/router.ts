/** Parses a request path into what it addresses (Kubernetes' RequestInfo), without I/O. */

export interface ResourcePath {
  group: string;
  version: string;
  /** Namespace from the path (`/namespaces/<ns>/...`), or the name of a Namespace for `/api/v1/namespaces/<name>`. */
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  /** `/watch/` prefix (legacy watch paths). */
  watchPrefix: boolean;
}

export type Route =
  | { type: 'health' }
  | { type: 'version' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'openapiV3'; path?: string }
  | { type: 'openapiV2' }
  | { type: 'resource'; path: ResourcePath }
  | { type: 'unknown' };

const health = new Set(['/healthz', '/livez', '/readyz']);
const namespaceSubresources = new Set(['status', 'finalize']);

/**
 * What a path addresses, taken exactly as sent: Kubernetes never normalises an API path, so a
 * segment that is a dot segment or holds a slash or backslash — raw or percent-encoded (`..`,
 * `%2e%2E`, `%5c`, `%2f`) — addresses nothing (`unknown`, a 404), never another object's path.
 */
export function route(pathname: string): Route {
  const clean = pathname.replace(/\/+$/, '') || '/';
  if (clean.split('/').slice(1).some(unsafeSegment)) return { type: 'unknown' };
  if (health.has(clean) || /^\/(healthz|livez|readyz)\//.test(clean)) return { type: 'health' };
  if (clean === '/version') return { type: 'version' };
  if (clean === '/openapi/v2') return { type: 'openapiV2' };
  if (clean === '/openapi/v3') return { type: 'openapiV3' };
  if (clean.startsWith('/openapi/v3/')) return { type: 'openapiV3', path: clean.slice('/openapi/v3/'.length) };
  const parts = clean.split('/').slice(1).map(safeDecode);
  if (parts.some((p) => p === undefined || p === '')) return { type: 'unknown' };
  const segs = parts as string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'api' };
    const version = segs[1] ?? '';
    if (segs.length === 2) return { type: 'groupVersion', group: '', version };
    return resourceRoute('', version, segs.slice(2));
  }
  if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'apis' };
    const group = segs[1] ?? '';
    if (segs.length === 2) return { type: 'group', group };
    const version = segs[2] ?? '';
    if (segs.length === 3) return { type: 'groupVersion', group, version };
    return resourceRoute(group, version, segs.slice(3));
  }
  return { type: 'unknown' };
}

function unsafeSegment(raw: string): boolean {
  const s = safeDecode(raw) ?? raw;
  return s === '.' || s === '..' || s.includes('/') || s.includes('\\');
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function resourceRoute(group: string, version: string, rest: string[]): Route {
  let parts = rest;
  const watchPrefix = parts[0] === 'watch';
  if (watchPrefix) parts = parts.slice(1);
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    const third = parts[2];
    if (third !== undefined && !namespaceSubresources.has(third)) parts = parts.slice(2);
  }
  const [plural, name, subresource, extra] = parts;
  if (plural === undefined || extra !== undefined) return { type: 'unknown' };
  const path: ResourcePath = { group, version, plural, watchPrefix };
  if (plural === 'namespaces' && group === '' && namespace !== undefined) {
    path.name = namespace;
    if (parts[2] !== undefined) path.subresource = parts[2];
    if (parts.length > 3) return { type: 'unknown' };
    return { type: 'resource', path };
  }
  if (namespace !== undefined) path.namespace = namespace;
  if (name !== undefined) path.name = name;
  if (subresource !== undefined) path.subresource = subresource;
  return { type: 'resource', path };
}
