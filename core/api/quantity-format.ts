/** Canonical Kubernetes quantity strings (`Quantity.String()`): `500m`, `1536Mi`, `1e3`, `1500k`. */
import type { Quantity, QuantityFormat } from './quantity.js';
import { parseQuantity } from './quantity.js';

const decimalSuffix: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const binarySuffix = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

export interface FormatQuantityOptions {
  /** Units of a numeric `value`: base units (default) or milli-units (`500` → `500m`). */
  unit?: 'base' | 'milli';
  /**
   * Round away from zero to this precision first (Kubernetes rounds up: asking for some resource
   * gets at least that much). Useful for computed values: `formatQuantity(0.1234, 'DecimalSI',
   * { roundUpTo: 'milli' })` → `124m`. Numbers are read as the shortest decimal that prints them,
   * so `0.1` is exactly 100m.
   */
  roundUpTo?: 'nano' | 'micro' | 'milli' | 'unit';
}

const ROUNDING: Record<NonNullable<FormatQuantityOptions['roundUpTo']>, bigint> = { nano: 1n, micro: 1000n, milli: 1_000_000n, unit: 1_000_000_000n };

/**
 * Formats a value canonically as Kubernetes does. `value` is a Quantity, a quantity string,
 * or a number of base units (or milli-units with `{ unit: 'milli' }`).
 * `formatQuantity(0.5, 'DecimalSI')` → `500m`; `formatQuantity(1610612736, 'BinarySI')` → `1536Mi`.
 */
export function formatQuantity(value: Quantity | string | number | bigint, format: QuantityFormat = 'DecimalSI', opts: FormatQuantityOptions = {}): string {
  const nanos = toNanos(value, opts);
  const step = ROUNDING[opts.roundUpTo ?? 'nano'];
  return quantityToString({ nanos: divAwayFromZero(nanos, step) * step, format });
}

function toNanos(value: Quantity | string | number | bigint, opts: FormatQuantityOptions): bigint {
  if (typeof value === 'object') return value.nanos;
  if (typeof value === 'bigint') return opts.unit === 'milli' ? value * 1_000_000n : value * 1_000_000_000n;
  if (typeof value === 'string') return parseQuantity(value).nanos;
  const q = parseQuantity(value);
  return opts.unit === 'milli' ? divAwayFromZero(q.nanos, 1000n) : q.nanos;
}

function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** The canonical string of a quantity in its own format (Kubernetes `Quantity.String()`). */
export function quantityToString(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  if (q.format === 'BinarySI') {
    const abs = q.nanos < 0n ? -q.nanos : q.nanos;
    if (abs >= 1024n * 1_000_000_000n && abs % 1_000_000_000n === 0n) return binaryString(q.nanos / 1_000_000_000n);
    return decimalString(q.nanos, 'DecimalSI');
  }
  return decimalString(q.nanos, q.format);
}

function binaryString(units: bigint): string {
  let amount = units;
  let exp = 0;
  while (exp < binarySuffix.length - 1 && amount % 1024n === 0n) {
    amount /= 1024n;
    exp++;
  }
  return `${amount}${binarySuffix[exp] ?? ''}`;
}

function decimalString(nanos: bigint, format: QuantityFormat): string {
  let amount = nanos;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  const rem = ((exponent % 3) + 3) % 3;
  amount *= 10n ** BigInt(rem);
  exponent -= rem;
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  if (exponent > 18) {
    amount *= 10n ** BigInt(exponent - 18);
    exponent = 18;
  }
  return `${amount}${decimalSuffix[exponent] ?? ''}`;
}
