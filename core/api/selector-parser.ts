/** The label-selector string parser (a port of apimachinery's lexer and parser). */
import { ApiError } from './errors.js';
import type { Requirement, Selector, SelectorOperator } from './labels.js';
import { newRequirement } from './labels.js';

type TokenKind = 'id' | 'op' | '(' | ')' | ',' | '!' | 'in' | 'notin' | 'end';
interface Token { kind: TokenKind; text: string }

const SPECIAL = '!=<>(),';

function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: c, text: c }); i++; continue; }
    if (SPECIAL.includes(c)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') { out.push({ kind: 'op', text: two }); i += 2; continue; }
      out.push(c === '!' ? { kind: '!', text: c } : { kind: 'op', text: c });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !SPECIAL.includes(input.charAt(j)) && !/\s/.test(input.charAt(j))) j++;
    const word = input.slice(i, j);
    out.push({ kind: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'id', text: word });
    i = j;
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.pos] ?? { kind: 'end', text: '' }; }
  private next(): Token { const t = this.peek(); this.pos++; return t; }
  private fail(t: Token, expected: string): never {
    throw new ApiError('BadRequest', `unable to parse requirement: found '${t.text}', expected: ${expected}`);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    if (this.peek().kind === 'end') return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return reqs;
      if (t.kind !== ',') this.fail(t, '\',\' or \'end of string\'');
      if (this.peek().kind === 'end') this.fail(this.peek(), 'identifier');
    }
  }

  private requirement(): Requirement {
    const first = this.next();
    if (first.kind === '!') {
      const key = this.next();
      if (key.kind !== 'id') this.fail(key, 'identifier');
      return newRequirement(key.text, 'DoesNotExist', []);
    }
    if (first.kind !== 'id') this.fail(first, 'identifier');
    const look = this.peek();
    if (look.kind === 'end' || look.kind === ',') return newRequirement(first.text, 'Exists', []);
    const op = this.operator();
    if (op === 'In' || op === 'NotIn') return newRequirement(first.text, op, this.valueSet());
    return newRequirement(first.text, op, [this.exactValue()]);
  }

  private operator(): SelectorOperator {
    const t = this.next();
    if (t.kind === 'in') return 'In';
    if (t.kind === 'notin') return 'NotIn';
    if (t.kind === 'op') {
      const ops: Record<string, SelectorOperator> = { '=': 'Equals', '==': 'DoubleEquals', '!=': 'NotEquals', '>': 'GreaterThan', '<': 'LessThan' };
      const op = ops[t.text];
      if (op) return op;
    }
    return this.fail(t, '\'=\', \'!=\', \'==\', \'in\', \'notin\'');
  }

  private exactValue(): string {
    const t = this.peek();
    if (t.kind === 'end' || t.kind === ',') return '';
    this.pos++;
    if (t.kind === 'id' || t.kind === 'in' || t.kind === 'notin') return t.text;
    return this.fail(t, 'identifier');
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') this.fail(open, '\'(\'');
    const values: string[] = [];
    if (this.peek().kind === ')') { this.pos++; return values; }
    for (;;) {
      const t = this.next();
      if (t.kind === 'id' || t.kind === 'in' || t.kind === 'notin') {
        values.push(t.text);
        const sep = this.next();
        if (sep.kind === ')') return values;
        if (sep.kind !== ',') this.fail(sep, '\',\' or \')\'');
      } else if (t.kind === ',') {
        values.push('');
      } else if (t.kind === ')') {
        values.push('');
        return values;
      } else {
        this.fail(t, '\',\', \')\' or identifier');
      }
    }
  }
}

/** Parses the string form; "" selects everything. Throws ApiError BadRequest on bad syntax or invalid keys/values. */
export function parseLabelSelector(input: string): Selector {
  const reqs = new Parser(lex(input)).parse();
  return { requirements: reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}
