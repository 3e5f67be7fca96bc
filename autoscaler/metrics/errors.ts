/** Typed errors of the metrics sources. */

export type MetricsErrorCode = 'Unavailable' | 'NotFound' | 'BadResponse' | 'NoRule';

/** A metric could not be fetched. `code` is stable; `cause` keeps the underlying error. */
export class MetricsError extends Error {
  constructor(readonly code: MetricsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetricsError';
  }
}

/** The message of any thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
