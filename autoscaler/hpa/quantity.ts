/**
 * A small private Kubernetes quantity parser/formatter for the HPA math (milli-values).
 * TODO: switch to `parseQuantity`/`quantityToMilli`/`formatQuantity` from core/api once they are exported there.
 */

const decimalExponents: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binaryPowers: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** Thrown for a string that is not a Kubernetes quantity. */
export class InvalidQuantityError extends Error {
  constructor(readonly input: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(input)}`);
    this.name = 'InvalidQuantityError';
  }
}

function scaleOf(suffix: string, input: string): { num: bigint; den: bigint } {
  const binary = binaryPowers[suffix];
  if (binary !== undefined) return { num: 2n ** BigInt(binary), den: 1n };
  let exp = decimalExponents[suffix];
  if (exp === undefined) {
    const e = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (!e?.[1]) throw new InvalidQuantityError(input);
    exp = Number(e[1]);
  }
  return exp >= 0 ? { num: 10n ** BigInt(exp), den: 1n } : { num: 1n, den: 10n ** BigInt(-exp) };
}

/** The quantity times 1000, rounded up as `resource.Quantity.MilliValue()` does. */
export function quantityMilli(input: string): number {
  const m = QUANTITY.exec(input.trim());
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) throw new InvalidQuantityError(input);
  const frac = m[3] ?? '';
  const digits = BigInt(`${m[2] ?? ''}${frac}` || '0');
  const scale = scaleOf(m[4] ?? '', input);
  const num = digits * 1000n * scale.num;
  const den = 10n ** BigInt(frac.length) * scale.den;
  let milli = num / den;
  if (milli * den !== num) milli += 1n;
  return Number(m[1] === '-' ? -milli : milli);
}

const suffixForExponent: [number, string][] = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm']];

/** Formats a milli-value as Kubernetes prints `resource.NewMilliQuantity(v, DecimalSI)`: "250m", "2", "1500m", "3k". */
export function formatMilli(milli: number): string {
  const v = BigInt(Math.trunc(milli));
  if (v === 0n) return '0';
  for (const [exp, suffix] of suffixForExponent) {
    const unit = 10n ** BigInt(exp + 3);
    if (v % unit === 0n) return `${(v / unit).toString()}${suffix}`;
  }
  return `${v.toString()}m`;
}
