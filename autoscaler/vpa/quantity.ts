/** Quantity conversions for VPA recommendations (CPU in millicores, memory in bytes). */
import { formatMilli, quantityMilli } from '../hpa/index.js';

export const cpuMillicores = (q: string): number => quantityMilli(q);
export const memoryBytes = (q: string): number => Math.ceil(quantityMilli(q) / 1000);

/** CPU as VPA writes it: `resource.NewScaledQuantity(millicores, -3)` → "250m", "1", "1500m". */
export const formatCpu = (millicores: number): string => formatMilli(millicores);

/** Memory as VPA writes it: `resource.NewQuantity(bytes, BinarySI)` → "250Mi", "1Gi", "123456789". */
export function formatMemory(bytes: number): string {
  let v = BigInt(Math.trunc(bytes));
  if (v > -1024n && v < 1024n) return v.toString();
  const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let i = 0;
  while (i < suffixes.length - 1 && v % 1024n === 0n) {
    v /= 1024n;
    i++;
  }
  return `${v.toString()}${suffixes[i] ?? ''}`;
}
