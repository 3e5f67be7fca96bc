/**
 * The narrow seam to Compute Engine (STYLE.md §13): the only file importing `@google-cloud/compute`.
 * Resources are addressed by `Ref` (scope + collection + name); every long-running call waits for its
 * zone/region/global operation. `global/httpHealthChecks` (legacy) has no client in 6.x, so it goes over
 * the same authenticated transport (the clients' auth client and endpoint) as plain REST.
 */
import * as compute from '@google-cloud/compute';
import { OAuth2Client } from 'google-auth-library';
import type { ClientOptions } from 'google-gax';
import { scopePath } from './mapping.js';

export type Resource = Record<string, unknown>;
export type Scope = { global: true } | { region: string } | { zone: string };

export interface Ref {
  scope: Scope;
  /** REST collection name: `addresses`, `firewalls`, `httpHealthChecks`, `disks`… */
  collection: string;
  name: string;
}

/** A finished operation: `error` set when it ended in error. */
export interface OperationResult {
  name: string;
  error?: { code: string; message: string };
}

export interface ComputeApi {
  readonly project: string;
  /** The resource, or rejects (404 → the caller's NotFound). */
  get(ref: Ref, signal: AbortSignal): Promise<Resource>;
  /** Every item of the collection, following `nextPageToken`. */
  list(scope: Scope, collection: string, filter: string | undefined, signal: AbortSignal): Promise<Resource[]>;
  /** Starts an insert/delete/patch/custom method; resolves with the started operation's name and scope. */
  insert(ref: Ref, body: Resource, requestId: string | undefined, signal: AbortSignal): Promise<PendingOperation>;
  remove(ref: Ref, signal: AbortSignal): Promise<PendingOperation>;
  patch(ref: Ref, body: Resource, signal: AbortSignal): Promise<PendingOperation>;
  /** A custom method (`addInstance`, `attachDisk`, `resize`…) with its request fields. */
  invoke(ref: Ref, method: string, params: Resource, signal: AbortSignal): Promise<PendingOperation>;
  /** A read-only custom method returning items (`listInstances`, `listManagedInstances`). */
  read(ref: Ref, method: string, params: Resource, signal: AbortSignal): Promise<Resource[]>;
  /** One `wait` poll of the operation (returns when DONE or after the server's wait). */
  poll(op: PendingOperation, signal: AbortSignal): Promise<{ done: boolean; result: OperationResult }>;
  close(): Promise<void>;
}

export interface PendingOperation {
  name: string;
  scope: Scope;
  done: boolean;
  error?: { code: string; message: string };
}

export interface ComputeConnection {
  project: string;
  /** `host` or `host:port`; with `port` and `protocol` for a local fake. */
  apiEndpoint?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** An auth client (OAuth2Client, ADC's client…); else Application Default Credentials or `keyFilename`. */
  authClient?: ClientOptions['authClient'];
  keyFilename?: string;
}

type Fn = (req: Resource, opts?: Resource) => Promise<unknown[]>;
type AsyncFn = (req: Resource, opts?: Resource) => AsyncIterable<unknown>;
type Client = Record<string, unknown> & { close(): Promise<void> };

const clientClasses = {
  addresses: compute.AddressesClient, firewalls: compute.FirewallsClient, forwardingRules: compute.ForwardingRulesClient,
  targetPools: compute.TargetPoolsClient, backendServices: compute.RegionBackendServicesClient, instanceGroups: compute.InstanceGroupsClient,
  healthChecks: compute.HealthChecksClient, disks: compute.DisksClient, instances: compute.InstancesClient,
  instanceGroupManagers: compute.InstanceGroupManagersClient, instanceTemplates: compute.InstanceTemplatesClient,
} as const;

const singular: Record<string, string> = {
  addresses: 'address', firewalls: 'firewall', forwardingRules: 'forwardingRule', targetPools: 'targetPool', backendServices: 'backendService',
  instanceGroups: 'instanceGroup', healthChecks: 'healthCheck', disks: 'disk', instances: 'instance', instanceGroupManagers: 'instanceGroupManager',
  instanceTemplates: 'instanceTemplate', httpHealthChecks: 'httpHealthCheck',
};

/** gax retries idempotent reads on UNAVAILABLE itself; skiff owns retries (one limiter, one back-off). */
const callOpts = { retry: { retryCodes: [] }, autoPaginate: false, maxResults: 500 };

function scopeFields(s: Scope): Resource {
  return 'zone' in s ? { zone: s.zone } : 'region' in s ? { region: s.region } : {};
}


function toPending(raw: unknown, scope: Scope): PendingOperation {
  const lro = raw as { latestResponse?: Resource; name?: string };
  const op = (lro.latestResponse ?? raw) as Resource;
  return { name: String(op.name ?? lro.name ?? ''), scope, ...statusOf(op) };
}

function statusOf(op: Resource): { done: boolean; error?: { code: string; message: string } } {
  const errs = ((op.error as { errors?: Resource[] } | undefined)?.errors ?? []);
  const first = errs[0];
  return { done: op.status === 'DONE', ...(first ? { error: { code: String(first.code ?? 'UNKNOWN'), message: String(first.message ?? '') } } : {}) };
}

/** An auth client that only ever presents `token` (tests against a loopback fake: no token endpoint, no metadata server). */
export function staticTokenAuth(token: string): NonNullable<ComputeConnection['authClient']> {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 365 * 24 * 3_600_000 });
  return client;
}

