/** Parses an Ingress's `nginx.ingress.kubernetes.io/*` annotations into typed values. Pure. */
import {
  ANNOTATION_PREFIX,
  type AnnotationProblem, type CanaryAnnotations, type CorsPolicy, type IngressAnnotations,
  type LoadBalance, type ParsedAnnotations, type SessionAffinity,
} from './types.js';
import {
  clip, parseBool, parseHashBy, parseHeaderName, parseIntIn, parseList, parseMethod, parseNginxSize,
  parseOrigin, parsePathValue, parseRegex, parseSafeValue, parseToken, type Parsed,
} from './values.js';
import { compileRegex, type SafeRegex } from './regex.js';

/** A pattern parseRegex already accepted. */
function compiled(pattern: string): SafeRegex | undefined {
  const c = compileRegex(pattern);
  return c.ok ? c.regex : undefined;
}

const DAY = 86_400;

export const DEFAULT_ANNOTATIONS: IngressAnnotations = Object.freeze({
  rewriteTarget: undefined,
  useRegex: false,
  sslRedirect: true,
  forceSslRedirect: false,
  proxyBodySizeBytes: 1024 * 1024,
  proxyConnectTimeoutSeconds: 5,
  proxyReadTimeoutSeconds: 60,
  proxySendTimeoutSeconds: 60,
  limitRps: undefined,
  limitBurstMultiplier: 5,
  canary: false,
  canaryPolicy: Object.freeze({
    weight: undefined, weightTotal: 100, header: undefined, headerValue: undefined, headerPattern: undefined,
    headerRegex: undefined, cookie: undefined,
  }),
  affinity: undefined,
  cors: undefined,
  loadBalance: 'round_robin',
  upstreamHashBy: undefined,
});

