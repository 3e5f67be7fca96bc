/** The typed error every patch function throws. */
import { ApiError, type StatusReason } from '../../api/index.js';

/** Stable codes for what went wrong, so callers and tests need not parse messages. */
export type PatchErrorCode =
  | 'InvalidPatch' // the patch document itself is malformed (400)
  | 'InvalidOperation' // a JSON patch op is unknown or lacks a member (400)
  | 'PathNotFound' // a JSON pointer names nothing (422)
  | 'TestFailed' // a JSON patch `test` did not match (422)
  | 'InvalidPath' // a pointer is malformed or crosses a primitive (422)
  | 'MissingMergeKey' // a merged list element lacks its merge key (422)
  | 'DuplicateKey' // an applied keyed list has two elements with one key (422)
  | 'InvalidDirective' // an unknown `$patch` value or misused directive (422)
  | 'TooManyOperations' // a JSON patch over Kubernetes' 10,000-operation limit (413)
  | 'CopyTooLarge'; // a JSON patch whose copies together add more than the copy limit (422)

function reasonFor(code: PatchErrorCode): StatusReason {
  if (code === 'InvalidPatch' || code === 'InvalidOperation') return 'BadRequest';
  return code === 'TooManyOperations' ? 'RequestEntityTooLarge' : 'Invalid';
}

/**
 * A patch that cannot be applied. It is an `ApiError`, so the API server can answer with
 * `toStatus()` directly: 400 BadRequest for malformed patch documents, 422 Invalid for
 * patches that are well formed but do not apply to the object, 413 for oversized JSON
 * patches (as Kubernetes does); 422 for a patch whose copies pass the copy-size limit.
 */
export class PatchError extends ApiError {
  readonly patchCode: PatchErrorCode;

  constructor(patchCode: PatchErrorCode, message: string) {
    super(reasonFor(patchCode), message);
    this.name = 'PatchError';
    this.patchCode = patchCode;
  }
}
