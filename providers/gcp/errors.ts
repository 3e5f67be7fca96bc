/** Compute errors → CloudError at the provider's edge (STYLE.md §9). Pure. */
import { CloudError } from '../../core/cloud/index.js';
import type { CloudErrorCode } from '../../core/cloud/index.js';

interface HttpLike {
  status?: unknown;
  code?: unknown;
  reason?: unknown;
  message?: unknown;
}

/** The API's first error `reason` (from a REST error body in the message, or a `reason` field). */
function reasonOf(e: HttpLike): string {
  if (typeof e.reason === 'string') return e.reason;
  const m = typeof e.message === 'string' ? e.message : '';
  const match = /"reason"\s*:\s*"([^"]+)"/.exec(m);
  return match?.[1] ?? '';
}

function messageOf(e: HttpLike): string {
  const m = typeof e.message === 'string' ? e.message : String(e);
  const match = /"message"\s*:\s*"([^"]+)"/.exec(m);
  return match?.[1] ?? m;
}

const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** The code for an HTTP status and API reason. */
export function codeFor(status: number, reason: string): CloudErrorCode {
  if (status === 429 || reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded') return 'Throttled';
  if (reason === 'quotaExceeded' || reason === 'QUOTA_EXCEEDED') return 'Quota';
  if (status === 404) return 'NotFound';
  if (status === 409 || reason === 'alreadyExists') return 'AlreadyExists';
  if (reason === 'resourceInUseByAnotherResource' || reason === 'resourceNotReady') return 'Conflict';
  if (status === 401 || status === 403) return 'Unauthorized';
  if (status === 400 || status === 412) return 'InvalidArgument';
  if (status >= 500) return 'Transient';
  return 'Internal';
}

/** Translates an SDK or transport error; a CloudError passes through. */
export function toCloudError(e: unknown, what: string): CloudError {
  if (e instanceof CloudError) return e;
  const h = (typeof e === 'object' && e !== null ? e : {}) as HttpLike;
  const status = typeof h.status === 'number' ? h.status : typeof h.code === 'number' && h.code >= 100 ? h.code : undefined;
  if (status === undefined) {
    const name = (e as Error | undefined)?.name;
    if (name === 'AbortError') return new CloudError('Internal', `${what}: aborted`, { cause: e, retryable: false });
    const transient = typeof h.code === 'string' && networkCodes.has(h.code) || /socket hang up|fetch failed|ECONNRESET|timed? ?out/i.test(String(h.message));
    return new CloudError(transient ? 'Transient' : 'Internal', `${what}: ${String(h.message ?? e)}`, { cause: e });
  }
  const reason = reasonOf(h);
  return new CloudError(codeFor(status, reason), `${what}: ${messageOf(h)}`, { cause: e });
}

/** An operation that ended DONE with an error. Internal errors and rate limits are retryable. */
export function operationError(what: string, err: { code: string; message: string }): CloudError {
  const code: CloudErrorCode = err.code === 'QUOTA_EXCEEDED' ? 'Quota'
    : err.code === 'RESOURCE_ALREADY_EXISTS' || err.code === 'ALREADY_EXISTS' ? 'AlreadyExists'
      : err.code === 'RESOURCE_NOT_FOUND' ? 'NotFound'
        : err.code === 'RATE_LIMIT_EXCEEDED' ? 'Throttled'
          : err.code === 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE' || err.code === 'RESOURCE_NOT_READY' ? 'Conflict'
            : err.code.startsWith('INVALID') ? 'InvalidArgument' : 'Transient';
  return new CloudError(code, `${what}: operation failed: ${err.code}: ${err.message}`);
}