const DEFAULT_CORS: CorsPolicy = Object.freeze({
  allowOrigins: Object.freeze(['*']),
  allowMethods: Object.freeze(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']),
  allowHeaders: Object.freeze(['DNT', 'Keep-Alive', 'User-Agent', 'X-Requested-With', 'If-Modified-Since',
    'Cache-Control', 'Content-Type', 'Range', 'Authorization']),
  exposeHeaders: Object.freeze([]),
  allowCredentials: true,
  maxAgeSeconds: 1_728_000,
});

/** Every suffix after the prefix that skiff understands. Anything else under the prefix is reported as unsupported. */
const KNOWN = new Set([
  'rewrite-target', 'use-regex', 'ssl-redirect', 'force-ssl-redirect', 'proxy-body-size',
  'proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout', 'limit-rps', 'limit-burst-multiplier',
  'canary', 'canary-weight', 'canary-weight-total', 'canary-by-header', 'canary-by-header-value',
  'canary-by-header-pattern', 'canary-by-cookie', 'affinity', 'session-cookie-name', 'session-cookie-max-age',
  'session-cookie-path', 'enable-cors', 'cors-allow-origin', 'cors-allow-methods', 'cors-allow-headers',
  'cors-expose-headers', 'cors-allow-credentials', 'cors-max-age', 'load-balance', 'upstream-hash-by',
]);

/** Reads annotations, collecting a problem per invalid or unsupported one. */
class Reader {
  readonly problems: AnnotationProblem[] = [];
  constructor(private readonly all: Readonly<Record<string, string>>) {}

  /** Parses `prefix + name`; returns `fallback` when absent or invalid (recording a problem when invalid). */
  get<T>(name: string, parse: (raw: string) => Parsed<T>, fallback: T): T {
    const key = ANNOTATION_PREFIX + name;
    const raw = this.all[key];
    if (raw === undefined) return fallback;
    const p = parse(raw);
    if (p.ok) return p.value;
    this.problems.push({ annotation: key, reason: 'InvalidAnnotation', message: `${key}: ${p.message}; using the default` });
    return fallback;
  }

  has(name: string): boolean {
    return this.all[ANNOTATION_PREFIX + name] !== undefined;
  }

  invalid(name: string, message: string): void {
    const key = ANNOTATION_PREFIX + name;
    this.problems.push({ annotation: key, reason: 'InvalidAnnotation', message: `${key}: ${message}` });
  }

  reportUnsupported(): void {
    for (const key of Object.keys(this.all).sort()) {
      if (!key.startsWith(ANNOTATION_PREFIX) || KNOWN.has(key.slice(ANNOTATION_PREFIX.length))) continue;
      this.problems.push({ annotation: key, reason: 'UnsupportedAnnotation', message: `${key} is not supported by skiff and was ignored` });
    }
  }
}

const LOAD_BALANCE = new Set<LoadBalance>(['round_robin', 'ewma', 'least_request']);

function parseLoadBalance(raw: string): Parsed<LoadBalance> {
  const v = raw.trim();
  for (const lb of LOAD_BALANCE) if (lb === v) return { ok: true, value: lb };
  return { ok: false, message: `"${clip(v)}" is not one of round_robin, ewma, least_request` };
}

function readCanary(r: Reader): CanaryAnnotations {
  const d = DEFAULT_ANNOTATIONS.canaryPolicy;
  const weightTotal = r.get('canary-weight-total', (s) => parseIntIn(s, 1, 1_000_000), d.weightTotal);
  let weight = r.get<number | undefined>('canary-weight', (s) => parseIntIn(s, 0, 1_000_000), undefined);
  if (weight !== undefined && weight > weightTotal) {
    r.invalid('canary-weight', `${weight} is greater than canary-weight-total ${weightTotal}; ignored`);
    weight = undefined;
  }
  const headerPattern = r.get<string | undefined>('canary-by-header-pattern', (s) => parseRegex(s), undefined);
  return Object.freeze({
    weight,
    weightTotal,
    header: r.get<string | undefined>('canary-by-header', parseToken, undefined),
    headerValue: r.get<string | undefined>('canary-by-header-value', parseSafeValue, undefined),
    headerPattern,
    headerRegex: headerPattern === undefined ? undefined : compiled(headerPattern),
    cookie: r.get<string | undefined>('canary-by-cookie', parseToken, undefined),
  });
}

function readAffinity(r: Reader): SessionAffinity | undefined {
  const type = r.get<'cookie' | undefined>('affinity', (s) => (s.trim() === 'cookie'
    ? { ok: true, value: 'cookie' } : { ok: false, message: 'only "cookie" is supported' }), undefined);
  if (type === undefined) return undefined;
  return Object.freeze({
    type,
    cookieName: r.get('session-cookie-name', parseToken, 'INGRESSCOOKIE'),
    maxAgeSeconds: r.get<number | undefined>('session-cookie-max-age', (s) => parseIntIn(s, 1, 10 * 365 * DAY), undefined),
    path: r.get<string | undefined>('session-cookie-path', parsePathValue, undefined),
  });
}

function readCors(r: Reader): CorsPolicy | undefined {
  if (!r.get('enable-cors', parseBool, false)) return undefined;
  const d = DEFAULT_CORS;
  return Object.freeze({
    allowOrigins: Object.freeze(r.get('cors-allow-origin', (s) => parseList(s, parseOrigin), [...d.allowOrigins])),
    allowMethods: Object.freeze(r.get('cors-allow-methods', (s) => parseList(s, parseMethod), [...d.allowMethods])),
    allowHeaders: Object.freeze(r.get('cors-allow-headers', (s) => parseList(s, parseHeaderName), [...d.allowHeaders])),
    exposeHeaders: Object.freeze(r.get('cors-expose-headers', (s) => parseList(s, parseHeaderName), [...d.exposeHeaders])),
    allowCredentials: r.get('cors-allow-credentials', parseBool, d.allowCredentials),
    maxAgeSeconds: r.get('cors-max-age', (s) => parseIntIn(s, 0, 365 * DAY), d.maxAgeSeconds),
  });
}

/**
 * Parses `annotations` (an Ingress's `metadata.annotations`, possibly undefined). Invalid values are reported
 * and replaced by the default; nothing from the input reaches the result unless it passed validation.
 * The result is deeply frozen.
 */
export function parseAnnotations(annotations: Readonly<Record<string, string>> | undefined): ParsedAnnotations {
  const r = new Reader(annotations ?? {});
  const d = DEFAULT_ANNOTATIONS;
  const timeout = (s: string): Parsed<number> => parseIntIn(s, 1, DAY);
  const parsed: IngressAnnotations = Object.freeze({
    rewriteTarget: r.get<string | undefined>('rewrite-target', parsePathValue, undefined),
    useRegex: r.get('use-regex', parseBool, d.useRegex),
    sslRedirect: r.get('ssl-redirect', parseBool, d.sslRedirect),
    forceSslRedirect: r.get('force-ssl-redirect', parseBool, d.forceSslRedirect),
    proxyBodySizeBytes: r.get('proxy-body-size', parseNginxSize, d.proxyBodySizeBytes),
    proxyConnectTimeoutSeconds: r.get('proxy-connect-timeout', timeout, d.proxyConnectTimeoutSeconds),
    proxyReadTimeoutSeconds: r.get('proxy-read-timeout', timeout, d.proxyReadTimeoutSeconds),
    proxySendTimeoutSeconds: r.get('proxy-send-timeout', timeout, d.proxySendTimeoutSeconds),
    limitRps: r.get<number | undefined>('limit-rps', (s) => parseIntIn(s, 0, 1_000_000), undefined) || undefined,
    limitBurstMultiplier: r.get('limit-burst-multiplier', (s) => parseIntIn(s, 1, 1000), d.limitBurstMultiplier),
    canary: r.get('canary', parseBool, d.canary),
    canaryPolicy: readCanary(r),
    affinity: readAffinity(r),
    cors: readCors(r),
    loadBalance: r.get('load-balance', parseLoadBalance, d.loadBalance),
    upstreamHashBy: r.get<string | undefined>('upstream-hash-by', parseHashBy, undefined),
  });
  r.reportUnsupported();
  return Object.freeze({ annotations: parsed, problems: Object.freeze(r.problems) });
}
