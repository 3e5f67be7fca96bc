/** Whether a plain-HTTP request must be redirected to HTTPS (ingress-nginx's ssl-redirect rules). Pure. */
import type { RouteMatch } from './types.js';

/**
 * `force-ssl-redirect` always redirects plain HTTP; `ssl-redirect` (default true) redirects only when the
 * request's host has TLS configured. Requests that already arrived over TLS are never redirected.
 */
export function needsHttpsRedirect(match: RouteMatch, hostHasTls: boolean, requestIsTls: boolean): boolean {
  if (requestIsTls) return false;
  return match.annotations.forceSslRedirect || (hostHasTls && match.annotations.sslRedirect);
}
