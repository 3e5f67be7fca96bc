/**
 * A small fault-injecting HTTP proxy in front of moto (chosen over nock: it sees the exact bytes the SDK
 * sends, so it doubles as the call log for request-correctness and "no mutating call" checks, and it can
 * let a request reach moto and then lose the response — the nastiest duplicate-maker).
 */
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Fault = 'throttle' | '500' | 'timeout' | 'exists' | 'lost-response' | 'invalid';

export interface FaultRule {
  /** AWS action, e.g. `CreateLoadBalancer`; all mutating actions when absent. */
  action?: string;
  fault: Fault;
  /** How many times; default 1. */
  times?: number;
}

export interface Call {
  service: string;
  action: string;
  params: Record<string, string>;
  mutating: boolean;
  /** Status returned to the client (0 when the response was dropped). */
  status: number;
}

const READ = /^(Describe|Get|List)/;

export function isMutatingAction(action: string): boolean {
  return !READ.test(action);
}

function errorBody(service: string, code: string, msg: string): string {
  if (service === 'ec2') return `<?xml version="1.0"?><Response><Errors><Error><Code>${code}</Code><Message>${msg}</Message></Error></Errors><RequestID>fault</RequestID></Response>`;
  return `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${msg}</Message></Error><RequestId>fault</RequestId></ErrorResponse>`;
}

const existsCode: Record<string, string> = {
  CreateLoadBalancer: 'DuplicateLoadBalancerName', CreateTargetGroup: 'DuplicateTargetGroupName', CreateListener: 'DuplicateListener',
  AuthorizeSecurityGroupIngress: 'InvalidPermission.Duplicate', CreateVolume: 'IdempotentParameterMismatch',
};

export class FaultProxy {
  readonly calls: Call[] = [];
  private rules: (FaultRule & { left: number })[] = [];
  private server: Server | undefined;
  private readonly held = new Set<ServerResponse>();
  endpoint = '';

  constructor(private readonly target: string) {}

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
    this.calls.length = 0;
  }

  /** Mutating calls that reached the cloud and succeeded. */
  mutations(): number {
    return this.calls.filter((c) => c.mutating && c.status === 200).length;
  }

  of(action: string): Call[] {
    return this.calls.filter((c) => c.action === action);
  }

  faultsLeft(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
    const a = this.server.address();
    this.endpoint = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }

  async stop(): Promise<void> {
    for (const r of this.held) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private take(action: string): Fault | undefined {
    const rule = this.rules.find((r) => r.left > 0 && (r.action ? r.action === action : isMutatingAction(action)));
    if (!rule) return undefined;
    rule.left--;
    return rule.fault;
  }

  private gate: Promise<unknown> = Promise.resolve();

  /** Holds every request until `p` settles (lets a synchronous test hook finish an async cloud change first). */
  holdUntil(p: Promise<unknown>): void {
    const prev = this.gate;
    this.gate = Promise.all([prev, p.catch(() => undefined)]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.gate;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const action = params.Action ?? '';
    const call: Call = { service, action, params, mutating: isMutatingAction(action), status: 0 };
    this.calls.push(call);
    const fault = this.take(action);
    const reply = (status: number, code: string, msg: string): void => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'text/xml' }).end(errorBody(service, code, msg));
    };
    if (fault === 'throttle') return reply(400, service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling', 'Rate exceeded');
    if (fault === '500') return reply(500, 'InternalFailure', 'injected');
    if (fault === 'invalid') return reply(400, 'ValidationError', 'injected non-retryable failure');
    if (fault === 'timeout') {
      this.held.add(res);
      return;
    }
    const up = await this.forward(req, body);
    if (fault === 'lost-response') {
      res.destroy();
      return;
    }
    if (fault === 'exists') return reply(400, existsCode[action] ?? 'AlreadyExists', 'injected: already exists');
    call.status = up.status;
    res.writeHead(up.status, up.headers).end(up.body);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const url = new URL(req.url ?? '/', this.target);
    return new Promise((resolve, reject) => {
      const up = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (r) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string' && k !== 'transfer-encoding' && k !== 'connection') headers[k] = v;
          resolve({ status: r.statusCode ?? 502, headers, body: Buffer.concat(parts) });
        });
      });
      up.on('error', reject);
      up.end(body);
    });
  }
}
