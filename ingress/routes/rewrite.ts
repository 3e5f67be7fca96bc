/** Applies `rewrite-target` the way ingress-nginx's `rewrite "(?i)<path>" <target> break;` does. Pure. */
import { normalizePath } from './path.js';
import type { RouteMatch } from './types.js';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The path to forward for `normalizedPath` matched by `match`. Without `rewrite-target`, the path itself.
 * With it, nginx semantics: when the rule's path (a regex for regex routes, literal otherwise; case-
 * insensitive, unanchored as in the generated `rewrite`) matches, the WHOLE path becomes the target, with `$1`…`$9`
 * replaced by the capture groups (missing groups → ''). So `rewrite-target: /` on Prefix `/foo` sends
 * `/foo/bar` to `/`. The result is normalised again (captures may join into `//`); if that fails, the
 * target without its captures is used.
 */
export function rewritePath(match: RouteMatch, normalizedPath: string): string {
  const target = match.annotations.rewriteTarget;
  if (target === undefined || match.matchKind === 'DefaultBackend') return normalizedPath;
  const re = match.regex !== undefined
    ? new RegExp(match.regex.source.replace(/^\^/, ''), 'i')
    : new RegExp(escapeRegex(match.matchKind === 'Prefix' ? match.path.replace(/\/+$/, '') || '/' : match.path), 'i');
  const m = re.exec(normalizedPath);
  if (m === null) return normalizedPath;
  const substituted = target.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
  const n = normalizePath(substituted);
  if (n.ok) return n.path;
  const fallback = normalizePath(target.replace(/\$\d/g, ''));
  return fallback.ok ? fallback.path : '/';
}
