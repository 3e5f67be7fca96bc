/**
 * A local fake of the Compute Engine v1 REST endpoints skiff's GCP provider uses, served over HTTP on
 * loopback (port 0). Reach it through the client's `apiEndpoint` + `port` + `protocol: 'http'`.
 * It logs every request, injects faults one-shot, and models operations, pagination and error bodies.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { FakeStore, GceError, notFound } from './store.js';
import type { Resource } from './store.js';
import { readVerb, verb, withDefaults } from './verbs.js';

export interface LoggedRequest {
  method: string;
  /** Path without `/compute/v1/`, e.g. `projects/p/regions/r/addresses`. */
  path: string;
  query: Record<string, string>;
  body?: Resource;
  /** Whether the request could change state (not a read, list, or operation poll). */
  mutating: boolean;
  status: number;
}

export interface FaultRule {
  method?: string;
  /** Substring of the path (without `/compute/v1/`). */
  path?: string;
  /** Answer with this HTTP status and reason instead (429 rateLimitExceeded, 503 backendError…). */
  status?: number;
  reason?: string;
  /** The request is accepted but its operation ends DONE with this error code. */
  operationError?: string;
  /** Destroy the socket without an answer (a client-side timeout or reset). */
  drop?: boolean;
  /** How many times (default 1). */
  times?: number;
}

const PREFIX = '/compute/v1/';

export class GceFake {
  readonly store = new FakeStore();
  readonly requests: LoggedRequest[] = [];
  private faults: (FaultRule & { left: number })[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    const server = createServer((req, res) => { void this.handle(req, res); });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this;
  }

  get host(): string {
    return '127.0.0.1';
  }

  inject(rule: FaultRule): void {
    this.faults.push({ ...rule, left: rule.times ?? 1 });
  }

  /** Logged requests that could change state. */
  mutations(): LoggedRequest[] {
    return this.requests.filter((r) => r.mutating);
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private takeFault(method: string, path: string): FaultRule | undefined {
    const f = this.faults.find((r) => r.left > 0 && (!r.method || r.method === method) && (!r.path || path.includes(r.path)));
    if (f) f.left -= 1;
    return f;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const text = await readBody(req);
    const body = text ? (JSON.parse(text) as Resource) : undefined;
    const mutating = method !== 'GET' && !/\/operations\/[^/]+\/wait$/.test(path) && !/\/(listInstances|listManagedInstances)$/.test(path);
    const entry: LoggedRequest = { method, path, query: Object.fromEntries(url.searchParams), ...(body ? { body } : {}), mutating, status: 0 };
    this.requests.push(entry);
    const fault = this.takeFault(method, path);
    if (fault?.drop) {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    let status = 200;
    let out: Resource;
    try {
      if (fault?.status) throw new GceError(fault.status, fault.reason ?? 'backendError', `injected ${fault.status}`);
      out = this.route(method, path, url.searchParams, body ?? {}, fault?.operationError);
    } catch (e) {
      const err = e instanceof GceError ? e : new GceError(500, 'backendError', (e as Error).message);
      status = err.status;
      out = err.body();
    }
    entry.status = status;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(out));
  }

  private route(method: string, path: string, query: URLSearchParams, body: Resource, opError?: string): Resource {
    const m = /^(projects\/[^/]+(?:\/global|\/regions\/[^/]+|\/zones\/[^/]+))\/([A-Za-z]+)(?:\/([^/]+))?(?:\/([A-Za-z]+))?$/.exec(path);
    if (!m) throw notFound(path);
    const [, scope = '', collection = '', name, custom] = m;
    const s = this.store;
    if (collection === 'operations' && name) {
      if ((method === 'POST' && custom === 'wait') || (method === 'GET' && !custom)) return s.poll(`${scope}/operations/${name}`);
      throw notFound(path);
    }
    const target = name ? `${scope}/${collection}/${name}` : '';
    const error = opError ? { code: opError, message: `injected operation error ${opError}` } : undefined;
    if (!name) {
      if (method === 'GET') return s.list(`${scope}/${collection}`, query);
      if (method !== 'POST') throw new GceError(405, 'invalid', 'method not allowed');
      return this.insert(scope, collection, query, body, error);
    }
    const call = { store: s, scope, collection, name, path: target, body, query };
    if (custom) {
      const read = method === 'POST' ? readVerb(call, custom) : undefined;
      if (read) return read;
      return s.operation(scope, custom, target, verb(call, custom), error);
    }
    if (method === 'GET') return s.get(target);
    const existing = s.get(target);
    if (method === 'DELETE') {
      if (collection === 'disks' && ((existing.users ?? []) as unknown[]).length > 0) {
        throw new GceError(400, 'resourceInUseByAnotherResource', `The disk resource '${target}' is already being used by '${String((existing.users as unknown[])[0])}'`);
      }
      return s.operation(scope, 'delete', target, () => { s.resources.delete(target); }, error);
    }
    if (method === 'PATCH' || method === 'PUT') {
      return s.operation(scope, method === 'PATCH' ? 'patch' : 'update', target, () => {
        const merged = method === 'PATCH' ? { ...existing, ...body } : { ...body, id: existing.id, selfLink: existing.selfLink, creationTimestamp: existing.creationTimestamp };
        s.resources.set(target, merged);
      }, error);
    }
    throw new GceError(405, 'invalid', 'method not allowed');
  }

  private insert(scope: string, collection: string, query: URLSearchParams, body: Resource, error?: { code: string; message: string }): Resource {
    const s = this.store;
    const requestId = query.get('requestId');
    const seen = requestId ? s.requestIds.get(requestId) : undefined;
    if (seen) {
      const op = s.operations.get(seen);
      if (op) return op.resource;
    }
    const target = `${scope}/${collection}/${String(body.name)}`;
    if (s.resources.has(target)) {
      throw new GceError(409, 'alreadyExists', `The resource '${target}' already exists`);
    }
    const op = s.operation(scope, 'insert', target, () => { s.put(target, withDefaults(s, collection, body)); }, error);
    if (requestId) s.requestIds.set(requestId, `${scope}/operations/${String(op.name)}`);
    return op;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts a fake on an ephemeral loopback port. */
export async function startGceFake(): Promise<GceFake> {
  return new GceFake().start();
}
