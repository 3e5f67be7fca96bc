/** Turns an Ingress rule path into the form the table indexes it by. Pure. */
import type { HTTPIngressPath } from '../../core/api/index.js';
import type { IngressAnnotations } from '../annotations/index.js';
import { normalizePath } from './path.js';
import { clipForMessage, compileRegex, type SafeRegex } from '../annotations/index.js';

export type RulePath =
  | { ok: true; kind: 'Exact' | 'Prefix'; path: string; written: string }
  | { ok: true; kind: 'Regex'; regex: SafeRegex; written: string }
  | { ok: false; message: string };

/**
 * ImplementationSpecific paths are regexes when the Ingress sets `use-regex` or `rewrite-target` (which
 * ingress-nginx documents as implying `use-regex`): anchored at the start, case-insensitive, like nginx's
 * `location ~* "^<path>"`. Otherwise they are Prefix. Exact and Prefix paths are normalised like request
 * paths, so the table and the proxy compare the same form.
 */
export function compileRulePath(p: HTTPIngressPath, ann: IngressAnnotations): RulePath {
  const written = p.path ?? '';
  if (p.pathType === 'ImplementationSpecific' && (ann.useRegex || ann.rewriteTarget !== undefined)) {
    if (!written.startsWith('/')) return { ok: false, message: `regex path "${clipForMessage(written)}" must start with /` };
    const c = compileRegex(`^${written}`, { caseInsensitive: true });
    if (!c.ok) return { ok: false, message: `path "${clipForMessage(written)}" is not a valid regular expression: ${clipForMessage(c.message)}; not served` };
    return { ok: true, kind: 'Regex', regex: c.regex, written };
  }
  if (p.pathType !== 'Exact' && p.pathType !== 'Prefix' && p.pathType !== 'ImplementationSpecific') {
    return { ok: false, message: `unknown pathType "${clipForMessage(String(p.pathType))}"` };
  }
  const raw = written === '' && p.pathType === 'ImplementationSpecific' ? '/' : written;
  const n = normalizePath(raw);
  if (!n.ok || raw.includes('?')) return { ok: false, message: `path "${clipForMessage(raw)}" is invalid: ${n.ok ? 'contains ?' : n.reason}` };
  return { ok: true, kind: p.pathType === 'Exact' ? 'Exact' : 'Prefix', path: n.path, written: raw };
}

/** Conflict key within one host: same kind and same normalised path (`/foo` and `/foo/` as Prefix are one). */
export function pathKey(rp: Extract<RulePath, { ok: true }>): string {
  if (rp.kind === 'Regex') return `Regex ${rp.written}`;
  if (rp.kind === 'Exact') return `Exact ${rp.path}`;
  return `Prefix /${rp.path.split('/').filter((s) => s !== '').join('/')}`;
}
