/** Answers the proxy makes itself (errors, redirects, preflights). */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request', 404: 'Not Found', 413: 'Request Entity Too Large', 431: 'Request Header Fields Too Large',
  502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Timeout',
};

/** A small text answer. `close` asks the client to drop the connection (e.g. an unread request body). */
export function answer(res: ServerResponse, status: number, body?: string, headers: OutgoingHttpHeaders = {}, close = false): void {
  if (res.headersSent) { res.destroy(); return; }
  const text = body ?? `${status} ${STATUS_TEXT[status] ?? ''}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers,
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** The host of a Host header without its port (IPv6 literals keep their brackets). */
export function hostWithoutPort(host: string | undefined): string {
  if (host === undefined) return '';
  const m = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(host);
  return m?.[1] ?? host;
}
