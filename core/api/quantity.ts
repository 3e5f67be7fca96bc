/**
 * Kubernetes `resource.Quantity`: parsing, exact arithmetic and canonical formatting.
 *
 * A quantity is held as an exact count of nano-units (`value × 10⁹`) in a BigInt, rounded
 * away from zero to the nearest nano-unit exactly as Kubernetes' `ParseQuantity` does, so
 * `0.1` CPU is exactly 100 milli-CPU and `1.5Gi` is exactly 1610612736 bytes.
 */
import { ApiError } from './errors.js';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value times 10⁹, exact. */
  readonly nanos: bigint;
  /** The format the quantity was written in; `formatQuantity` keeps it. */
  readonly format: QuantityFormat;
}

/** Thrown for a string that is not a quantity; `code` is `QUANTITY_FORMAT` or `QUANTITY_SUFFIX`. */
export class QuantityError extends ApiError {
  readonly quantityCode: 'QUANTITY_FORMAT' | 'QUANTITY_SUFFIX' | 'QUANTITY_NUMERIC';
  constructor(code: QuantityError['quantityCode'], input: string) {
    const text = code === 'QUANTITY_SUFFIX' ? 'unable to parse quantity\'s suffix'
      : code === 'QUANTITY_NUMERIC' ? 'unable to parse numeric part of quantity'
        : 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'';
    super('BadRequest', `${JSON.stringify(input)}: ${text}`);
    this.name = 'QuantityError';
    this.quantityCode = code;
  }
}

const NANO = 1_000_000_000n;
/** Kubernetes caps BinarySI quantities at the largest int64. */
const MAX_BINARY_NANOS = (2n ** 63n - 1n) * NANO;
/** Guards BigInt work: decimal exponents beyond this are rejected (Kubernetes would build a huge number). */
const MAX_EXPONENT = 1000;

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_LETTERS = 'eEinumkKMGTP';

interface Parts { negative: boolean; num: string; denom: string; suffix: string }

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Splits a quantity string the way Kubernetes' parseQuantityString does (leading zeros stripped). */
function split(str: string): Parts {
  let pos = 0;
  let negative = false;
  if (str[0] === '-' || str[0] === '+') {
    negative = str[0] === '-';
    pos++;
  }
  while (str[pos] === '0') pos++;
  const numStart = pos;
  while (isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos);
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < str.length && SUFFIX_LETTERS.includes(str.charAt(pos))) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < str.length) throw new QuantityError('QUANTITY_FORMAT', str);
  return { negative, num, denom, suffix: str.slice(suffixStart) };
}

/** Interprets a suffix as base and exponent, or undefined when Kubernetes would reject it. */
function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > 2 ** 31 - 1) return undefined;
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return undefined;
}

/** Divides rounding away from zero (Kubernetes' inf.RoundUp); `d` is positive. */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** Parses a quantity exactly as Kubernetes does. Numbers (as JSON/YAML may carry) are accepted too. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? numberToDecimalString(input) : input;
  if (str.length === 0) throw new QuantityError('QUANTITY_FORMAT', str);
  if (str === '0') return { nanos: 0n, format: 'DecimalSI' };
  const parts = split(str);
  const suffix = interpretSuffix(parts.suffix);
  if (!suffix) throw new QuantityError('QUANTITY_SUFFIX', str);
  if (suffix.exponent > MAX_EXPONENT) throw new QuantityError('QUANTITY_NUMERIC', str);
  const digits = BigInt((parts.num + parts.denom) || '0');
  let nanos: bigint;
  if (suffix.base === 10) {
    const shift = suffix.exponent - parts.denom.length + 9;
    if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
    else if (-shift > (parts.num + parts.denom).length + 1) nanos = digits === 0n ? 0n : 1n;
    else nanos = divAwayFromZero(digits, 10n ** BigInt(-shift));
  } else {
    nanos = divAwayFromZero(digits * (1n << BigInt(suffix.exponent)) * NANO, 10n ** BigInt(parts.denom.length));
    if (nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
  }
  return { nanos: parts.negative ? -nanos : nanos, format: suffix.format };
}

/** True when `parseQuantity` accepts `s`. */
export function isValidQuantity(s: string | number): boolean {
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}

function toQuantity(q: Quantity | string | number): Quantity {
  return typeof q === 'object' ? q : parseQuantity(q);
}

/** The value in milli-units, rounded away from zero like Kubernetes' `MilliValue` (`1n` → 1). */
export function quantityToMilli(q: Quantity | string | number): number {
  return Number(divAwayFromZero(toQuantity(q).nanos, 1_000_000n));
}

/** The value in base units (bytes, cores) as a float: `500m` → 0.5, `1Ki` → 1024. */
export function quantityToNumber(q: Quantity | string | number): number {
  const { nanos } = toQuantity(q);
  return Number(nanos / NANO) + Number(nanos % NANO) / 1e9;
}

/** The value in whole base units, rounded away from zero like Kubernetes' `Value()`. */
export function quantityToInt(q: Quantity | string | number): number {
  return Number(divAwayFromZero(toQuantity(q).nanos, NANO));
}

/** Compares two quantities: negative, zero or positive. */
export function compareQuantities(a: Quantity | string | number, b: Quantity | string | number): number {
  const d = toQuantity(a).nanos - toQuantity(b).nanos;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Sum of quantities, in the format of the first (DecimalSI when empty). */
export function addQuantities(...qs: (Quantity | string | number)[]): Quantity {
  const parsed = qs.map(toQuantity);
  return { nanos: parsed.reduce((s, q) => s + q.nanos, 0n), format: parsed[0]?.format ?? 'DecimalSI' };
}

/** Builds a quantity from a count of milli-units (`500` → `500m`). */
export function quantityFromMilli(milli: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(Math.ceil(milli)) * 1_000_000n, format };
}

/** Exact decimal text of a JS number (`0.1` → `"0.1"`, `1e21` → `"1e21"`). */
function numberToDecimalString(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError('QUANTITY_NUMERIC', String(n));
  return String(n).replace('e+', 'e');
}

export { formatQuantity, quantityToString } from './quantity-format.js';
