/** Shared types of the API server: its options and the narrow views of the registry it needs. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { KindInfo, KubeObject } from '../api/index.js';
import type { ObjectStore } from '../store/index.js';
import type { Clock, Logger } from '../util/index.js';

/**
 * The part of core/api's KindRegistry the API server uses. Defined here so the server
 * depends on a narrow role; core/api's registry satisfies it.
 */
export interface ApiRegistry {
  /** Every registered kind (built-ins and CRD kinds), any order. */
  all(): readonly KindInfo[];
  /** Adds or replaces a kind (same group, version and plural). */
  register(info: KindInfo): void;
  /** Removes a kind (every version unless `version` is given). */
  unregister(group: string, kind: string, version?: string): unknown;
}

/** What `pods/log` asks a LogsProvider for (the PodLogOptions of the query). */
export interface LogRequest {
  namespace: string;
  pod: string;
  container?: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  /** RFC 3339. */
  sinceTime?: string;
  limitBytes?: number;
}

/** Streams a container's log for `pods/log`. */
export interface LogsProvider {
  /**
   * Writes the log to `out`. Calls `onReady` once, after the pod, container and node agent
   * have been found and before the first write: only then does the server send its 200
   * header, so an ApiError thrown earlier (NotFound, BadRequest for an invalid container or
   * an unscheduled pod, ServiceUnavailable for an unreachable node) is answered as a Status.
   * A provider that never calls it gets the header with its first write.
   */
  stream(req: LogRequest, out: NodeJS.WritableStream, signal: AbortSignal, onReady?: () => void): Promise<void>;
}

/** What an admission plugin is told about the request. `namespace` is undefined for cluster-scoped kinds. */
export interface AdmissionInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespace: string | undefined;
  dryRun: boolean;
}

/**
 * An in-process mutating admission plugin (Kubernetes' mutating admission, e.g. the VPA
 * admission controller). `mutate` gets the defaulted object (its own copy, which it may change
 * or replace) and the stored one on UPDATE; it returns the object to continue with, or
 * undefined for "no change". An ApiError it throws is the response (e.g. 403 Forbidden);
 * any other error is a 500 naming the plugin.
 */
export interface AdmissionPlugin {
  name: string;
  mutate?(op: 'CREATE' | 'UPDATE', obj: KubeObject, old: KubeObject | undefined, info: AdmissionInfo): Promise<KubeObject | undefined>;
}

/** An extra path the integrator mounts (e.g. `/metrics`, `metrics.k8s.io`). Return true when handled. */
export type ExtraHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

export interface ApiServerOptions {
  store: ObjectStore;
  /** Why the store cannot take writes now (e.g. disk full), or undefined: `/readyz` fails while it says so. */
  storeWriteFailure?: () => string | undefined;
  registry: ApiRegistry;
  /** The bearer token every request but the health probes must carry. */
  token: string;
  /** PEM serving certificate and key; absent → plain HTTP (tests of the handler only). */
  tls?: { cert: string; key: string };
  log?: Logger;
  clock?: Clock;
  /** Largest request body accepted; default 3 MiB. */
  maxBodyBytes?: number;
  /** Checked in order before the built-in routes (after authentication). */
  extraHandlers?: readonly ExtraHandler[];
  /** Unauthenticated paths served by an extra handler, e.g. `/metrics`. */
  publicPaths?: readonly string[];
  logs?: LogsProvider;
  /**
   * Mutating admission plugins, run in order on create, update and patch of the main resource
   * (not on the status or scale subresources), after defaulting and before validation. None by default.
   */
  admission?: readonly AdmissionPlugin[];
  /** Interval between watch BOOKMARK events; default 5 s. */
  bookmarkIntervalMs?: number;
  /**
   * Bytes one watch connection may have buffered, unsent, before the server ends it (its client
   * re-watches from the last resourceVersion it read); default 16 MiB. A watcher that does not
   * read cannot make the server hold more for it.
   */
  maxWatchBufferBytes?: number;
  /** Where the server registers its metrics (`apiserver_terminated_watchers_total`…); none by default. */
  metrics?: Registry;
}
