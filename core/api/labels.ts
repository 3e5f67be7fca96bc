/** Label-selector requirements and their validation (apimachinery `labels.NewRequirement`). */
import { ApiError } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'DoubleEquals' | 'NotEquals' | 'GreaterThan' | 'LessThan';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted, de-duplicated values. */
  readonly values: readonly string[];
}

/** A parsed label selector. `nothing` matches no object (a null LabelSelector); no requirements matches all. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  readonly nothing?: boolean;
}

export type Labels = Readonly<Record<string, string>> | undefined;

export const everything: Selector = { requirements: [] };
export const nothing: Selector = { requirements: [], nothing: true };

function selectorError(message: string): ApiError {
  return new ApiError('BadRequest', `unable to parse requirement: ${message}`);
}

/** Validates and builds one requirement (Kubernetes `NewRequirement`); throws ApiError BadRequest. */
export function newRequirement(key: string, operator: SelectorOperator, values: readonly string[]): Requirement {
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) throw selectorError(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  switch (operator) {
    case 'In': case 'NotIn':
      if (values.length === 0) throw selectorError('values: Invalid value: []: for \'in\', \'notin\' operators, values set can\'t be empty');
      break;
    case 'Equals': case 'DoubleEquals': case 'NotEquals':
      if (values.length !== 1) throw selectorError('values: Invalid value: exact-match compatibility requires one single value');
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length !== 0) throw selectorError('values: Invalid value: values set must be empty for exists and does not exist');
      break;
    case 'GreaterThan': case 'LessThan':
      if (values.length !== 1 || !/^-?[0-9]+$/.test(values[0] ?? '')) {
        throw selectorError('values: Invalid value: for \'Gt\', \'Lt\' operators, exactly one integer value is required');
      }
      break;
  }
  if (operator !== 'GreaterThan' && operator !== 'LessThan') {
    for (const v of values) {
      const errs = isValidLabelValue(v);
      if (errs.length > 0) throw selectorError(`values[0][${key}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}`);
    }
  }
  return { key, operator, values: [...new Set(values)].sort() };
}
