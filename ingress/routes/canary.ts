/** Per-request canary choice, as ingress-nginx's balancer makes it. Pure: randomness is injected. */
import type { Backend, RouteMatch } from './types.js';

export interface CanaryRequest {
  /** Request headers; names are compared case-insensitively (Node already lower-cases them). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Parsed `Cookie` header. */
  readonly cookies: Readonly<Record<string, string | undefined>>;
}

export interface BackendChoice {
  readonly backend: Backend;
  readonly canary: boolean;
}

function header(headers: CanaryRequest['headers'], name: string): string | undefined {
  const lower = name.toLowerCase();
  let v = headers[lower];
  if (v === undefined) {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) v = headers[k];
  }
  return Array.isArray(v) ? v[0] : (v as string | undefined);
}

/**
 * Chooses the primary or the canary backend of `match`, in ingress-nginx's order:
 * 1. `canary-by-header`: with `-value`, an equal header selects the canary; with `-pattern`, a matching one;
 *    otherwise `always`/`never`. Any other value falls through.
 * 2. `canary-by-cookie`: `always` → canary, `never` → primary; anything else falls through.
 * 3. `canary-weight`: canary with probability weight/weightTotal, drawing `rand()` (uniform in [0, 1)) once.
 */
export function chooseBackend(match: RouteMatch, request: CanaryRequest, rand: () => number): BackendChoice {
  const c = match.canary;
  if (c === undefined) return { backend: match.backend, canary: false };
  const yes: BackendChoice = { backend: c.backend, canary: true };
  const no: BackendChoice = { backend: match.backend, canary: false };
  const p = c.policy;
  if (p.header !== undefined) {
    const v = header(request.headers, p.header);
    if (v !== undefined) {
      if (p.headerValue !== undefined) {
        if (v === p.headerValue) return yes;
      } else if (p.headerRegex !== undefined) {
        if (p.headerRegex.test(v)) return yes;
      } else if (v === 'always') {
        return yes;
      } else if (v === 'never') {
        return no;
      }
    }
  }
  if (p.cookie !== undefined) {
    const v = request.cookies[p.cookie];
    if (v === 'always') return yes;
    if (v === 'never') return no;
  }
  if (p.weight === undefined || p.weight <= 0) return no;
  // math.random(total) in Lua: an integer in [1, total]; canary when it is ≤ weight.
  const draw = Math.min(p.weightTotal, Math.floor(rand() * p.weightTotal) + 1);
  return draw <= p.weight ? yes : no;
}
