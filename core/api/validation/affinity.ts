/** Node selector terms (node affinity, PV node affinity): operators and values as Kubernetes checks them. */
import type { FieldError } from '../errors.js';
import type { Affinity, NodeSelectorTerm } from '../kinds/core.js';
import { fromMessages, forbidden, invalid, notSupported, required } from './field.js';
import { isQualifiedName } from './names.js';

const OPERATORS = ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'];

export function validateNodeSelectorTerm(term: NodeSelectorTerm, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['matchExpressions', 'matchFields'] as const) {
    (term[list] ?? []).forEach((r, i) => {
      const p = `${path}.${list}[${i}]`;
      const values = r.values ?? [];
      if (list === 'matchExpressions') errs.push(...fromMessages(`${p}.key`, r.key, isQualifiedName(r.key ?? '')));
      else if (r.key !== 'metadata.name') errs.push(invalid(`${p}.key`, r.key, 'not a valid field selector key'));
      switch (r.operator) {
        case 'In': case 'NotIn':
          if (values.length === 0) errs.push(required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
          break;
        case 'Exists': case 'DoesNotExist':
          if (values.length > 0) errs.push(forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
          break;
        case 'Gt': case 'Lt':
          if (values.length !== 1) errs.push(required(`${p}.values`, 'must be specified single value when `operator` is \'Lt\' or \'Gt\''));
          else if (!/^-?[0-9]+$/.test(values[0] ?? '')) errs.push(invalid(`${p}.values[0]`, values[0], 'must be an integer'));
          break;
        default:
          errs.push(notSupported(`${p}.operator`, r.operator, OPERATORS));
      }
    });
  }
  return errs;
}

/** Validates node affinity terms and preferred-term weights (pod (anti-)affinity is preserved, not checked). */
export function validateAffinity(a: Affinity | undefined, path: string): FieldError[] {
  const na = a?.nodeAffinity;
  if (!na) return [];
  const errs: FieldError[] = [];
  const req = na.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) {
    const p = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    if ((req.nodeSelectorTerms ?? []).length === 0) errs.push(required(p, 'must have at least one node selector term'));
    (req.nodeSelectorTerms ?? []).forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, `${p}[${i}]`)));
  }
  (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const p = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (!(t.weight >= 1 && t.weight <= 100)) errs.push(invalid(`${p}.weight`, t.weight, 'must be in the range 1-100'));
    if (t.preference) errs.push(...validateNodeSelectorTerm(t.preference, `${p}.preference`));
  });
  return errs;
}
