/** Semantic validation of built-in kinds, keyed by `group/Kind`. */
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';

export const builtinValidators: Record<string, (obj: KubeObject, old?: KubeObject) => FieldError[]> = {};
export * from './names.js';
