/** Field selectors (`metadata.name=x,status.phase!=Running`) as Kubernetes parses them (apimachinery `fields`). */
import { ApiError } from './errors.js';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '==' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on unescaped `sep` characters (a backslash escapes the next character). */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s.charAt(i + 1);
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

/** Kubernetes `fields.UnescapeValue`: `\\`, `\,` and `\=` are escapes; a bare `,` or `=` is an error. */
function unescapeValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '\\') {
      const n = s.charAt(i + 1);
      if (n !== '\\' && n !== ',' && n !== '=') throw new ApiError('BadRequest', `invalid field selector: invalid escape sequence: \\${n}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw new ApiError('BadRequest', `invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    const c = term.charAt(i);
    if (c === '\\') { i++; continue; }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) {
        return { field: term.slice(0, i).trim(), operator: op, value: unescapeValue(term.slice(i + op.length)) };
      }
    }
  }
  return undefined;
}

/** Parses `a=b,c==d,e!=f`; "" selects everything. Throws ApiError BadRequest on terms without an operator. */
export function parseFieldSelector(input: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (input.trim() === '') return { requirements };
  for (const term of splitUnescaped(input, ',')) {
    const req = term.trim() === '' ? undefined : splitTerm(term);
    if (!req || req.field === '') throw new ApiError('BadRequest', `invalid selector: '${input}'; can't understand '${term}'`);
    requirements.push(req);
  }
  return { requirements };
}

/**
 * Reads a dotted field path (`metadata.name`, `spec.nodeName`, `involvedObject.kind`) as the string
 * Kubernetes compares against: missing fields are "", numbers and booleans are printed.
 */
export function fieldGetter(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return '';
}

/** A fast predicate `(obj) => boolean` for a parsed selector or selector string. */
export function compileFieldSelector(sel: FieldSelector | string): (obj: unknown) => boolean {
  const { requirements } = typeof sel === 'string' ? parseFieldSelector(sel) : sel;
  if (requirements.length === 0) return () => true;
  const compiled = requirements.map((r) => ({ path: r.field.split('.'), negate: r.operator === '!=', value: r.value }));
  return (obj) => {
    for (const r of compiled) {
      let cur: unknown = obj;
      for (const p of r.path) {
        cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[p] : undefined;
      }
      const s = typeof cur === 'string' ? cur : typeof cur === 'number' || typeof cur === 'boolean' ? String(cur) : '';
      if ((s === r.value) === r.negate) return false;
    }
    return true;
  };
}

/** True when `obj` satisfies the field selector. */
export function matchesFields(sel: FieldSelector | string, obj: unknown): boolean {
  return compileFieldSelector(sel)(obj);
}

/** The canonical string of a field selector (values escaped). */
export function fieldSelectorToString(sel: FieldSelector): string {
  const esc = (s: string): string => s.replace(/[\\,=]/g, (c) => `\\${c}`);
  return sel.requirements.map((r) => `${r.field}${r.operator === '==' ? '=' : r.operator}${esc(r.value)}`).join(',');
}
