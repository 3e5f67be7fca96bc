/**
 * A parser for the Prometheus text exposition format (version 0.0.4): `# HELP` / `# TYPE` lines,
 * counters, gauges, histograms, summaries and untyped samples, escaped label values, NaN / ±Inf and
 * optional millisecond timestamps. Pure; never throws: malformed input yields an error with its line.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name, e.g. `http_request_duration_seconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the exposition carries one. */
  timestampMs?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export interface ExpositionError {
  /** 1-based line number. */
  line: number;
  message: string;
}

export type ExpositionResult = { ok: true; families: MetricFamily[] } | { ok: false; error: ExpositionError };

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['_sum', '_count', '_created'],
  untyped: [],
};

const ALL_SUFFIXES = ['_total', '_created', '_bucket', '_sum', '_count'];

class LineError extends Error {}

/** Parses a float as Go's strconv.ParseFloat accepts it in expositions (NaN, Inf, +Inf, -Inf in any case). */
export function parseFloatValue(s: string): number | undefined {
  const lower = s.toLowerCase();
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return NaN;
  if (['inf', '+inf', 'infinity', '+infinity'].includes(lower)) return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return FLOAT.test(s) ? Number(s) : undefined;
}

function unescape(raw: string, allowQuote: boolean): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = raw[++i];
    if (n === '\\') out += '\\';
    else if (n === 'n') out += '\n';
    else if (n === '"' && allowQuote) out += '"';
    else throw new LineError(`invalid escape sequence '\\${n ?? ''}'`);
  }
  return out;
}

