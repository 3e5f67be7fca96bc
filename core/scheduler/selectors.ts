/**
 * Node selector matching as Kubernetes' `nodeaffinity` helpers do it. Private to the scheduler until
 * core/api exports its selector helpers.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../api/index.js';

function parseIntStrict(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  return Number(s);
}

/** One requirement against a key→value map (labels or fields). */
export function matchesRequirement(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = has ? values[r.key] : undefined;
  const list = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && list.includes(v ?? '');
    case 'NotIn': return !has || !list.includes(v ?? '');
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      const want = list.length === 1 ? parseIntStrict(list[0]) : undefined;
      const got = parseIntStrict(v);
      if (want === undefined || got === undefined) return false;
      return r.operator === 'Gt' ? got > want : got < want;
    }
    default: return false;
  }
}

/** A term matches when all its expressions and fields match; a term with neither matches nothing. */
export function matchesTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const fieldValues: Record<string, string> = { 'metadata.name': node.metadata.name ?? '' };
  return exprs.every((r) => matchesRequirement(r, labels))
    && fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && matchesRequirement(r, fieldValues));
}

/** Terms are ORed. */
export function matchesAnyTerm(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => matchesTerm(t, node));
}

/** `spec.nodeSelector` and required node affinity, both of which must hold. */
export function matchesRequiredNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) return true;
  return matchesAnyTerm(required.nodeSelectorTerms, node);
}

/** True when every key/value of `selector` is in `labels` (an empty selector matches nothing). */
export function matchesLabels(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labels?.[k] === v);
}
