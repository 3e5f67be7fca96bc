/** Server-side-apply conflicts and the 409 Kubernetes answers with. */
import { ApiError } from '../../api/index.js';

/** A field the applier would change that another manager owns. */
export interface ApplyConflict {
  /** The other manager, e.g. `kubectl-client-side-apply`. */
  manager: string;
  /** The apiVersion that manager last wrote with, e.g. `apps/v1`. */
  apiVersion?: string;
  /** Kubernetes' printed path, e.g. `.spec.replicas` or `.spec.template.spec.containers[name="a"].image`. */
  field: string;
}

const owner = (c: ApplyConflict): string => `"${c.manager}"${c.apiVersion ? ` using ${c.apiVersion}` : ''}`;

/**
 * Kubernetes' message: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas`;
 * several fields of one manager are listed one per line.
 */
export function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  const groups = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) groups.set(owner(c), [...(groups.get(owner(c)) ?? []), c]);
  const parts = [...groups.entries()].map(([who, cs]) =>
    cs.length === 1 ? `conflict with ${who}: ${cs[0]?.field ?? ''}` : `conflicts with ${who}:\n${cs.map((c) => `- ${c.field}`).join('\n')}`,
  );
  const n = conflicts.length;
  return `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`;
}

/** The 409 Conflict `ApiError` for `conflicts`, with one `FieldManagerConflict` cause per field. */
export function conflictError(conflicts: readonly ApplyConflict[]): ApiError {
  return new ApiError('Conflict', conflictMessage(conflicts), {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${owner(c)}`, field: c.field })),
  });
}
