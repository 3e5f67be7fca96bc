/** The request's label and field selectors as one object filter (core/api parses them; bad syntax is a 400). */
import { compileFieldSelector, compileSelector, parseLabelSelector, selectorToString } from '../api/index.js';
import type { KubeObject, LabelSelector } from '../api/index.js';

type Pred = (obj: KubeObject) => boolean;

export function compileLabelSelector(s: string): Pred {
  const match = compileSelector(parseLabelSelector(s));
  return (obj) => match(obj.metadata.labels ?? {});
}

export { compileFieldSelector };

/** Combines the optional label and field selectors of a request into one filter (undefined when neither is set). */
export function compileSelectors(labelSelector: string | null, fieldSelector: string | null): Pred | undefined {
  const preds: Pred[] = [];
  if (labelSelector) preds.push(compileLabelSelector(labelSelector));
  if (fieldSelector) preds.push(compileFieldSelector(fieldSelector));
  if (preds.length === 0) return undefined;
  return (obj) => preds.every((p) => p(obj));
}

/** Formats a LabelSelector as the string form Scale's `status.selector` carries ("" for none). */
export function formatLabelSelector(sel: unknown): string {
  if (typeof sel !== 'object' || sel === null || Array.isArray(sel)) return '';
  try {
    return selectorToString(sel as LabelSelector);
  } catch {
    return '';
  }
}
