/** ControllerRevision validation (Kubernetes `ValidateControllerRevision`/`ValidateControllerRevisionUpdate`). */
import type { FieldError } from '../errors.js';
import type { ControllerRevision } from '../kinds/controllerrevision.js';
import type { KubeObject } from '../meta.js';
import { nonNegative, required } from './field.js';
import { immutable, validateObjectMeta } from './meta.js';

export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const cr = obj as ControllerRevision;
  const errs = validateObjectMeta(cr.metadata, { namespaced: true });
  if (cr.data === undefined || cr.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...nonNegative('revision', cr.revision));
  if (old) errs.push(...immutable('data', cr.data, (old as ControllerRevision).data));
  return errs;
}
