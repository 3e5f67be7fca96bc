/** API errors carried as Kubernetes `Status` objects, with stable reasons and HTTP codes. */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'Timeout'
  | 'InternalError'
  | 'ServiceUnavailable';

export interface StatusCause {
  /** e.g. `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, `FieldValueDuplicate`. */
  reason: string;
  message: string;
  /** Field path such as `spec.template.spec.containers[0].image`. */
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

const codes: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** A failure that the API server reports as a `Status` with `reason` and `code`. */
export class ApiError extends Error {
  readonly reason: StatusReason;
  readonly code: number;
  readonly details: StatusDetails | undefined;

  constructor(reason: StatusReason, message: string, details?: StatusDetails, options?: { cause?: unknown; code?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.reason = reason;
    this.code = options?.code ?? codes[reason];
    this.details = details;
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }

  /** Rebuilds an error from a `Status` body received from a server. */
  static fromStatus(s: Partial<Status>, httpCode: number): ApiError {
    const reason = (s.reason ?? reasonForCode(httpCode)) as StatusReason;
    return new ApiError(reason, s.message ?? `HTTP ${httpCode}`, s.details, { code: s.code ?? httpCode });
  }
}

function reasonForCode(code: number): StatusReason {
  const found = (Object.entries(codes) as [StatusReason, number][]).find(([, c]) => c === code);
  return found ? found[0] : 'InternalError';
}

/** A field error as collected by validation; many become one 422 `Invalid`. */
export interface FieldError {
  field: string;
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTypeInvalid'
    | 'FieldValueNotFound' | 'FieldValueTooMany';
  message: string;
}

/** Builds the 422 Kubernetes returns for invalid objects: `Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: ...`. */
export function invalid(kind: string, group: string, name: string, errs: readonly FieldError[]): ApiError {
  const qualified = group ? `${kind}.${group}` : kind;
  const parts = errs.map((e) => `${e.field}: ${e.message}`);
  const msg = `${qualified} "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
  return new ApiError('Invalid', msg, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.reason === 'NotFound';
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.reason === 'AlreadyExists';
export const isGone = (e: unknown): boolean => e instanceof ApiError && e.reason === 'Gone';
