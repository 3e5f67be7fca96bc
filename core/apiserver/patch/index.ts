/**
 * core/apiserver/patch: the pure patch library behind PATCH requests — JSON patch (RFC 6902),
 * JSON merge patch (RFC 7386), Kubernetes strategic merge patch, and server-side apply with
 * managed-fields tracking. No I/O.
 */
export { PatchError, type PatchErrorCode } from './errors.js';
export { applyMergePatch } from './merge-patch.js';
export { applyJsonPatch } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic.js';
export { patchTypeFromContentType, type PatchType } from './content-type.js';
export { serverSideApply, recordUpdateManager, type ApplyOptions, type ApplyResult, type UpdateOptions } from './apply.js';
export { conflictMessage, conflictError, type ApplyConflict } from './conflicts.js';
