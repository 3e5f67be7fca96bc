/** SDK errors → CloudError, at the edge (STYLE.md §9). Pure. */
import { CloudError } from '../../core/cloud/index.js';
import type { CloudErrorCode } from '../../core/cloud/index.js';

export const THROTTLE_CODES: ReadonlySet<string> = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown']);

const byCode: Readonly<Record<string, CloudErrorCode>> = {
  DuplicateLoadBalancerName: 'AlreadyExists', DuplicateTargetGroupName: 'AlreadyExists', DuplicateListener: 'AlreadyExists',
  'InvalidPermission.Duplicate': 'AlreadyExists', IdempotentParameterMismatch: 'Conflict', AlreadyExists: 'AlreadyExists', AlreadyExistsFault: 'AlreadyExists',
  LoadBalancerNotFound: 'NotFound', TargetGroupNotFound: 'NotFound', ListenerNotFound: 'NotFound', 'InvalidVolume.NotFound': 'NotFound',
  'InvalidInstanceID.NotFound': 'NotFound', 'InvalidGroup.NotFound': 'NotFound', 'InvalidPermission.NotFound': 'NotFound', ValidationError: 'InvalidArgument',
  'InvalidAttachment.NotFound': 'NotFound', 'InvalidSubnetID.NotFound': 'NotFound', 'InvalidLaunchTemplateId.NotFound': 'NotFound',
  DependencyViolation: 'Conflict', ResourceInUse: 'Conflict', 'IncorrectState': 'Conflict', 'VolumeInUse': 'Conflict', ResourceContention: 'Conflict', ScalingActivityInProgress: 'Conflict',
  TooManyLoadBalancers: 'Quota', TooManyTargetGroups: 'Quota', TooManyListeners: 'Quota', VolumeLimitExceeded: 'Quota', LimitExceeded: 'Quota', InsufficientInstanceCapacity: 'Quota',
  UnauthorizedOperation: 'Unauthorized', AuthFailure: 'Unauthorized', AccessDenied: 'Unauthorized', AccessDeniedException: 'Unauthorized', InvalidClientTokenId: 'Unauthorized',
  InvalidParameterValue: 'InvalidArgument', InvalidParameter: 'InvalidArgument', InvalidParameterCombination: 'InvalidArgument', InvalidConfigurationRequest: 'InvalidArgument',
  UnsupportedOperation: 'Unsupported', UnsupportedProtocol: 'Unsupported',
};

interface SdkErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

/** The AWS error code of `e` (`name` on SDK v3 exceptions). */
export function awsErrorCode(e: unknown): string {
  const s = (e ?? {}) as SdkErrorShape;
  return s.Code ?? s.name ?? '';
}

/** Translates any error the SDK throws into a CloudError; CloudErrors and aborts pass through. */
export function translateAwsError(e: unknown): unknown {
  if (e instanceof CloudError) return e;
  const s = (e ?? {}) as SdkErrorShape;
  if (s.name === 'AbortError') return e;
  const code = awsErrorCode(e);
  const msg = `aws: ${code || 'error'}: ${s.message ?? String(e)}`;
  if (THROTTLE_CODES.has(code)) return new CloudError('Throttled', msg, { cause: e });
  const mapped = byCode[code] ?? (code.endsWith('.NotFound') || code.endsWith('NotFound') ? 'NotFound' : undefined);
  if (mapped) return new CloudError(mapped, msg, { cause: e });
  const status = s.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 || s.$fault === 'server' || /timeout|ECONNRESET|ECONNREFUSED|socket hang up|TimeoutError/i.test(`${code} ${s.message ?? ''}`)) {
    return new CloudError('Transient', msg, { cause: e });
  }
  if (status === 401 || status === 403) return new CloudError('Unauthorized', msg, { cause: e });
  if (status >= 400) return new CloudError('InvalidArgument', msg, { cause: e });
  return new CloudError('Transient', msg, { cause: e });
}

/** Whether `e` (raw SDK or translated) is throttling. */
export function isThrottle(e: unknown): boolean {
  if (e instanceof CloudError) return e.code === 'Throttled';
  return THROTTLE_CODES.has(awsErrorCode(e));
}