/** Builds the clients once; they share one auth client and endpoint. */
export async function connectCompute(c: ComputeConnection): Promise<ComputeApi> {
  const base: Resource = {
    fallback: true,
    ...(c.apiEndpoint ? { apiEndpoint: c.apiEndpoint } : {}),
    ...(c.port ? { port: c.port } : {}),
    ...(c.protocol ? { protocol: c.protocol } : {}),
    ...(c.keyFilename ? { keyFilename: c.keyFilename } : {}),
  };
  const first = new compute.ZoneOperationsClient({ ...base, ...(c.authClient ? { authClient: c.authClient } : {}) });
  const auth = c.authClient ?? (await first.auth.getClient());
  const opts = { ...base, authClient: auth };
  const ops = { zone: first, region: new compute.RegionOperationsClient(opts), global: new compute.GlobalOperationsClient(opts) };
  const clients = new Map<string, Client>();
  const client = (collection: string): Client => {
    let cl = clients.get(collection);
    if (!cl) {
      const Cls = (clientClasses as Record<string, new (o: Resource) => unknown>)[collection];
      if (!Cls) throw new Error(`no client for ${collection}`);
      cl = new Cls(opts) as Client;
      clients.set(collection, cl);
    }
    return cl;
  };
  const rest = restTransport(auth, c);
  const method = (collection: string, name: string): Fn => {
    const cl = client(collection);
    const fn = cl[name];
    if (typeof fn !== 'function') throw new Error(`${collection}.${name} is not a method`);
    return (fn as Fn).bind(cl);
  };
  const req = (ref: Ref, extra: Resource = {}): Resource => ({ project: c.project, ...scopeFields(ref.scope), [singular[ref.collection] ?? ref.collection]: ref.name, ...extra });
  const isRest = (collection: string): boolean => collection === 'httpHealthChecks';
  const withSignal = async <T>(p: Promise<T>, signal: AbortSignal): Promise<T> => {
    signal.throwIfAborted();
    return p;
  };
  return {
    project: c.project,
    async get(ref, signal) {
      if (isRest(ref.collection)) return rest('GET', `${scopePath(c.project, ref.scope)}/${ref.collection}/${ref.name}`, undefined, signal);
      const [r] = await withSignal(method(ref.collection, 'get')(req(ref), callOpts), signal);
      return r as Resource;
    },
    async list(scope, collection, filter, signal) {
      const request: Resource = { project: c.project, ...scopeFields(scope), maxResults: 500, ...(filter ? { filter } : {}) };
      if (isRest(collection)) return restList(rest, `${scopePath(c.project, scope)}/${collection}`, filter, signal);
      const cl = client(collection);
      const out: Resource[] = [];
      for await (const item of (cl.listAsync as AsyncFn).call(cl, request, callOpts)) {
        signal.throwIfAborted();
        out.push(item as Resource);
      }
      return out;
    },
    async insert(ref, body, requestId, signal) {
      if (isRest(ref.collection)) return toPending(await rest('POST', `${scopePath(c.project, ref.scope)}/${ref.collection}`, body, signal), ref.scope);
      const params = { project: c.project, ...scopeFields(ref.scope), [`${singular[ref.collection] ?? ''}Resource`]: body, ...(requestId ? { requestId } : {}) };
      const [op] = await withSignal(method(ref.collection, 'insert')(params, callOpts), signal);
      return toPending(op, ref.scope);
    },
    async remove(ref, signal) {
      if (isRest(ref.collection)) return toPending(await rest('DELETE', `${scopePath(c.project, ref.scope)}/${ref.collection}/${ref.name}`, undefined, signal), ref.scope);
      const [op] = await withSignal(method(ref.collection, 'delete')(req(ref), callOpts), signal);
      return toPending(op, ref.scope);
    },
    async patch(ref, body, signal) {
      const [op] = await withSignal(method(ref.collection, 'patch')(req(ref, { [`${singular[ref.collection] ?? ''}Resource`]: body }), callOpts), signal);
      return toPending(op, ref.scope);
    },
    async invoke(ref, name, params, signal) {
      const [op] = await withSignal(method(ref.collection, name)(req(ref, params), callOpts), signal);
      return toPending(op, ref.scope);
    },
    async read(ref, name, params, signal) {
      const cl = client(ref.collection);
      const out: Resource[] = [];
      for await (const item of (cl[`${name}Async`] as AsyncFn).call(cl, req(ref, params), callOpts)) {
        signal.throwIfAborted();
        out.push(item as Resource);
      }
      return out;
    },
    async poll(op, signal) {
      const scope = op.scope;
      const opsClient = 'zone' in scope ? ops.zone : 'region' in scope ? ops.region : ops.global;
      const wait = (opsClient as unknown as Record<string, Fn>).wait;
      if (!wait) throw new Error('operations client has no wait');
      const [r] = await withSignal(wait.call(opsClient, { project: c.project, ...scopeFields(scope), operation: op.name }, callOpts), signal);
      const s = statusOf(r as Resource);
      return { done: s.done, result: { name: op.name, ...(s.error ? { error: s.error } : {}) } };
    },
    async close() {
      await Promise.all([...clients.values(), ops.region, ops.global, ops.zone].map((cl) => cl.close()));
    },
  };
}

