/**
 * Label selectors as Kubernetes parses, matches and prints them (apimachinery `labels`).
 * String form: `a=b,c==d,e!=f,g in (x,y),h notin (z),i,!j` (also `k>1`, `k<5`).
 */
import { ApiError } from './errors.js';
import type { LabelSelector } from './meta.js';
import { newRequirement, nothing } from './labels.js';
import type { Labels, Requirement, Selector } from './labels.js';
import { parseLabelSelector } from './selector-parser.js';

export { everything, newRequirement, nothing } from './labels.js';
export type { Labels, Requirement, Selector, SelectorOperator } from './labels.js';

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has && labels ? labels[r.key] ?? '' : '';
  switch (r.operator) {
    case 'In': case 'Equals': case 'DoubleEquals':
      return has && r.values.includes(value);
    case 'NotIn': case 'NotEquals':
      return !has || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan': case 'LessThan': {
      if (!has || !/^-?[0-9]+$/.test(value)) return false;
      const lhs = Number(value);
      const rhs = Number(r.values[0]);
      return r.operator === 'GreaterThan' ? lhs > rhs : lhs < rhs;
    }
  }
}

/** A fast predicate over label maps. */
export function compileSelector(sel: Selector): (labels: Labels) => boolean {
  if (sel.nothing) return () => false;
  const reqs = sel.requirements;
  if (reqs.length === 0) return () => true;
  return (labels) => {
    for (const r of reqs) if (!requirementMatches(r, labels)) return false;
    return true;
  };
}

/** Converts a `LabelSelector` object (matchLabels + matchExpressions); undefined/null selects nothing. */
export function labelSelectorFromObject(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return nothing;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, 'Equals', [v]));
  for (const e of ls.matchExpressions ?? []) {
    const op = e.operator as string;
    if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
      throw new ApiError('BadRequest', `${JSON.stringify(op)} is not a valid label selector operator`);
    }
    reqs.push(newRequirement(e.key, op, e.values ?? []));
  }
  return { requirements: sortRequirements(reqs) };
}

function sortRequirements(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** True when `labels` satisfy `selector` (a parsed Selector, a LabelSelector object, or a selector string). */
export function matchesLabels(selector: Selector | LabelSelector | string | undefined | null, labels: Labels): boolean {
  return compileSelector(toSelector(selector))(labels);
}

function toSelector(s: Selector | LabelSelector | string | undefined | null): Selector {
  if (typeof s === 'string') return parseLabelSelector(s);
  if (s && 'requirements' in s) return s;
  return labelSelectorFromObject(s);
}

function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case 'Exists': return r.key;
    case 'DoesNotExist': return `!${r.key}`;
    case 'Equals': return `${r.key}=${r.values[0] ?? ''}`;
    case 'DoubleEquals': return `${r.key}==${r.values[0] ?? ''}`;
    case 'NotEquals': return `${r.key}!=${r.values[0] ?? ''}`;
    case 'GreaterThan': return `${r.key}>${r.values[0] ?? ''}`;
    case 'LessThan': return `${r.key}<${r.values[0] ?? ''}`;
    case 'In': return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn': return `${r.key} notin (${r.values.join(',')})`;
  }
}

/** The string form Kubernetes prints (`status.selector`, `kubectl`): requirements sorted by key; "" selects all. */
export function selectorToString(sel: Selector | LabelSelector): string {
  const s = 'requirements' in sel ? sel : labelSelectorFromObject(sel);
  return s.requirements.map(requirementToString).join(',');
}

export { parseLabelSelector };
export { parseFieldSelector, fieldGetter, compileFieldSelector, matchesFields, fieldSelectorToString } from './field-selectors.js';
export type { FieldRequirement, FieldSelector } from './field-selectors.js';
