/** Milli-value helpers over core/api's Kubernetes quantities, as the HPA math uses them. */
import { formatQuantity, quantityToMilli } from '../../core/api/index.js';

/** The quantity times 1000, rounded up like `resource.Quantity.MilliValue()`. */
export function quantityMilli(input: string): number {
  return quantityToMilli(input);
}

/** Formats a milli-value as Kubernetes prints `resource.NewMilliQuantity(v, DecimalSI)`: "250m", "2", "1500m". */
export function formatMilli(milli: number): string {
  return formatQuantity(BigInt(Math.trunc(milli)), 'DecimalSI', { unit: 'milli' });
}
