/** Engine on undici: one `Pool` per endpoint (and connect timeout), `Pool.stream` straight into the response. */
import type { ServerResponse } from 'node:http';
import { Pool } from 'undici';
import type { Engine, FailureKind, ForwardOutcome, ForwardRequest } from './engine.js';
import { downstreamResponseHeaders } from './headers.js';
import type { Upstream } from './upstreams.js';

export interface UndiciEngineOptions {
  /** Kept-alive connections per endpoint. Default 128. */
  readonly connections?: number;
  /** Idle keep-alive time. Default 4 s (below Node servers' 5 s, so the proxy closes first). */
  readonly keepAliveMs?: number;
}

export function classify(e: unknown): FailureKind {
  const code = (e as { code?: string }).code ?? '';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'EADDRNOTAVAIL') return 'connect';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return 'reset';
  return 'other';
}

export class UndiciEngine implements Engine {
  readonly name = 'undici' as const;
  readonly #pools = new Map<string, Pool>();

  constructor(private readonly opts: UndiciEngineOptions = {}) {}

  #pool(up: Upstream, connectTimeoutMs: number): Pool {
    const key = `${up.address}|${connectTimeoutMs}`;
    let p = this.#pools.get(key);
    if (p === undefined) {
      p = new Pool(`http://${up.address}`, {
        connections: this.opts.connections ?? 128,
        keepAliveTimeout: this.opts.keepAliveMs ?? 4000,
        keepAliveMaxTimeout: this.opts.keepAliveMs ?? 4000,
        connect: { timeout: connectTimeoutMs },
        pipelining: 1,
      });
      this.#pools.set(key, p);
    }
    return p;
  }

  forward(up: Upstream, req: ForwardRequest, res: ServerResponse): Promise<ForwardOutcome> {
    let responded = false;
    let bytes = 0;
    let status = 0;
    return this.#pool(up, req.connectTimeoutMs).stream({
      path: req.path,
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      headersTimeout: req.readTimeoutMs,
      bodyTimeout: req.readTimeoutMs,
    }, ({ statusCode, headers }) => {
      responded = true;
      status = statusCode;
      res.writeHead(statusCode, req.onHeaders(statusCode, downstreamResponseHeaders(headers)));
      const write = res.write.bind(res);
      res.write = ((chunk: Buffer, ...rest: never[]) => { bytes += chunk.length; return write(chunk, ...rest); }) as typeof res.write;
      return res;
    }).then(
      (): ForwardOutcome => ({ ok: true, status, bytes }),
      (e: unknown): ForwardOutcome => ({ ok: false, kind: classify(e), responded, error: e as Error }),
    );
  }

  forget(address: string): void {
    for (const [k, p] of this.#pools) {
      if (k.startsWith(`${address}|`)) { this.#pools.delete(k); void p.close().catch(() => undefined); }
    }
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
