/** The HTTP(S) transport of `KubeClient`: one keep-alive agent per client, JSON in and out, Status errors. */
import * as http from 'node:http';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api/index.js';
import type { Status } from '../api/index.js';

export interface TransportOptions {
  /** Base URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** PEM of the CA that signed the server certificate. */
  caCert?: string;
  token?: string;
  clientCert?: string;
  clientKey?: string;
  /** Skip server certificate verification (like `insecure-skip-tls-verify`). */
  insecure?: boolean;
  userAgent?: string;
}

export interface RawRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends requests to one API server over a private keep-alive agent (never the global one). */
export class Transport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly secure: boolean;

  constructor(private readonly opts: TransportOptions) {
    this.base = new URL(opts.server);
    this.secure = this.base.protocol === 'https:';
    this.agent = this.secure
      ? new https.Agent({
        keepAlive: true,
        ...(opts.caCert ? { ca: opts.caCert } : {}),
        ...(opts.clientCert ? { cert: opts.clientCert } : {}),
        ...(opts.clientKey ? { key: opts.clientKey } : {}),
        rejectUnauthorized: !opts.insecure,
      })
      : new http.Agent({ keepAlive: true });
  }

  /** Opens a request and resolves with the response once headers arrive. Non-2xx → `ApiError` from the Status body. */
  async open(req: RawRequest): Promise<IncomingMessage> {
    const res = await this.send(req);
    const code = res.statusCode ?? 0;
    if (code >= 200 && code < 300) return res;
    const text = await readBody(res);
    throw errorFromBody(text, code);
  }

  /** Sends a request and parses a JSON response (an empty body yields `undefined`). */
  async json(req: RawRequest): Promise<unknown> {
    const res = await this.open(req);
    const text = await readBody(res);
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new ApiError('InternalError', `invalid JSON from server for ${req.method} ${req.path}`, undefined, { cause: e });
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private send(req: RawRequest): Promise<IncomingMessage> {
    const url = new URL(req.path, this.base);
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (this.opts.token) headers.Authorization = `Bearer ${this.opts.token}`;
    if (this.opts.userAgent) headers['User-Agent'] = this.opts.userAgent;
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const mod = this.secure ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      if (req.signal?.aborted) {
        reject(req.signal.reason);
        return;
      }
      const r = mod.request(url, { method: req.method, headers, agent: this.agent, ...(req.signal ? { signal: req.signal } : {}) }, resolve);
      r.on('error', (e) => reject(req.signal?.aborted ? req.signal.reason : connectionError(req, e)));
      r.end(req.body);
    });
  }
}

/** Reads the whole body as UTF-8. */
export async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A Status body becomes `ApiError.fromStatus`; anything else keeps the HTTP code and the text as message. */
export function errorFromBody(text: string, code: number): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return ApiError.fromStatus(parsed, code);
  return ApiError.fromStatus({ message: text.trim() || `HTTP ${code}` }, code);
}

export function isStatus(v: unknown): v is Partial<Status> {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

function connectionError(req: RawRequest, e: Error): ApiError {
  return new ApiError('ServiceUnavailable', `${req.method} ${req.path}: ${e.message}`, undefined, { cause: e });
}
