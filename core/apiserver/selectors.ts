/**
 * Label and field selectors from query strings, compiled to predicates. Local to the API
 * server until core/api exports its own parsers; a parse error is a 400 BadRequest.
 */
import { ApiError } from '../api/index.js';
import type { KubeObject } from '../api/index.js';

type Pred = (obj: KubeObject) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

const keyRe = /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

function labelTerm(term: string): (labels: Record<string, string>) => boolean {
  const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    checkKey(key);
    const values = new Set(list.split(',').map((v) => v.trim()).filter((v) => v !== ''));
    return op === 'in' ? (l) => l[key] !== undefined && values.has(l[key] ?? '') : (l) => l[key] === undefined || !values.has(l[key] ?? '');
  }
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(term);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    checkKey(key);
    if (op === '!=') return (l) => l[key] !== value;
    if (op === '<' || op === '>') {
      const n = Number(value);
      return (l) => l[key] !== undefined && (op === '<' ? Number(l[key]) < n : Number(l[key]) > n);
    }
    return (l) => l[key] === value;
  }
  if (term.startsWith('!')) {
    const key = term.slice(1).trim();
    checkKey(key);
    return (l) => l[key] === undefined;
  }
  checkKey(term);
  return (l) => l[term] !== undefined;
}

function checkKey(key: string): void {
  if (!keyRe.test(key) || key.length > 316) throw new ApiError('BadRequest', `unable to parse requirement: invalid label key "${key}"`);
}

/** Compiles `a=b,c!=d,e in (x,y),!f` into a predicate on an object's labels. */
export function compileLabelSelector(s: string): Pred {
  const terms = splitTerms(s).map(labelTerm);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return terms.every((t) => t(labels));
  };
}

/** Reads a dotted field path (`spec.nodeName`, `involvedObject.name`) as the string field selectors compare. */
export function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : String(cur);
}

/** Compiles `metadata.name=x,status.phase!=Running` into a predicate. */
export function compileFieldSelector(s: string): Pred {
  const terms = splitTerms(s).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new ApiError('BadRequest', `invalid selector: '${s}'; can't understand '${term}'`);
    const [, field = '', op, value = ''] = m;
    return op === '!=' ? (o: KubeObject) => fieldValue(o, field) !== value : (o: KubeObject) => fieldValue(o, field) === value;
  });
  return (obj) => terms.every((t) => t(obj));
}

/** Combines the optional label and field selectors of a request into one filter (undefined when neither is set). */
export function compileSelectors(labelSelector: string | null, fieldSelector: string | null): Pred | undefined {
  const preds: Pred[] = [];
  if (labelSelector) preds.push(compileLabelSelector(labelSelector));
  if (fieldSelector) preds.push(compileFieldSelector(fieldSelector));
  if (preds.length === 0) return undefined;
  return (obj) => preds.every((p) => p(obj));
}

/** Formats a LabelSelector as the string form Scale's `status.selector` carries. */
export function formatLabelSelector(sel: unknown): string {
  if (typeof sel !== 'object' || sel === null) return '';
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const parts = Object.entries(s.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
