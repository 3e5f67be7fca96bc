/**
 * The storage contracts. A `Backend` is a key-value store with one monotonic revision
 * (etcd's model, so memory, sqlite and etcd all fit); an `ObjectStore` adds Kubernetes
 * object semantics on top of any backend.
 */
import type { KubeObject } from '../api/index.js';

export interface KeyValue {
  key: string;
  /** The object as JSON, without `metadata.resourceVersion` (it is derived from `modRevision`). */
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface BackendEvent {
  type: 'put' | 'delete';
  key: string;
  /** For `put` the new value; for `delete` the value that was deleted. */
  value: string;
  /** The revision of this change (for a delete: the revision of the delete). */
  modRevision: number;
  /** For `put`: whether the key is new (created at this revision). */
  created: boolean;
  prevValue?: string;
}

/** Where a `list` reads: at a past revision (etcd's range `revision`) and/or after a key. */
export interface ListRange {
  /** Read the state as it was at this revision. Older than the kept history → `ApiError('Gone')`. */
  revision?: number;
  /** Only keys strictly greater than this one (for paging). */
  startAfter?: string;
}

export interface BackendWatchOptions {
  prefix: string;
  /** Deliver every change with revision > afterRevision. Too old → `ApiError('Gone')`. */
  afterRevision: number;
  signal: AbortSignal;
  onEvent: (ev: BackendEvent) => void;
  /** Called once if the watch cannot continue (backend closed, compaction); not called on abort. */
  onError?: (err: Error) => void;
}

/** Every write resolves only once it is durable (for backends that persist). */
export interface Backend {
  readonly name: string;
  get(key: string): Promise<KeyValue | undefined>;
  /**
   * All keys under `prefix`, sorted by key, and the revision the snapshot was taken at
   * (`range.revision` when given, else the current revision).
   */
  list(prefix: string, range?: ListRange): Promise<{ items: KeyValue[]; revision: number }>;
  /** Throws `ApiError('AlreadyExists')` if the key exists. Returns the new revision. */
  create(key: string, value: string): Promise<number>;
  /** Throws NotFound if missing, Conflict if `expectedModRevision` is given and differs. */
  update(key: string, value: string, expectedModRevision?: number): Promise<number>;
  /** Throws NotFound if missing, Conflict if `expectedModRevision` is given and differs. Returns the delete's revision. */
  delete(key: string, expectedModRevision?: number): Promise<number>;
  /**
   * Starts a watch and resolves once it is established (events may already have been
   * delivered); events then flow in revision order until `signal` aborts. Rejects with
   * `ApiError('Gone')` if `afterRevision` is older than the kept history.
   */
  watch(opts: BackendWatchOptions): Promise<void>;
  /** The current (latest) revision. */
  revision(): Promise<number>;
  /**
   * Why the last write could not be persisted (disk full, read-only, I/O error), until a later one is;
   * undefined while writes succeed. Backends that cannot fail to write leave it out.
   */
  writeFailure?(): string | undefined;
  close(): Promise<void>;
}

/** Addresses a resource type in the store: group + plural (the API path's names). */
export interface ResourceRef {
  group: string;
  plural: string;
  namespaced: boolean;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface WriteOptions {
  /** Validate and compute the result, but persist nothing. */
  dryRun?: boolean;
  /** Create only: called on the object to store once its name and uid are set (Kubernetes' PrepareForCreate runs after they are filled in). */
  prepare?: (obj: KubeObject) => void;
}

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export interface ListOptions {
  namespace?: string;
  /** Keep only objects for which this returns true (label and field selectors, compiled by the caller). */
  filter?: (obj: KubeObject) => boolean;
  limit?: number;
  continue?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface ObjectEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface ObjectWatchOptions {
  namespace?: string;
  /** Start after this resourceVersion; absent or "0" → synthetic ADDED for every current object first. */
  resourceVersion?: string;
  filter?: (obj: KubeObject) => boolean;
  signal: AbortSignal;
  /**
   * Receives each event. The object is read-only: every watcher of the same change gets the
   * same deep-frozen object (decoded once), so a consumer that needs to change it clones it first.
   */
  onEvent: (ev: ObjectEvent) => void;
  onError?: (err: Error) => void;
}

/**
 * Kubernetes object semantics over a `Backend`: uid, generateName, creationTimestamp,
 * generation, resourceVersion with optimistic concurrency, finalizers and
 * deletionTimestamp, and the foreground/orphan deletion finalizers.
 */
export interface ObjectStore {
  readonly backend: Backend;
  get(res: ResourceRef, namespace: string | undefined, name: string): Promise<KubeObject>;
  list(res: ResourceRef, opts?: ListOptions): Promise<{ items: KubeObject[]; resourceVersion: string; continue?: string }>;
  create(res: ResourceRef, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  /**
   * Replaces the object. If `obj.metadata.resourceVersion` is set it must match (else 409).
   * `subresource: 'status'` keeps the stored spec and takes only status; otherwise status is kept.
   * An update that empties the finalizers of an object with a deletionTimestamp deletes it.
   */
  update(res: ResourceRef, obj: KubeObject, opts?: WriteOptions & { subresource?: 'status' | '' }): Promise<KubeObject>;
  /** Returns the deleted object, or the object now carrying `deletionTimestamp` if finalizers hold it. */
  delete(res: ResourceRef, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject>;
  /**
   * Resolves once the watch is established; events flow until `signal` aborts. Rejects with
   * `ApiError('Gone')` when `resourceVersion` is older than the kept history (re-list).
   */
  watch(res: ResourceRef, opts: ObjectWatchOptions): Promise<void>;
  close(): Promise<void>;
}
