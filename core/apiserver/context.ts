/** The per-request context the handlers share, and the server-wide dependencies it carries. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindInfo, KubeObject } from '../api/index.js';
import type { ObjectStore, ResourceRef } from '../store/index.js';
import type { Clock, Logger } from '../util/index.js';
import type { ResourcePath } from './router.js';
import type { VersionView } from './hpa-v1.js';
import type { AdmissionPlugin, ApiRegistry, LogsProvider } from './types.js';
import type { WatchMetrics } from './watch-metrics.js';

export interface ServerDeps {
  store: ObjectStore;
  registry: ApiRegistry;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
  bookmarkIntervalMs: number;
  /** Bytes one watch connection may have buffered, unsent, before the server ends it. */
  maxWatchBufferBytes: number;
  watchMetrics: WatchMetrics;
  logs?: LogsProvider;
  /** Mutating admission plugins, in order (none by default). */
  admission: readonly AdmissionPlugin[];
  /** Aborted when the server closes (ends open watches). */
  closing: AbortSignal;
}

export interface Ctx {
  deps: ServerDeps;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: URLSearchParams;
  path: ResourcePath;
  info: KindInfo;
  ref: ResourceRef;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
  /** Set when the served version differs from the stored one (autoscaling/v1 HPAs). */
  view?: VersionView;
}

/** A stored object as the client's version shows it. */
export function present(ctx: Ctx, obj: KubeObject): KubeObject {
  return ctx.view ? ctx.view.out(obj) : obj;
}

/** Finds the kind that serves `<group>/<version>/<plural>`, by plural, singular or short name only for plural. */
export function findKind(registry: ApiRegistry, group: string, version: string, plural: string): KindInfo | undefined {
  return registry.all().find((k) => k.group === group && k.version === version && k.plural === plural);
}

/** The kind for a body's apiVersion and kind. */
export function findByKind(registry: ApiRegistry, group: string, version: string, kind: string): KindInfo | undefined {
  return registry.all().find((k) => k.group === group && k.version === version && k.kind === kind);
}

export function refOf(info: KindInfo): ResourceRef {
  return { group: info.group, plural: info.plural, namespaced: info.namespaced };
}

/** `deployments.apps` / `pods`: how Kubernetes names a resource in messages. */
export function qualifiedResource(info: KindInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

export function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}
