/**
 * Label selectors as Kubernetes parses, matches and prints them (apimachinery `labels`).
 * String form: `a=b,c==d,e!=f,g in (x,y),h notin (z),i,!j` (also `k>1`, `k<5`).
 */
import { ApiError } from './errors.js';
import type { LabelSelector } from './meta.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';
import { parseLabelSelector } from './selector-parser.js';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'DoubleEquals' | 'NotEquals' | 'GreaterThan' | 'LessThan';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted, de-duplicated values. */
  readonly values: readonly string[];
}

/** A parsed label selector. `nothing` matches no object (a null LabelSelector); no requirements matches all. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  readonly nothing?: boolean;
}

export type Labels = Readonly<Record<string, string>> | undefined;

export const everything: Selector = { requirements: [] };
export const nothing: Selector = { requirements: [], nothing: true };

function selectorError(message: string): ApiError {
  return new ApiError('BadRequest', `unable to parse requirement: ${message}`);
}

/** Validates and builds one requirement (Kubernetes `NewRequirement`); throws ApiError BadRequest. */
export function newRequirement(key: string, operator: SelectorOperator, values: readonly string[]): Requirement {
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) throw selectorError(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  switch (operator) {
    case 'In': case 'NotIn':
      if (values.length === 0) throw selectorError('values: Invalid value: []: for \'in\', \'notin\' operators, values set can\'t be empty');
      break;
    case 'Equals': case 'DoubleEquals': case 'NotEquals':
      if (values.length !== 1) throw selectorError('values: Invalid value: exact-match compatibility requires one single value');
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length !== 0) throw selectorError('values: Invalid value: values set must be empty for exists and does not exist');
      break;
    case 'GreaterThan': case 'LessThan':
      if (values.length !== 1 || !/^-?[0-9]+$/.test(values[0] ?? '')) {
        throw selectorError('values: Invalid value: for \'Gt\', \'Lt\' operators, exactly one integer value is required');
      }
      break;
  }
  if (operator !== 'GreaterThan' && operator !== 'LessThan') {
    for (const v of values) {
      const errs = isValidLabelValue(v);
      if (errs.length > 0) throw selectorError(`values[0][${key}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}`);
    }
  }
  return { key, operator, values: [...new Set(values)].sort() };
}

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
