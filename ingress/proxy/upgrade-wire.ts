/**
 * The bytes of an `Upgrade` exchange the proxy writes itself on a client connection Node has handed over (no
 * ServerResponse exists for it): the 101 head, a relayed non-101 response head and its chunked body, and an
 * upgrade request re-serialised without its upgrade so the HTTP server can parse it again. Pure.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { HeaderList } from './headers.js';

/** Lower-case protocol names of an `Upgrade` header (`websocket`, `h2c`, `foo/1.1` → `foo/1.1`). */
export function upgradeProtocols(v: string | string[] | undefined): string[] {
  const out: string[] = [];
  for (const part of ([] as string[]).concat(v ?? [])) for (const t of part.split(',')) { const s = t.trim().toLowerCase(); if (s !== '') out.push(s); }
  return out;
}

/**
 * Whether a backend's `101 Switching Protocols` may become a tunnel: RFC 9110 §7.8 has the server name in its
 * `Upgrade` the protocol(s) it switches to, which must be ones the client asked for. A 101 naming none, or one
 * the client did not offer, is not a switch the client agreed to.
 */
export function switchAllowed(requested: string | string[] | undefined, answered: string | string[] | undefined): boolean {
  const offered = new Set(upgradeProtocols(requested));
  const chosen = upgradeProtocols(answered);
  return chosen.length > 0 && chosen.every((p) => offered.has(p));
}

function headLines(list: HeaderList): string {
  let out = '';
  for (let i = 0; i < list.length; i += 2) out += `${list[i] ?? ''}: ${list[i + 1] ?? ''}\r\n`;
  return out;
}

/** A response head: status line, headers, blank line. */
export function responseHead(status: number, reason: string, headers: HeaderList): string {
  return `HTTP/1.1 ${status} ${reason}\r\n${headLines(headers)}\r\n`;
}

/** A request head (for the backend, or for re-parsing by the proxy's own server). */
export function requestHead(method: string, target: string, version: string, headers: HeaderList): string {
  return `${method} ${target} HTTP/${version}\r\n${headLines(headers)}\r\n`;
}

/**
 * `raw` (Node's rawHeaders) without `Upgrade` and without the `upgrade` token of `Connection` (the header is
 * dropped when nothing else is listed): the same request as one that never asked to switch protocols.
 */
export function withoutUpgrade(raw: readonly string[]): HeaderList {
  const out: HeaderList = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    const k = name.toLowerCase();
    if (k === 'upgrade') continue;
    if (k === 'connection') {
      const rest = value.split(',').map((t) => t.trim()).filter((t) => t !== '' && t.toLowerCase() !== 'upgrade');
      if (rest.length > 0) out.push(name, rest.join(', '));
      continue;
    }
    out.push(name, value);
  }
  return out;
}

/** Whether a client connection may carry another request after this one (HTTP/1.1 without `Connection: close`). */
export function clientKeepsAlive(version: string, connection: string | undefined): boolean {
  if (version !== '1.1') return false;
  return !(connection ?? '').split(',').some((t) => t.trim().toLowerCase() === 'close');
}

/** Whether a response to `method` with `status` has no body whatever its headers say (RFC 9112 §6.3). */
export function bodiless(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** Encodes a byte stream as HTTP/1.1 chunked transfer coding, with the terminating zero chunk. */
export class ChunkedEncoder extends Transform {
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (chunk.length === 0) { done(); return; }
    this.push(`${chunk.length.toString(16)}\r\n`);
    this.push(chunk);
    done(null, '\r\n');
  }

  override _flush(done: TransformCallback): void {
    done(null, '0\r\n\r\n');
  }
}
