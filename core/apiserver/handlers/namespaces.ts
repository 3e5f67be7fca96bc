/**
 * Namespace deletion as Kubernetes does it: a namespace whose `spec.finalizers` is not empty
 * becomes Terminating (deletionTimestamp set, phase Terminating) until the namespace controller
 * empties it and clears `spec.finalizers` through `/finalize`. The store only knows metadata
 * finalizers, so the spec finalizers are mirrored by a metadata finalizer of the same name.
 */
import { ApiError } from '../../api/index.js';
import type { KubeObject } from '../../api/index.js';
import type { Ctx } from '../context.js';
import { isTrue } from '../context.js';
import { decodeObject, isPlainObject, readBody } from '../decode.js';
import { methodNotAllowed, sendJson } from '../respond.js';
import { deleteOptionsOf } from './delete.js';

export const namespaceFinalizer = 'kubernetes';

function specFinalizers(ns: KubeObject): string[] {
  const spec = isPlainObject(ns.spec) ? ns.spec : {};
  return Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
}

export function isNamespaces(ctx: Ctx): boolean {
  return ctx.info.group === '' && ctx.info.plural === 'namespaces';
}

/** DELETE /api/v1/namespaces/<name>. */
export async function deleteNamespace(ctx: Ctx, name: string): Promise<void> {
  const opts = await deleteOptionsOf(ctx);
  const { store } = ctx.deps;
  let ns = await store.get(ctx.ref, undefined, name);
  if (opts.dryRun || specFinalizers(ns).length === 0) {
    const gone = await store.delete(ctx.ref, undefined, name, opts);
    sendJson(ctx.res, 200, gone, isTrue(ctx.query.get('pretty')));
    return;
  }
  if (!ns.metadata.deletionTimestamp) {
    const held = ns.metadata.finalizers ?? [];
    if (!held.includes(namespaceFinalizer)) {
      ns = await store.update(ctx.ref, { ...ns, metadata: { ...ns.metadata, finalizers: [...held, namespaceFinalizer] } });
    }
    ns = await store.delete(ctx.ref, undefined, name, { ...opts, propagationPolicy: 'Background' });
    const status = isPlainObject(ns.status) ? ns.status : {};
    ns = await store.update(ctx.ref, { ...ns, status: { ...status, phase: 'Terminating' } }, { subresource: 'status' });
  }
  sendJson(ctx.res, 200, ns, isTrue(ctx.query.get('pretty')));
}

/** PUT /api/v1/namespaces/<name>/finalize: replaces spec.finalizers; an empty list lets the namespace go. */
export async function finalizeNamespace(ctx: Ctx, name: string): Promise<void> {
  if (ctx.req.method !== 'PUT') throw methodNotAllowed();
  const body = decodeObject(await readBody(ctx.req, ctx.deps.maxBodyBytes), ctx.req.headers['content-type']);
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const wanted = Array.isArray(spec.finalizers) ? spec.finalizers : [];
  if (!wanted.every((f) => typeof f === 'string')) throw new ApiError('BadRequest', 'spec.finalizers must be a list of strings');
  const ns = await ctx.deps.store.get(ctx.ref, undefined, name);
  const next: KubeObject = { ...ns, spec: { ...(isPlainObject(ns.spec) ? ns.spec : {}), finalizers: wanted } };
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '') next.metadata = { ...next.metadata, resourceVersion: meta.resourceVersion };
  const out = await ctx.deps.store.update(ctx.ref, releaseIfFinalized(next));
  sendJson(ctx.res, 200, out, isTrue(ctx.query.get('pretty')));
}

/** Drops the mirrored metadata finalizer once a deleting namespace's spec.finalizers is empty. */
export function releaseIfFinalized(ns: KubeObject): KubeObject {
  if (!ns.metadata.deletionTimestamp || specFinalizers(ns).length > 0) return ns;
  const held = ns.metadata.finalizers ?? [];
  if (!held.includes(namespaceFinalizer)) return ns;
  return { ...ns, metadata: { ...ns.metadata, finalizers: held.filter((f) => f !== namespaceFinalizer) } };
}
