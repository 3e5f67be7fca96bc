/** Server-side-apply conflicts and the 409 Kubernetes answers with (fieldmanager's conflict.go). */
import { ApiError } from '../../api/index.js';

/** A field the applier would change that another manager owns. */
export interface ApplyConflict {
  /** The other manager, e.g. `kubectl-client-side-apply`. */
  manager: string;
  operation: 'Apply' | 'Update';
  /** For `Update` managers: the apiVersion they wrote with, e.g. `apps/v1`. */
  apiVersion?: string;
  /** The subresource the manager wrote through, e.g. `scale`. */
  subresource?: string;
  /** Kubernetes' printed path, e.g. `.spec.replicas` or `.spec.template.spec.containers[name="a"].image`. */
  field: string;
}

/** `"kubectl-client-side-apply" using apps/v1`, `"kubectl" with subresource "scale" using apps/v1`, or `"other-applier"`. */
function printManager(c: ApplyConflict): string {
  let s = JSON.stringify(c.manager);
  if (c.subresource) s += ` with subresource ${JSON.stringify(c.subresource)}`;
  if (c.operation === 'Update') s += ` using ${c.apiVersion ?? ''}`;
  return s;
}

/**
 * Kubernetes' message: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas`;
 * with several, `Apply failed with N conflicts: conflicts with <manager>:\n- <path>` per manager, managers sorted.
 */
export function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) return `Apply failed with 1 conflict: conflict with ${printManager(only)}: ${only.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(printManager(c), [...(byManager.get(printManager(c)) ?? []), c.field]);
  const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...(byManager.get(m) ?? []).map((f) => `- ${f}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The 409 Conflict `ApiError` for `conflicts`, with one `FieldManagerConflict` cause per field. */
export function conflictError(conflicts: readonly ApplyConflict[]): ApiError {
  return new ApiError('Conflict', conflictMessage(conflicts), {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: c.field })),
  });
}