/** HTTP errors from the plain-REST path carry the API's error body, like the clients' errors. */
export class RestError extends Error {
  constructor(readonly code: number, message: string, readonly reason: string | undefined) {
    super(message);
  }
}

type Rest = (method: string, path: string, body: Resource | undefined, signal: AbortSignal) => Promise<Resource>;

/** The auth client's `request` (gaxios): adds the bearer token; throws on non-2xx with the response attached. */
interface Requester {
  request(opts: Resource): Promise<{ data: unknown }>;
}

function restTransport(auth: unknown, c: ComputeConnection): Rest {
  const host = c.apiEndpoint ?? 'compute.googleapis.com';
  const port = c.port ? `:${c.port}` : '';
  const base = `${c.protocol ?? 'https'}://${host}${port}/compute/v1/`;
  const requester = auth as Requester;
  return async (method, path, body, signal) => {
    try {
      const res = await requester.request({ url: base + path, method, signal, responseType: 'json', retry: false, ...(body ? { data: body } : {}) });
      return (res.data ?? {}) as Resource;
    } catch (e) {
      const g = e as { status?: number; response?: { status?: number; data?: unknown } };
      const status = g.response?.status ?? g.status;
      if (status === undefined) throw e;
      const err = ((g.response?.data as Resource | undefined)?.error ?? {}) as { message?: string; errors?: { reason?: string }[] };
      throw new RestError(status, err.message ?? `HTTP ${status}`, err.errors?.[0]?.reason);
    }
  };
}

async function restList(rest: Rest, path: string, filter: string | undefined, signal: AbortSignal): Promise<Resource[]> {
  const out: Resource[] = [];
  let token: string | undefined;
  do {
    const q = new URLSearchParams({ maxResults: '500', ...(filter ? { filter } : {}), ...(token ? { pageToken: token } : {}) });
    const page = await rest('GET', `${path}?${q.toString()}`, undefined, signal);
    out.push(...((page.items ?? []) as Resource[]));
    token = typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
  } while (token);
  return out;
}
