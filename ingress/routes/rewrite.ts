/** Applies `rewrite-target` the way ingress-nginx's `rewrite "(?i)<path>" <target> break;` does. Pure. */
import { normalizePath } from './path.js';
import type { RouteMatch } from './types.js';

/**
 * The path to forward for `normalizedPath` matched by `match`. Without `rewrite-target`, the path itself.
 * With it, nginx semantics: the rule's path matched (at the start, as the location did), so the WHOLE path
 * becomes the target, with `$0`…`$9` replaced by the regex's capture groups (missing groups, and every group
 * of a non-regex path, → ''). So `rewrite-target: /` on Prefix `/foo` sends `/foo/bar` to `/`. (nginx's
 * `rewrite` regex is unanchored, but its leftmost match is the one the anchored location found.) The result
 * is normalised again (captures may join into `//`); if that fails, the target without its captures is used.
 */
export function rewritePath(match: RouteMatch, normalizedPath: string): string {
  const target = match.annotations.rewriteTarget;
  if (target === undefined || match.matchKind === 'DefaultBackend') return normalizedPath;
  const m = match.regex === undefined ? [] : match.regex.exec(normalizedPath);
  if (m === null) return normalizedPath;
  const substituted = target.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
  const n = normalizePath(substituted);
  if (n.ok) return n.path;
  const fallback = normalizePath(target.replace(/\$\d/g, ''));
  return fallback.ok ? fallback.path : '/';
}
