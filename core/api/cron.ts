/**
 * CronJob schedules as Kubernetes reads them (robfig/cron's ParseStandard): five fields or a
 * descriptor (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`,
 * `@every <duration>`), with robfig's error messages. Syntax is checked here field by field; the
 * times a schedule fires, in a time zone, come from cron-parser.
 */
import { createRequire } from 'node:module';
import type * as CronParser from 'cron-parser';

const requireCjs = createRequire(import.meta.url);

/** cron-parser (and luxon under it) loads when a schedule's next time is first computed, not with every importer of core/api. */
function cronExpressionParser(): typeof CronParser.CronExpressionParser {
  return (requireCjs('cron-parser') as typeof CronParser).CronExpressionParser;
}

interface Bounds { min: number; max: number; names?: Readonly<Record<string, number>> }

const months: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const days: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fieldBounds: readonly Bounds[] = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: months }, { min: 0, max: 6, names: days },
];

const descriptors: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** A parsed schedule: the first time it fires strictly after `afterMs` (ms since the epoch). */
export interface CronSchedule {
  next(afterMs: number): number;
}

class ParseError extends Error {}

function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new ParseError(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n < 0) throw new ParseError(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function intOrName(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  return named ?? atoi(s);
}

/** One comma-separated element of a field, normalised to numbers (`*` and `?` become the full range). */
function checkRange(expr: string, b: Bounds): string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  const star = lowAndHigh[0] === '*' || lowAndHigh[0] === '?';
  if (star) {
    start = b.min;
    end = b.max;
  } else {
    start = intOrName(lowAndHigh[0] ?? '', b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1] ?? '', b);
    else throw new ParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1] ?? '');
    if (single) end = b.max;
  } else if (rangeAndStep.length > 2) throw new ParseError(`too many slashes: ${expr}`);
  if (start < b.min) throw new ParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new ParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new ParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ParseError(`step of range should be a positive number: ${expr}`);
  if (star && step === 1) return '*';
  return step === 1 ? (start === end ? `${start}` : `${start}-${end}`) : `${start}-${end}/${step}`;
}

/** Go's time.ParseDuration for the units robfig's `@every` accepts; milliseconds. */
function goDuration(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (s === '0') return 0;
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m?.[1] || !m[2]) return undefined;
    total += Number(m[1]) * (units[m[2]] ?? 0);
    i = re.lastIndex;
  }
  return s.length > 0 ? total : undefined;
}

/** Checks `spec` as robfig's ParseStandard does; returns its five normalised fields or an `@every` delay. */
function parseSpec(spec: string): { fields: string; tz?: string } | { everyMs: number } {
  if (spec.length === 0) throw new ParseError('empty spec string');
  let rest = spec;
  let tz: string | undefined;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const i = rest.indexOf(' ');
    if (i === -1) throw new ParseError(`invalid location descriptior: ${rest}`);
    tz = rest.slice(rest.indexOf('=') + 1, i);
    if (!isTimeZone(tz)) throw new ParseError(`provided bad location ${tz}: unknown time zone ${tz}`);
    rest = rest.slice(i).trim();
  }
  if (rest.startsWith('@')) {
    const fixed = descriptors[rest];
    if (fixed) return { fields: fixed, ...(tz ? { tz } : {}) };
    if (rest.startsWith('@every ')) {
      const d = goDuration(rest.slice('@every '.length));
      if (d === undefined) throw new ParseError(`failed to parse duration ${rest}: time: invalid duration ${JSON.stringify(rest.slice('@every '.length))}`);
      return { everyMs: Math.max(1000, d - (d % 1000)) };
    }
    throw new ParseError(`unrecognized descriptor: ${rest}`);
  }
  const fields = rest.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new ParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const out = fields.map((f, i) => {
    const b = fieldBounds[i] ?? { min: 0, max: 0 };
    return f.split(',').filter((x) => x !== '').map((x) => checkRange(x, b)).join(',');
  });
  return { fields: out.join(' '), ...(tz ? { tz } : {}) };
}

/** True when `name` is a time zone the IANA database knows, spelled as it spells it. */
export function isTimeZone(name: string): boolean {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
  } catch {
    return false;
  }
}

/** robfig's error message for `schedule`, or undefined when it parses. */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    parseSpec(schedule);
    return undefined;
  } catch (e) {
    if (e instanceof ParseError) return e.message;
    throw e;
  }
}

/**
 * The schedule of `schedule` in `timeZone` (IANA name; UTC when absent — skiff's controller
 * manager runs in UTC). Throws with robfig's message when the schedule does not parse.
 */
export function parseCronSchedule(schedule: string, timeZone?: string): CronSchedule {
  let parsed: ReturnType<typeof parseSpec>;
  try {
    parsed = parseSpec(schedule);
  } catch (e) {
    if (e instanceof ParseError) throw new Error(e.message, { cause: e });
    throw e;
  }
  if ('everyMs' in parsed) {
    const every = parsed.everyMs;
    return { next: (after) => Math.floor(after / 1000) * 1000 + every };
  }
  const tz = timeZone ?? parsed.tz ?? 'UTC';
  const fields = parsed.fields;
  return {
    next: (after) => cronExpressionParser().parse(fields, { currentDate: new Date(after), tz }).next().getTime(),
  };
}
