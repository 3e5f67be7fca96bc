/** Quantity conversions for VPA recommendations (CPU in millicores, memory in bytes), over core/api quantities. */
import { formatQuantity, parseQuantity, quantityToInt, quantityToMilli, quantityToString } from '../../core/api/index.js';

export const cpuMillicores = (q: string): number => quantityToMilli(q);
export const memoryBytes = (q: string): number => quantityToInt(q);

/** CPU as VPA writes it: `resource.NewScaledQuantity(millicores, -3)` → "250m", "1", "1500m". */
export const formatCpu = (millicores: number): string => formatQuantity(BigInt(Math.trunc(millicores)), 'DecimalSI', { unit: 'milli' });

/** Memory as VPA writes it: `resource.NewQuantity(bytes, BinarySI)` → "250Mi", "1Gi", "123456789". */
export const formatMemory = (bytes: number): string => formatQuantity(BigInt(Math.trunc(bytes)), 'BinarySI');

/** A policy quantity in canonical form, as Kubernetes re-serializes it. */
export const canonical = (q: string): string => quantityToString(parseQuantity(q));
