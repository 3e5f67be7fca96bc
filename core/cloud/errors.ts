/** Typed cloud errors with stable codes (STYLE.md §9). Providers translate their SDK's errors into these at their edge. */

export type CloudErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Throttled'
  | 'Transient'
  | 'Quota'
  | 'InvalidArgument'
  | 'Unauthorized'
  | 'Conflict'
  | 'Unsupported'
  | 'Internal';

const retryableCodes: ReadonlySet<CloudErrorCode> = new Set(['Throttled', 'Transient', 'Conflict']);

export interface CloudErrorOptions {
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  /** Suggested wait before a retry (a cloud's Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class CloudError extends Error {
  override readonly name = 'CloudError';
  readonly code: CloudErrorCode;
  /** A retry with back-off may succeed (throttling, 5xx, eventual consistency). */
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: CloudErrorCode, message: string, opts: CloudErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retryable = opts.retryable ?? retryableCodes.has(code);
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export const isCloudError = (e: unknown, code?: CloudErrorCode): e is CloudError =>
  e instanceof CloudError && (code === undefined || e.code === code);

export const isCloudNotFound = (e: unknown): boolean => isCloudError(e, 'NotFound');

export const isRetryable = (e: unknown): boolean => e instanceof CloudError && e.retryable;

/** Resolves to `undefined` when `p` rejects with NotFound; rethrows anything else. */
export async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isCloudNotFound(e)) return undefined;
    throw e;
  }
}
