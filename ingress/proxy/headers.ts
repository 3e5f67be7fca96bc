/** Request/response header rules of the proxy: hop-by-hop stripping, X-Forwarded-*, X-Request-ID. Pure. */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'http2-settings',
]);
/** Replaced by the proxy (`expect` is answered by the proxy's own server, never forwarded). */
const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-real-ip', 'x-request-id', 'host', 'expect']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Names listed in a Connection header (lower-case). */
function connectionTokens(v: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of ([] as string[]).concat(v ?? [])) for (const t of part.split(',')) { const s = t.trim().toLowerCase(); if (s) out.add(s); }
  return out;
}

function isHopByHop(name: string, listed: ReadonlySet<string>, keepUpgrade: boolean): boolean {
  if (keepUpgrade && (name === 'upgrade' || name === 'connection')) return false;
  return HOP_BY_HOP.has(name) || listed.has(name) || name.startsWith('proxy-');
}

export interface ForwardInfo {
  readonly clientIp: string;
  readonly proto: 'http' | 'https';
  readonly port: number;
  readonly host: string;
  /** Set for upgrade requests: keeps `Upgrade` and `Connection: upgrade`. */
  readonly upgrade?: boolean;
}

/** Upstream request headers: end-to-end headers of `h` plus the forwarding headers (ingress-nginx's set). */
export function upstreamRequestHeaders(h: IncomingHttpHeaders, f: ForwardInfo): Record<string, string | string[]> {
  const listed = connectionTokens(h.connection);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || FORWARDED.has(k) || isHopByHop(k, listed, f.upgrade === true)) continue;
    out[k] = v;
  }
  if (f.upgrade === true) {
    out.connection = 'upgrade';
    if (typeof h.upgrade === 'string') out.upgrade = h.upgrade;
  }
  out.host = h.host ?? f.host;
  out['x-request-id'] = validRequestId(h['x-request-id']) ?? randomUUID();
  out['x-real-ip'] = f.clientIp;
  const prior = h['x-forwarded-for'];
  out['x-forwarded-for'] = typeof prior === 'string' && prior !== '' ? `${prior}, ${f.clientIp}` : f.clientIp;
  out['x-forwarded-host'] = f.host;
  out['x-forwarded-port'] = String(f.port);
  out['x-forwarded-proto'] = f.proto;
  return out;
}

function validRequestId(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' && REQUEST_ID.test(v) ? v : undefined;
}

/** Response headers without hop-by-hop ones (undici hands them as a flat object; Node as IncomingHttpHeaders). */
export function downstreamResponseHeaders(h: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const listed = connectionTokens(h.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || isHopByHop(k, listed, false)) continue;
    out[k] = v;
  }
  return out;
}

/** Parses a Cookie header into name → first value. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    if (!(k in out)) out[k] = part.slice(i + 1).trim();
  }
  return out;
}

/** The client address without an IPv4-mapped prefix. */
export function clientAddress(remote: string | undefined): string {
  if (remote === undefined) return '';
  return remote.startsWith('::ffff:') ? remote.slice(7) : remote;
}
