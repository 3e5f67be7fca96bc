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

export interface ForwardInfo {
  readonly clientIp: string;
  readonly proto: 'http' | 'https';
  readonly port: number;
  readonly host: string;
  /** Set for upgrade requests: keeps `Upgrade` and `Connection: upgrade`. */
  readonly upgrade?: boolean;
}

/**
 * A flat header list, as Node's `rawHeaders`, `writeHead(status, list)` and undici take it:
 * `[name, value, name, value, …]`, names as sent (any case), repeated names kept in order.
 */
export type HeaderList = string[];

/** Removes `names` (lower-case) from a flat list in place. */
function dropNames(list: HeaderList, names: ReadonlySet<string>): void {
  let w = 0;
  for (let r = 0; r < list.length; r += 2) {
    const k = list[r] ?? '';
    if (names.has(k.toLowerCase())) continue;
    list[w++] = k;
    list[w++] = list[r + 1] ?? '';
  }
  list.length = w;
}

/** Connection-listed names that are not already dropped by name (`close` and `keep-alive` are the usual ones). */
function extraListed(connection: string | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  const plain = connection.length <= 10 ? connection.toLowerCase() : '';
  if (plain === 'keep-alive' || plain === 'close') return undefined;
  const listed = connectionTokens(connection);
  for (const t of listed) if (t === 'close' || HOP_BY_HOP.has(t)) listed.delete(t);
  return listed.size === 0 ? undefined : listed;
}

/**
 * Upstream request headers from Node's `rawHeaders`, as a flat list: the end-to-end headers (hop-by-hop and
 * Connection-listed names dropped) plus ingress-nginx's forwarding headers, without building header objects.
 */
export function upstreamRequestHeaderList(raw: readonly string[], f: ForwardInfo): HeaderList {
  const out: HeaderList = [];
  let upgrade: string | undefined;
  let connection: string | undefined;
  let forwardedFor: string | undefined;
  let requestId: string | undefined;
  let host: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    const k = name.toLowerCase();
    if (k === 'host') { host ??= value; continue; }
    if (k === 'connection') { connection = connection === undefined ? value : `${connection}, ${value}`; continue; }
    if (k === 'x-forwarded-for') { forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`; continue; }
    if (k === 'x-request-id') { requestId ??= value; continue; }
    if (k === 'upgrade') { upgrade ??= value; continue; }
    if (FORWARDED.has(k) || HOP_BY_HOP.has(k) || k.startsWith('proxy-')) continue;
    out.push(name, value);
  }
  const listed = extraListed(connection);
  if (listed !== undefined) dropNames(out, listed);
  if (f.upgrade === true) {
    out.push('connection', 'upgrade');
    if (upgrade !== undefined) out.push('upgrade', upgrade);
  }
  out.push(
    'host', host ?? f.host,
    'x-request-id', validRequestId(requestId) ?? randomUUID(),
    'x-real-ip', f.clientIp,
    'x-forwarded-for', forwardedFor !== undefined && forwardedFor !== '' ? `${forwardedFor}, ${f.clientIp}` : f.clientIp,
    'x-forwarded-host', f.host,
    'x-forwarded-port', String(f.port),
    'x-forwarded-proto', f.proto,
  );
  return out;
}

/** `upstreamRequestHeaderList` for a header object (lower-case names), as an object. */
export function upstreamRequestHeaders(h: IncomingHttpHeaders, f: ForwardInfo): Record<string, string | string[]> {
  return headerListToObject(upstreamRequestHeaderList(objectToList(h), f));
}

/** Response headers from undici's raw form (Buffers, bytes kept as latin1) without hop-by-hop ones. */
export function downstreamResponseHeaderList(raw: readonly (Buffer | string)[]): HeaderList {
  const out: HeaderList = [];
  let connection: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]?.toString('latin1') ?? '';
    const value = raw[i + 1]?.toString('latin1') ?? '';
    const k = name.toLowerCase();
    if (k === 'connection') { connection = connection === undefined ? value : `${connection}, ${value}`; continue; }
    if (HOP_BY_HOP.has(k) || k.startsWith('proxy-')) continue;
    out.push(name, value);
  }
  const listed = extraListed(connection);
  if (listed !== undefined) dropNames(out, listed);
  return out;
}

/** `downstreamResponseHeaderList` for a header object, as an object. */
export function downstreamResponseHeaders(h: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  return headerListToObject(downstreamResponseHeaderList(objectToList(h)));
}

function objectToList(h: Record<string, string | string[] | undefined>): HeaderList {
  const out: HeaderList = [];
  for (const [k, v] of Object.entries(h)) for (const one of v === undefined ? [] : typeof v === 'string' ? [v] : v) out.push(k, one);
  return out;
}

/** Sets `name` (lower-case) in a flat list: earlier values of that name are replaced. */
export function setHeader(list: HeaderList, name: string, value: string | readonly string[]): void {
  dropNames(list, new Set([name]));
  for (const v of typeof value === 'string' ? [value] : value) list.push(name, v);
}

/** Appends one value of `name` to a flat list. */
export function appendHeader(list: HeaderList, name: string, value: string): void {
  list.push(name, value);
}

/** The flat list as an object with lower-case names (repeated names become arrays). */
export function headerListToObject(list: HeaderList): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < list.length; i += 2) {
    const k = (list[i] ?? '').toLowerCase();
    const v = list[i + 1] ?? '';
    const prior = out[k];
    out[k] = prior === undefined ? v : ([] as string[]).concat(prior, v);
  }
  return out;
}

function validRequestId(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' && REQUEST_ID.test(v) ? v : undefined;
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
