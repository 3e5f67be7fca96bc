/**
 * Private stand-in for core/api's quantity helpers (`quantityToMilli`, `quantityToInt`) until they are
 * exported from core/api/index.ts. Handles the forms manifests use: plain, decimal SI, binary SI and
 * exponent suffixes, rounding up like Kubernetes' `MilliValue`/`Value`. Malformed input counts as 0.
 */

const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const pattern = /^([+-]?(?:\d+\.?\d*|\.\d+))([eE][+-]?\d+|[a-zA-Z]*)$/;

/** The value times `scale` (1000 for milli-units, 1 for base units), rounded up. */
function scaled(input: string | number, scale: number): number {
  if (typeof input === 'number') return Math.ceil(input * scale);
  const m = pattern.exec(input.trim());
  if (!m) return 0;
  const num = Number(m[1]);
  const suffix = m[2] ?? '';
  let factor: number;
  if (/^[eE]/.test(suffix)) factor = 10 ** Number(suffix.slice(1));
  else if (decimal[suffix] !== undefined) factor = 10 ** decimal[suffix];
  else if (binary[suffix] !== undefined) factor = 2 ** binary[suffix];
  else return 0;
  // Round to 9 significant decimals first so 0.1 * 1000 is 100, not 100.00000000000001.
  const v = Number((num * factor * scale).toPrecision(15));
  return Math.ceil(v);
}

/** `500m` → 500, `2` → 2000. */
export function toMilli(q: string | number): number {
  return scaled(q, 1000);
}

/** `64Mi` → 67108864, `1k` → 1000. */
export function toUnits(q: string | number): number {
  return scaled(q, 1);
}
