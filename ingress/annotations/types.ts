/** Typed, validated values of the `nginx.ingress.kubernetes.io/*` annotations skiff honours. */
import type { SafeRegex } from './regex.js';

export const ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

export type LoadBalance = 'round_robin' | 'ewma' | 'least_request';

export interface CanaryAnnotations {
  /** Percentage-like weight in `[0, weightTotal]`; `undefined` when not set (never by weight). */
  readonly weight: number | undefined;
  /** `canary-weight-total`, default 100. */
  readonly weightTotal: number;
  /** Request header whose presence/value selects the canary (`always`/`never` unless `headerValue`/`headerPattern`). */
  readonly header: string | undefined;
  readonly headerValue: string | undefined;
  /** Source of a case-sensitive regular expression, already checked to compile. */
  readonly headerPattern: string | undefined;
  /** `headerPattern` compiled once (no flags, unanchored, as ingress-nginx's `ngx.re.match`). */
  readonly headerRegex: SafeRegex | undefined;
  /** Cookie whose value `always`/`never` selects the canary. */
  readonly cookie: string | undefined;
}

export interface SessionAffinity {
  readonly type: 'cookie';
  readonly cookieName: string;
  /** Seconds; `undefined` means a session cookie. */
  readonly maxAgeSeconds: number | undefined;
  /** `undefined` means "the rule's path" (ingress-nginx's default). */
  readonly path: string | undefined;
}

export interface CorsPolicy {
  /** Each entry is `*` or an origin such as `https://a.example.com` (a `*.` wildcard label allowed). */
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds: number;
}

export interface IngressAnnotations {
  /** Rewrite target such as `/` or `/$2`; `undefined` when not rewriting. */
  readonly rewriteTarget: string | undefined;
  readonly useRegex: boolean;
  readonly sslRedirect: boolean;
  readonly forceSslRedirect: boolean;
  /** Maximum request body in bytes; `null` means unlimited (`proxy-body-size: 0`). Default 1m. */
  readonly proxyBodySizeBytes: number | null;
  readonly proxyConnectTimeoutSeconds: number;
  readonly proxyReadTimeoutSeconds: number;
  readonly proxySendTimeoutSeconds: number;
  /** Requests per second per client address; `undefined` when not limited. */
  readonly limitRps: number | undefined;
  readonly limitBurstMultiplier: number;
  /** `true` when `canary: "true"`; the canary fields below are only meaningful then. */
  readonly canary: boolean;
  readonly canaryPolicy: CanaryAnnotations;
  readonly affinity: SessionAffinity | undefined;
  /** `undefined` unless `enable-cors: "true"`. */
  readonly cors: CorsPolicy | undefined;
  readonly loadBalance: LoadBalance;
  /** nginx variable expression such as `$request_uri` or `$http_x_user$cookie_id`. */
  readonly upstreamHashBy: string | undefined;
}

/** One annotation that could not be used; its default applied instead. */
export interface AnnotationProblem {
  /** Full annotation key. */
  readonly annotation: string;
  readonly reason: 'InvalidAnnotation' | 'UnsupportedAnnotation';
  readonly message: string;
}

export interface ParsedAnnotations {
  readonly annotations: IngressAnnotations;
  readonly problems: readonly AnnotationProblem[];
}
