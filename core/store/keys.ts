/** Registry keys, object encoding, continue tokens and the Kubernetes error messages of the store. */
import { ApiError, type KubeObject } from '../api/index.js';
import type { KeyValue, ResourceRef } from './types.js';

/** `deployments.apps`, or `pods` for the core group: how Kubernetes names a resource in messages. */
export function qualifiedResource(res: ResourceRef): string {
  return res.group ? `${res.plural}.${res.group}` : res.plural;
}

/** `/registry/<group or core>/<plural>/` plus `<namespace>/` when given. */
export function prefixFor(res: ResourceRef, namespace?: string): string {
  const base = `/registry/${res.group || 'core'}/${res.plural}/`;
  return res.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(res: ResourceRef, namespace: string | undefined, name: string): string {
  if (res.namespaced && !namespace) {
    throw new ApiError('BadRequest', `namespace is required for ${qualifiedResource(res)}`);
  }
  return `${prefixFor(res, namespace)}${name}`;
}

/** The stored form: the object as JSON without `metadata.resourceVersion`. */
export function encodeObject(obj: KubeObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

/** Parses a stored value and injects `resourceVersion` from `revision`. */
export function decodeValue(value: string, revision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(revision) };
  return obj;
}

/** `decodeValue`, deep-frozen: for objects that several readers share (watch fan-out). */
export function decodeFrozen(value: string, revision: number): KubeObject {
  return deepFreeze(decodeValue(value, revision));
}

/** Freezes a parsed JSON value and everything in it (plain objects and arrays only). */
function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (const item of v) deepFreeze(item);
  } else {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  Object.freeze(v);
  return v;
}

export function decodeKv(kv: KeyValue): KubeObject {
  return decodeValue(kv.value, kv.modRevision);
}

/** Parses a resourceVersion the client sent; anything but a non-negative integer is a 400. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw new ApiError('BadRequest', `invalid resource version: "${rv}"`);
  return Number(rv);
}

export const notFound = (res: ResourceRef, name: string): ApiError =>
  new ApiError('NotFound', `${qualifiedResource(res)} "${name}" not found`, { name, group: res.group, kind: res.plural });

export const alreadyExists = (res: ResourceRef, name: string): ApiError =>
  new ApiError('AlreadyExists', `${qualifiedResource(res)} "${name}" already exists`, { name, group: res.group, kind: res.plural });

export const staleObject = 'the object has been modified; please apply your changes to the latest version and try again';

export const conflict = (res: ResourceRef, name: string, why = staleObject): ApiError =>
  new ApiError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(res)} "${name}": ${why}`, {
    name,
    group: res.group,
    kind: res.plural,
  });

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

/** Opaque paging token: the last key returned and the revision the list was read at. */
export function encodeContinue(lastKey: string, revision: number): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: revision, start: lastKey };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(token: string, prefix: string): { startAfter: string; revision: number } {
  const bad = (why: string): ApiError => new ApiError('BadRequest', `continue key is not valid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a continue token');
  }
  const t = parsed as Partial<ContinueToken> | null;
  if (!t || t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw bad('not a continue token');
  if (!t.start.startsWith(prefix)) throw bad('the token belongs to another list');
  return { startAfter: t.start, revision: t.rv };
}

export const continueTooOld = (): ApiError =>
  new ApiError(
    'Gone',
    'The provided continue parameter is too old to display a consistent list result. ' +
      'You can start a new list without the continue parameter.',
  );
