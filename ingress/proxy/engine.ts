/** The forwarding engine contract: one request to one upstream endpoint, streamed both ways. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { HeaderList } from './headers.js';
import type { Upstream } from './upstreams.js';

export interface ForwardRequest {
  readonly method: string;
  /** The (normalised, possibly rewritten) path plus `?query`. */
  readonly path: string;
  /** Flat `[name, value, …]` list, hop-by-hop headers already removed. */
  readonly headers: HeaderList;
  /** The request body stream, or null when the request has none. */
  readonly body: Readable | null;
  /** The downstream request (its method, url and headers must not be relied on: use the fields above). */
  readonly incoming: IncomingMessage;
  readonly connectTimeoutMs: number;
  /** Time to the response headers and between body chunks. */
  readonly readTimeoutMs: number;
  /**
   * Called once with the upstream's final status and end-to-end headers (a flat list it may change in place);
   * returns the list to send downstream.
   */
  readonly onHeaders: ((status: number, headers: HeaderList) => HeaderList) | undefined;
}

export type FailureKind =
  /** Could not connect (refused, unreachable, connect timeout): nothing was sent. */
  | 'connect'
  /** The connection closed before any response byte (e.g. a reused keep-alive socket the server closed). */
  | 'reset'
  /** No response headers (or body progress) within the read timeout. */
  | 'timeout'
  | 'other';

export type ForwardOutcome =
  /** `headersAt`: `performance.now()` when the upstream's response headers arrived. */
  | { readonly ok: true; readonly status: number; readonly bytes: number; readonly headersAt: number }
  /** `responded`: response headers already went downstream (at `headersAt`), so the proxy can only cut the connection. */
  | { readonly ok: false; readonly kind: FailureKind; readonly responded: boolean; readonly error: Error; readonly headersAt: number };

/**
 * Forwards requests to upstream endpoints over kept-alive connections. `forward` never throws: it writes the
 * upstream response into `res` (status, headers via `onHeaders`, streamed body) and resolves when done, or
 * resolves with a failure, leaving `res` untouched unless `responded`.
 */
export interface Engine {
  readonly name: EngineName;
  forward(up: Upstream, req: ForwardRequest, res: ServerResponse): Promise<ForwardOutcome>;
  /** Closes idle connections to endpoints that are gone. */
  forget(address: string): void;
  close(): Promise<void>;
}

export type EngineName = 'undici' | 'http-proxy';