/** A cursor over one line. */
class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i] ?? '';
  }
  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
  /** Reads up to the next blank or any of `stops`. */
  word(stops = ''): string {
    const start = this.i;
    while (!this.done && this.peek() !== ' ' && this.peek() !== '\t' && !stops.includes(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }
  expect(c: string, what: string): void {
    if (this.peek() !== c) throw new LineError(`expected '${c}' ${what}, found ${this.done ? 'end of line' : `'${this.peek()}'`}`);
    this.i++;
  }
  quoted(): string {
    this.expect('"', 'to open a label value');
    let raw = '';
    for (;;) {
      if (this.done) throw new LineError('unterminated label value');
      const c = this.peek();
      this.i++;
      if (c === '"') return unescape(raw, true);
      raw += c;
      if (c === '\\') {
        if (this.done) throw new LineError('unterminated label value');
        raw += this.peek();
        this.i++;
      }
    }
  }
}

function parseLabels(sc: Scanner): Record<string, string> {
  const labels: Record<string, string> = {};
  sc.expect('{', 'to open labels');
  for (;;) {
    sc.skipBlanks();
    if (sc.peek() === '}') break;
    const name = sc.word('=,}');
    if (!LABEL_NAME.test(name)) throw new LineError(`invalid label name ${JSON.stringify(name)}`);
    sc.skipBlanks();
    sc.expect('=', `after label name ${name}`);
    sc.skipBlanks();
    const value = sc.quoted();
    if (Object.hasOwn(labels, name)) throw new LineError(`duplicate label name ${name}`);
    labels[name] = value;
    sc.skipBlanks();
    if (sc.peek() === ',') {
      sc.i++;
      continue;
    }
    if (sc.peek() !== '}') throw new LineError(`expected ',' or '}' after label value, found ${sc.done ? 'end of line' : `'${sc.peek()}'`}`);
  }
  sc.i++;
  return labels;
}

function parseSample(line: string): Sample {
  const sc = new Scanner(line);
  const name = sc.word('{');
  if (!METRIC_NAME.test(name)) throw new LineError(`invalid metric name ${JSON.stringify(name)}`);
  sc.skipBlanks();
  const labels = sc.peek() === '{' ? parseLabels(sc) : {};
  sc.skipBlanks();
  const rawValue = sc.word();
  if (rawValue === '') throw new LineError(`missing value for ${name}`);
  const value = parseFloatValue(rawValue);
  if (value === undefined) throw new LineError(`invalid value ${JSON.stringify(rawValue)} for ${name}`);
  sc.skipBlanks();
  const sample: Sample = { name, labels, value };
  if (!sc.done) {
    const ts = sc.word();
    if (!/^-?\d+$/.test(ts)) throw new LineError(`invalid timestamp ${JSON.stringify(ts)} for ${name}`);
    sample.timestampMs = Number(ts);
    sc.skipBlanks();
    if (!sc.done) throw new LineError(`unexpected text after timestamp: ${JSON.stringify(sc.s.slice(sc.i))}`);
  }
  return sample;
}

/** Builds families from parsed lines, enforcing HELP/TYPE rules and the per-type label requirements. */
class FamilyBuilder {
  readonly families = new Map<string, MetricFamily>();
  private readonly typed = new Set<string>();
  private readonly helped = new Set<string>();
  private readonly seen = new Set<string>();

  family(name: string): MetricFamily {
    let f = this.families.get(name);
    if (!f) {
      f = { name, type: 'untyped', samples: [] };
      this.families.set(name, f);
    }
    return f;
  }

  help(name: string, text: string): void {
    if (this.helped.has(name)) throw new LineError(`second HELP line for metric name ${name}`);
    this.helped.add(name);
    this.family(name).help = unescape(text, false);
  }

  type(name: string, type: string): void {
    if (!TYPES.has(type)) throw new LineError(`unknown metric type ${JSON.stringify(type)}`);
    const f = this.family(name);
    if (this.typed.has(name) || f.samples.length > 0) throw new LineError(`second TYPE line for metric name ${name}, or TYPE reported after samples`);
    this.typed.add(name);
    f.type = type as MetricType;
  }

  /** The typed family a sample name belongs to (exact name, or base name plus a type suffix). */
  private owner(name: string): MetricFamily {
    const exact = this.families.get(name);
    if (exact && this.typed.has(name)) return exact;
    for (const suffix of ALL_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const base = name.slice(0, -suffix.length);
      const f = this.families.get(base);
      if (f && this.typed.has(base) && SUFFIXES[f.type].includes(suffix)) return f;
    }
    return exact ?? this.family(name);
  }

  add(s: Sample): void {
    const f = this.owner(s.name);
    if (f.type === 'histogram' && s.name === `${f.name}_bucket`) {
      const le = s.labels.le;
      if (le === undefined) throw new LineError(`histogram bucket ${s.name} has no "le" label`);
      if (parseFloatValue(le) === undefined) throw new LineError(`invalid "le" label value ${JSON.stringify(le)}`);
    }
    if (f.type === 'summary' && s.name === f.name) {
      const q = s.labels.quantile;
      if (q === undefined) throw new LineError(`summary sample ${s.name} has no "quantile" label`);
      if (parseFloatValue(q) === undefined) throw new LineError(`invalid "quantile" label value ${JSON.stringify(q)}`);
    }
    const id = seriesId(s.name, s.labels);
    if (this.seen.has(id)) throw new LineError(`duplicate sample for series ${id}`);
    this.seen.add(id);
    f.samples.push(s);
  }
}

/** A canonical series identity: `name{a="1",b="2"}` with labels sorted. */
export function seriesId(name: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${parts.join(',')}}`;
}

function parseComment(b: FamilyBuilder, line: string): void {
  const m = /^#[ \t]*(HELP|TYPE)(?:[ \t]+(\S+))?(?:[ \t](.*))?$/.exec(line);
  if (!m) return; // an ordinary comment
  const [, keyword, name, rest] = m;
  if (name === undefined || !METRIC_NAME.test(name)) throw new LineError(`invalid metric name in ${keyword ?? ''} line`);
  if (keyword === 'HELP') b.help(name, rest ?? '');
  else b.type(name, (rest ?? '').trim());
}

/** Parses a whole exposition. Families come out in first-seen order; empty families (HELP/TYPE only) are kept. */
export function parseExposition(text: string): ExpositionResult {
  const b = new FamilyBuilder();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '').trim();
    if (line === '') continue;
    try {
      if (line.startsWith('#')) parseComment(b, line);
      else b.add(parseSample(line));
    } catch (e) {
      return { ok: false, error: { line: i + 1, message: e instanceof Error ? e.message : String(e) } };
    }
  }
  return { ok: true, families: [...b.families.values()] };
}
