/** TLS certificates by SNI host, from `spec.tls` and `kubernetes.io/tls` Secrets. Pure. */
import type { Ingress, Secret } from '../../core/api/index.js';
import { normalizeHost, parseRuleHost, wildcardSuffix } from './host.js';
import { refOf } from './classes.js';
import type { RouteProblem, TlsCertificate } from './types.js';
import { clipForMessage } from '../annotations/index.js';

export interface TlsIndex {
  readonly exact: ReadonlyMap<string, TlsCertificate>;
  /** Keyed by the suffix after `*.`. */
  readonly wildcard: ReadonlyMap<string, TlsCertificate>;
}

/** Exact host first, then a one-label wildcard. `host` is an SNI name or Host header. */
export function lookupTls(index: TlsIndex, host: string): TlsCertificate | undefined {
  const h = normalizeHost(host);
  if (h === '') return undefined;
  const exact = index.exact.get(h);
  if (exact !== undefined) return exact;
  const suffix = wildcardSuffix(h);
  return suffix === undefined ? undefined : index.wildcard.get(suffix);
}

function decodePem(b64: string | undefined): string | undefined {
  if (b64 === undefined || !/^[A-Za-z0-9+/=\s]*$/.test(b64)) return undefined;
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return /-----BEGIN [A-Z ]+-----/.test(text) ? text : undefined;
}

type SecretCheck = { ok: true; cert: string; key: string } | { ok: false; problem: Pick<RouteProblem, 'reason' | 'message'> };

function checkSecret(secret: Secret | undefined, ns: string, name: string): SecretCheck {
  if (secret === undefined) return { ok: false, problem: { reason: 'TLSSecretNotFound', message: `TLS secret "${ns}/${name}" not found` } };
  if (secret.type !== 'kubernetes.io/tls') {
    return { ok: false, problem: { reason: 'TLSSecretInvalid', message: `secret "${ns}/${name}" is of type "${secret.type ?? 'Opaque'}", not kubernetes.io/tls` } };
  }
  const cert = decodePem(secret.data?.['tls.crt']);
  const key = decodePem(secret.data?.['tls.key']);
  if (cert === undefined || key === undefined) {
    return { ok: false, problem: { reason: 'TLSSecretInvalid', message: `secret "${ns}/${name}" lacks PEM tls.crt and tls.key` } };
  }
  return { ok: true, cert, key };
}

/** Hosts a `spec.tls` entry covers: its own list, or (when empty) every host of the Ingress's rules. */
function tlsHosts(ing: Ingress, hosts: readonly string[] | undefined): string[] {
  if (hosts !== undefined && hosts.length > 0) return [...hosts];
  return (ing.spec?.rules ?? []).map((r) => r.host ?? '').filter((h) => h !== '');
}

/** Builds the SNI index; `ingresses` oldest first, so the oldest claim on a host wins. */
export function buildTls(ingresses: readonly Ingress[], secrets: readonly Secret[]): { index: TlsIndex; problems: RouteProblem[] } {
  const byKey = new Map(secrets.map((s) => [`${s.metadata.namespace ?? 'default'}/${s.metadata.name ?? ''}`, s]));
  const exact = new Map<string, TlsCertificate>();
  const wildcard = new Map<string, TlsCertificate>();
  const problems: RouteProblem[] = [];
  for (const ing of ingresses) {
    const ref = refOf(ing);
    for (const tls of ing.spec?.tls ?? []) {
      if (tls.secretName === undefined || tls.secretName === '') continue;
      const check = checkSecret(byKey.get(`${ref.namespace}/${tls.secretName}`), ref.namespace, tls.secretName);
      if (!check.ok) {
        problems.push({ ingress: ref, ...check.problem });
        continue;
      }
      for (const raw of tlsHosts(ing, tls.hosts)) {
        const h = parseRuleHost(raw);
        if (!h.ok || h.kind === 'any') {
          problems.push({ ingress: ref, reason: 'InvalidHost', message: `spec.tls: ${h.ok ? 'empty host' : h.message}` });
          continue;
        }
        const target = h.kind === 'exact' ? exact : wildcard;
        const k = h.kind === 'exact' ? h.host : h.suffix;
        const existing = target.get(k);
        const secret = { namespace: ref.namespace, name: tls.secretName };
        if (existing !== undefined) {
          if (existing.secret.namespace !== secret.namespace || existing.secret.name !== secret.name) {
            problems.push({ ingress: ref, reason: 'Conflict',
              message: `TLS host "${clipForMessage(raw)}" already uses secret "${existing.secret.namespace}/${existing.secret.name}"; ignored` });
          }
          continue;
        }
        target.set(k, Object.freeze({ cert: check.cert, key: check.key, secret: Object.freeze(secret), host: raw.toLowerCase() }));
      }
    }
  }
  return { index: { exact, wildcard }, problems };
}
