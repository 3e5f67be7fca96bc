/**
 * core/apiserver/patch: the pure patch library behind PATCH requests — JSON patch (RFC 6902),
 * JSON merge patch (RFC 7386), Kubernetes strategic merge patch, and server-side apply with
 * managed-fields tracking. No I/O; nothing here mutates its inputs.
 *
 * Wiring, as Kubernetes does it:
 * - `patchTypeFromContentType(req content-type)`; undefined → 415.
 * - json/merge/strategic: patch the live object, then `recordUpdateManager(live, patched,
 *   fieldManager, schema, { now })` — and the same after every create/update — so that later
 *   applies see who owns what. Kubernetes' default manager names are `kubectl-client-side-apply`,
 *   `kubectl-create`, `kubectl-edit`, … (from the client's `fieldManager` or user agent).
 * - apply: `serverSideApply(live, body, fieldManager, schema, { force, now })`; non-empty
 *   `conflicts` → throw `conflictError(conflicts)` (409 with Kubernetes' message and causes).
 * - Every failure is a `PatchError` (an `ApiError`: 400 for malformed patches, 422 otherwise).
 */
export { PatchError, type PatchErrorCode } from './errors.js';
export { applyMergePatch } from './merge-patch.js';
export { applyJsonPatch, defaultMaxCopyBytes, type JsonPatchOptions } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic.js';
export { patchTypeFromContentType, type PatchType } from './content-type.js';
export { serverSideApply, recordUpdateManager, type ApplyOptions, type ApplyResult, type UpdateOptions } from './apply.js';
export { conflictMessage, conflictError, type ApplyConflict } from './conflicts.js';
