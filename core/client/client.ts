/** `KubeClient`: typed REST calls, watch and discovery against skiff or any Kubernetes API server. */
import type { KubeList, KubeObject, Scale, Status } from '../api/index.js';
import { systemClock } from '../util/index.js';
import type { Clock } from '../util/index.js';
import { Discovery } from './discovery.js';
import { Transport } from './http.js';
import type { TransportOptions } from './http.js';
import { loadKubeconfig } from './kubeconfig.js';
import { TokenBucket } from './ratelimit.js';
import type { ResourceInfo, ResourceTarget } from './resource.js';
import { resourcePath, withQuery } from './resource.js';
import { parseWatchStream } from './watch.js';
import type { WatchEvent } from './watch.js';

export interface KubeClientOptions extends TransportOptions {
  /** Client-side request rate (token bucket, burst = 2·qps); unlimited when absent. Watches are not limited. */
  qps?: number;
  clock?: Clock;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WriteOptions extends CallOptions {
  dryRun?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  fieldManager?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions extends CallOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface WatchOptions extends CallOptions {
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface RequestOptions extends CallOptions {
  headers?: Record<string, string>;
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};


/**
 * A client for one API server. Every method rejects with `ApiError` (built from the server's
 * `Status`) on failure, or with the signal's reason when aborted. Objects passed in are never mutated.
 */
export class KubeClient {
  private readonly transport: Transport;
  private readonly limiter: TokenBucket | undefined;
  private readonly discovery: Discovery;

  constructor(opts: KubeClientOptions) {
    this.transport = new Transport(opts);
    this.limiter = opts.qps ? new TokenBucket(opts.qps, Math.max(1, opts.qps * 2), opts.clock ?? systemClock) : undefined;
    this.discovery = new Discovery((path, signal) => this.request('GET', path, undefined, { signal }));
  }

  /** A client for the current context of a kubeconfig (`$KUBECONFIG`, else `./.skiff/kubeconfig`). */
  static async fromKubeconfig(path?: string, extra: Partial<KubeClientOptions> = {}): Promise<KubeClient> {
    const cfg = await loadKubeconfig(path);
    return new KubeClient({ ...cfg, ...extra });
  }

  get<T extends KubeObject = KubeObject>(target: ResourceTarget, namespace: string | undefined, name: string, opts: CallOptions = {}): Promise<T> {
    return this.request<T>('GET', resourcePath(target, namespace, name), undefined, opts);
  }

  /** One page of objects (all namespaces for a namespaced target without `namespace`). */
  list<T extends KubeObject = KubeObject>(target: ResourceTarget, opts: ListOptions = {}): Promise<KubeList<T>> {
    const path = withQuery(resourcePath(target, opts.namespace), {
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      limit: opts.limit,
      continue: opts.continue,
      resourceVersion: opts.resourceVersion,
    });
    return this.request<KubeList<T>>('GET', path, undefined, opts);
  }

  /** Every page of a list; `metadata.resourceVersion` is the last page's. */
  async listAll<T extends KubeObject = KubeObject>(target: ResourceTarget, opts: ListOptions = {}): Promise<KubeList<T>> {
    const first = await this.list<T>(target, { limit: 500, ...opts });
    let page = first;
    const items = [...first.items];
    while (page.metadata.continue) {
      page = await this.list<T>(target, { limit: 500, ...opts, continue: page.metadata.continue });
      items.push(...page.items);
    }
    return { ...first, metadata: { resourceVersion: page.metadata.resourceVersion }, items };
  }

  /** Creates `obj` in `obj.metadata.namespace`. */
  create<T extends KubeObject>(target: ResourceTarget, obj: T, opts: WriteOptions = {}): Promise<T> {
    const path = withQuery(resourcePath(target, obj.metadata.namespace), writeQuery(opts));
    return this.request<T>('POST', path, obj, opts);
  }

  /** Replaces `obj`; a set `metadata.resourceVersion` makes it conditional (409 when stale). */
  update<T extends KubeObject>(target: ResourceTarget, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(target, obj, '', opts);
  }

  /** Replaces the status subresource of `obj`. */
  updateStatus<T extends KubeObject>(target: ResourceTarget, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(target, obj, 'status', opts);
  }

  /** PUTs to a subresource (e.g. `status`, `finalize`, `scale`) or the object itself (`''`). */
  put<T extends KubeObject>(target: ResourceTarget, obj: T, subresource: string, opts: WriteOptions = {}): Promise<T> {
    const path = withQuery(resourcePath(target, obj.metadata.namespace, obj.metadata.name ?? '', subresource), writeQuery(opts));
    return this.request<T>('PUT', path, obj, opts);
  }

  patch<T extends KubeObject = KubeObject>(
    target: ResourceTarget, namespace: string | undefined, name: string, patch: unknown, type: PatchType, opts: PatchOptions = {},
  ): Promise<T> {
    const path = withQuery(resourcePath(target, namespace, name, opts.subresource), {
      ...writeQuery(opts),
      force: type === 'apply' && opts.force ? true : undefined,
    });
    return this.request<T>('PATCH', path, patch, { ...opts, headers: { 'Content-Type': patchContentTypes[type] } });
  }

  /** Deletes an object; resolves with what the server returns (the object, possibly still finalizing, or a Status). */
  delete(target: ResourceTarget, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
      ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
      ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
      ...(opts.dryRun ? { dryRun: ['All'] } : {}),
    };
    return this.request<KubeObject | Status>('DELETE', resourcePath(target, namespace, name), body, opts);
  }

  getScale(target: ResourceTarget, namespace: string, name: string, opts: CallOptions = {}): Promise<Scale> {
    return this.request<Scale>('GET', resourcePath(target, namespace, name, 'scale'), undefined, opts);
  }

  updateScale(target: ResourceTarget, namespace: string, name: string, scale: Scale, opts: WriteOptions = {}): Promise<Scale> {
    const path = withQuery(resourcePath(target, namespace, name, 'scale'), writeQuery(opts));
    return this.request<Scale>('PUT', path, scale, opts);
  }

  /**
   * Watches a collection. The iterator yields ADDED/MODIFIED/DELETED/BOOKMARK events in order, ends
   * when the server closes the stream or the signal aborts, and throws `ApiError` for an ERROR event
   * (410 Gone when `resourceVersion` is too old) or a broken connection.
   */
  async watch<T extends KubeObject = KubeObject>(target: ResourceTarget, opts: WatchOptions = {}): Promise<AsyncGenerator<WatchEvent<T>>> {
    const path = withQuery(resourcePath(target, opts.namespace), {
      watch: 1,
      resourceVersion: opts.resourceVersion,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      allowWatchBookmarks: opts.allowBookmarks ? true : undefined,
      timeoutSeconds: opts.timeoutSeconds,
    });
    const res = await this.transport.open({ method: 'GET', path, ...(opts.signal ? { signal: opts.signal } : {}) });
    return parseWatchStream<T>(res, opts.signal);
  }

  /** Escape hatch: any method and path; JSON body in, parsed JSON out (`undefined` for an empty body). */
  async request<R = unknown>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<R> {
    await this.limiter?.take(opts.signal);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    Object.assign(headers, opts.headers);
    const out = await this.transport.json({
      method,
      path,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return out as R;
  }

  /** The resource serving `kind` in `apiVersion` (discovery, cached; a miss refreshes so new CRDs are found). */
  resourceFor(apiVersion: string, kind: string, opts: CallOptions = {}): Promise<ResourceInfo> {
    return this.discovery.resourceFor(apiVersion, kind, opts.signal);
  }

  /** The resources of one group version (`v1`, `apps/v1`), read fresh; empty when the server does not serve it. */
  groupVersionResources(apiVersion: string, opts: CallOptions = {}): Promise<ResourceInfo[]> {
    return this.discovery.loadGroupVersion(apiVersion, opts.signal);
  }

  /** Every resource in each group's preferred version; `refresh` re-reads discovery first. */
  serverResources(opts: CallOptions & { refresh?: boolean } = {}): Promise<ResourceInfo[]> {
    return this.discovery.preferredResources(opts);
  }

  /** Closes idle connections. */
  close(): void {
    this.transport.close();
  }
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return {
    dryRun: opts.dryRun ? 'All' : undefined,
    fieldValidation: opts.fieldValidation,
    fieldManager: opts.fieldManager,
  };
}
