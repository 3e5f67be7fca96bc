/** Resource lists and requirements: names, quantities, requests ≤ limits. */
import type { FieldError } from '../errors.js';
import type { ResourceRequirements } from '../kinds/core.js';
import { compareQuantities, parseQuantity, quantityToString } from '../quantity.js';
import { fromMessages, invalid, GE0 } from './field.js';
import { isQualifiedName } from './names.js';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** Parses a quantity field, returning an error (Kubernetes' message) when it does not parse. */
export function checkQuantity(field: string, v: unknown): FieldError[] {
  if (typeof v !== 'string' && typeof v !== 'number') return [invalid(field, v, 'must be a quantity')];
  try {
    parseQuantity(v);
    return [];
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/^"[^"]*": /, '') : String(e);
    return [invalid(field, v, msg)];
  }
}

/** A quantity that parses and is not negative. */
export function nonNegativeQuantity(field: string, v: unknown): FieldError[] {
  const errs = checkQuantity(field, v);
  if (errs.length > 0) return errs;
  return compareQuantities(v as string | number, 0) < 0 ? [invalid(field, v, GE0)] : [];
}

function isContainerResourceName(name: string): string[] {
  const qn = isQualifiedName(name);
  if (qn.length > 0) return qn;
  if (standardContainerResources.has(name) || name.startsWith('hugepages-') || name.includes('/')) return [];
  return ['must be a standard resource for containers'];
}

/** Validates a resource list such as `requests` (names and quantities); `field` is e.g. `…resources.requests`. */
export function validateResourceList(list: Record<string, unknown> | undefined, field: string, container = true): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    const p = `${field}[${name}]`;
    const nameErrs = container ? isContainerResourceName(name) : isQualifiedName(name);
    errs.push(...fromMessages(p, name, nameErrs));
    errs.push(...nonNegativeQuantity(p, q));
  }
  return errs;
}

/** Requests and limits valid, and every request ≤ its limit. */
export function validateResourceRequirements(r: ResourceRequirements | undefined, field: string): FieldError[] {
  if (!r) return [];
  const errs = [
    ...validateResourceList(r.limits, `${field}.limits`),
    ...validateResourceList(r.requests, `${field}.requests`),
  ];
  if (errs.length > 0) return errs;
  for (const [name, req] of Object.entries(r.requests ?? {})) {
    const limit = r.limits?.[name];
    if (limit === undefined) continue;
    if (compareQuantities(req, limit) > 0) {
      errs.push(invalid(`${field}.requests[${name}]`, quantityToString(parseQuantity(req)), `must be less than or equal to ${name} limit of ${quantityToString(parseQuantity(limit))}`));
    }
  }
  return errs;
}
