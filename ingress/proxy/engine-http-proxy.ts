/** Engine on http-proxy with a keep-alive agent (the slower alternative; kept for comparison and fallback). */
import { Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import httpProxy from 'http-proxy';
import type { Engine, FailureKind, ForwardOutcome, ForwardRequest } from './engine.js';
import { downstreamResponseHeaderList, headerListToObject } from './headers.js';
import type { Upstream } from './upstreams.js';

function classify(e: unknown): FailureKind {
  const code = (e as { code?: string }).code ?? '';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'ECONNECTTIMEOUT') return 'connect';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return 'other';
}

interface Pending {
  onReq(preq: ClientRequest): void;
  onRes(proxyRes: IncomingMessage): void;
}

export class HttpProxyEngine implements Engine {
  readonly name = 'http-proxy' as const;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 128, timeout: 4000 });
  readonly #proxy = httpProxy.createProxyServer({ agent: this.#agent, selfHandleResponse: true, xfwd: false, ws: false });
  readonly #pending = new WeakMap<IncomingMessage, Pending>();

  constructor() {
    this.#proxy.on('proxyReq', (preq, r) => this.#pending.get(r)?.onReq(preq));
    this.#proxy.on('proxyRes', (pres, r) => this.#pending.get(r)?.onRes(pres));
  }

  forward(up: Upstream, req: ForwardRequest, res: ServerResponse): Promise<ForwardOutcome> {
    const inReq = req.incoming;
    inReq.url = req.path;
    inReq.headers = headerListToObject(req.headers) as IncomingMessage['headers'];
    return new Promise((resolve) => {
      let responded = false;
      let headersAt = 0;
      let settled = false;
      let upstreamReq: ClientRequest | undefined;
      const done = (o: ForwardOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(readTimer);
        this.#pending.delete(inReq);
        resolve(o);
      };
      const connectTimer = setTimeout(() => {
        done({ ok: false, kind: 'connect', responded: false, headersAt, error: Object.assign(new Error('connect timeout'), { code: 'ECONNECTTIMEOUT' }) });
        upstreamReq?.destroy();
      }, req.connectTimeoutMs);
      // Our own read timer (http-proxy's `proxyTimeout` surfaces as a reset, indistinguishable from one).
      const readTimer = setTimeout(() => {
        done({ ok: false, kind: 'timeout', responded, headersAt, error: Object.assign(new Error('read timeout'), { code: 'ETIMEDOUT' }) });
        upstreamReq?.destroy();
      }, req.readTimeoutMs);
      this.#pending.set(inReq, {
        onReq: (preq) => { upstreamReq = preq; preq.once('socket', (s) => {
          if (!s.connecting) clearTimeout(connectTimer); else s.once('connect', () => clearTimeout(connectTimer));
        }); },
        onRes: (proxyRes) => {
          responded = true;
          headersAt = performance.now();
          clearTimeout(connectTimer);
          clearTimeout(readTimer);
          const status = proxyRes.statusCode ?? 502;
          const list = downstreamResponseHeaderList(proxyRes.rawHeaders);
          res.writeHead(status, req.onHeaders === undefined ? list : req.onHeaders(status, list));
          let bytes = 0;
          proxyRes.on('data', (c: Buffer) => { bytes += c.length; });
          proxyRes.on('end', () => done({ ok: true, status, bytes, headersAt }));
          proxyRes.on('error', (e) => done({ ok: false, kind: 'other', responded: true, headersAt, error: e }));
          proxyRes.pipe(res);
        },
      });
      this.#proxy.web(inReq, res, {
        target: `http://${up.address}`, buffer: req.body ?? Readable.from([]),
      }, (e: Error) => done({ ok: false, kind: classify(e), responded, headersAt, error: e }));
    });
  }

  forget(): void {
    // The keep-alive agent drops idle sockets itself.
  }

  async close(): Promise<void> {
    this.#agent.destroy();
    this.#proxy.close();
  }
}
