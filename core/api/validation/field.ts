/** FieldError builders with Kubernetes' messages (apimachinery `field.ErrorList`). */
import type { FieldError } from '../errors.js';

/** Renders a value the way Kubernetes' field errors do: strings quoted, numbers bare, string maps Go-style. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return 'null';
  if (!Array.isArray(v) && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string')) {
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

export const required = (field: string, detail = ''): FieldError =>
  ({ field, type: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value' });

export const invalid = (field: string, value: unknown, detail: string): FieldError =>
  ({ field, type: 'FieldValueInvalid', message: `Invalid value: ${showValue(value)}${detail ? `: ${detail}` : ''}` });

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError =>
  ({ field, type: 'FieldValueNotSupported', message: `Unsupported value: ${showValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` });

export const duplicate = (field: string, value: unknown): FieldError =>
  ({ field, type: 'FieldValueDuplicate', message: `Duplicate value: ${showValue(value)}` });

export const forbidden = (field: string, detail: string): FieldError =>
  ({ field, type: 'FieldValueForbidden', message: `Forbidden: ${detail}` });

export const tooLong = (field: string, max: number): FieldError =>
  ({ field, type: 'FieldValueTooLong', message: `Too long: may not be more than ${max} bytes` });

export const tooMany = (field: string, actual: number, max: number): FieldError =>
  ({ field, type: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items` });

export const notFound = (field: string, value: unknown): FieldError =>
  ({ field, type: 'FieldValueNotFound', message: `Not found: ${showValue(value)}` });

/** `Invalid value` errors for each message a string validator (isDNS1123Label…) returns. */
export function fromMessages(field: string, value: unknown, messages: readonly string[]): FieldError[] {
  return messages.map((m) => invalid(field, value, m));
}

export const GE0 = 'must be greater than or equal to 0';

/** `Invalid value: -1: must be greater than or equal to 0` when `v` is a negative number. */
export function nonNegative(field: string, v: number | undefined): FieldError[] {
  return v !== undefined && v < 0 ? [invalid(field, v, GE0)] : [];
}

/** Errors when `v` is set and not a positive number (Kubernetes' `must be greater than 0`). */
export function positive(field: string, v: number | undefined): FieldError[] {
  return v !== undefined && v <= 0 ? [invalid(field, v, 'must be greater than 0')] : [];
}

/** Port numbers 1..65535. */
export function portNumber(field: string, v: number | undefined): FieldError[] {
  if (v === undefined) return [];
  return Number.isInteger(v) && v >= 1 && v <= 65535 ? [] : [invalid(field, v, 'must be between 1 and 65535, inclusive')];
}

/** A value among `supported` (when set, or always when `requiredValue`). */
export function oneOf(field: string, v: string | undefined, supported: readonly string[], requiredValue = false): FieldError[] {
  if (v === undefined || v === '') return requiredValue ? [required(field)] : [];
  return supported.includes(v) ? [] : [notSupported(field, v, supported)];
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
