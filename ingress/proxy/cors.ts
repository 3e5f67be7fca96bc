/** `enable-cors`: preflight answers and response headers, as ingress-nginx's cors template. Pure. */
import type { OutgoingHttpHeaders } from 'node:http';
import type { CorsPolicy } from '../annotations/index.js';

function originAllowed(policy: CorsPolicy, origin: string): boolean {
  for (const o of policy.allowOrigins) {
    if (o === '*' || o === origin) return true;
    const m = /^(https?:\/\/)\*\.(.+)$/.exec(o);
    if (m !== null && origin.startsWith(m[1] ?? '') && origin.endsWith(`.${m[2] ?? ''}`)) return true;
  }
  return false;
}

/** The CORS headers for a request from `origin` (none when the origin is not allowed). */
export function corsHeaders(policy: CorsPolicy, origin: string | undefined, preflight: boolean): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {};
  const star = policy.allowOrigins.includes('*') && !policy.allowCredentials;
  if (origin === undefined && !star) return h;
  if (origin !== undefined && !originAllowed(policy, origin)) return h;
  h['access-control-allow-origin'] = star ? '*' : origin;
  if (!star) h.vary = 'Origin';
  if (policy.allowCredentials) h['access-control-allow-credentials'] = 'true';
  if (policy.exposeHeaders.length > 0) h['access-control-expose-headers'] = policy.exposeHeaders.join(', ');
  if (preflight) {
    h['access-control-allow-methods'] = policy.allowMethods.join(', ');
    h['access-control-allow-headers'] = policy.allowHeaders.join(', ');
    h['access-control-max-age'] = String(policy.maxAgeSeconds);
  }
  return h;
}

export function isPreflight(method: string | undefined, headers: Record<string, string | string[] | undefined>): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}
