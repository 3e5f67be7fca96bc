/** DELETE of one object and of a collection (deletecollection), with DeleteOptions from the query or body. */
import { ApiError, apiVersionOf } from '../../api/index.js';
import type { KubeObject } from '../../api/index.js';
import type { DeleteOptions, ListOptions, PropagationPolicy } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { isTrue, present } from '../context.js';
import { afterDelete } from '../crd.js';
import { decodeJson, isPlainObject, readBody } from '../decode.js';
import { deletePod, isPods } from '../graceful.js';
import { dryRunOf } from '../pipeline.js';
import { sendJson } from '../respond.js';
import { filterOf } from './read.js';

const policies = new Set(['Background', 'Foreground', 'Orphan']);

function policyOf(v: unknown): PropagationPolicy | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !policies.has(v)) throw new ApiError('BadRequest', `propagationPolicy must be one of Background, Foreground or Orphan, got ${JSON.stringify(v)}`);
  return v as PropagationPolicy;
}

function graceOf(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new ApiError('BadRequest', `gracePeriodSeconds must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** DeleteOptions from the body (if any) overlaid by query parameters. */
export async function deleteOptionsOf(ctx: Ctx): Promise<DeleteOptions> {
  const raw = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const body = raw.length > 0 && raw.toString('utf8').trim() !== '' ? decodeJson(raw) : {};
  if (!isPlainObject(body)) throw new ApiError('BadRequest', 'DeleteOptions must be a JSON object');
  const opts: DeleteOptions = { dryRun: dryRunOf(ctx.query) || (Array.isArray(body.dryRun) && body.dryRun.includes('All')) };
  const policy = policyOf(ctx.query.get('propagationPolicy') ?? body.propagationPolicy)
    ?? (body.orphanDependents === true || ctx.query.get('orphanDependents') === 'true' ? 'Orphan' : undefined);
  if (policy) opts.propagationPolicy = policy;
  const grace = graceOf(ctx.query.get('gracePeriodSeconds') ?? body.gracePeriodSeconds);
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (isPlainObject(body.preconditions)) {
    const pre: { uid?: string; resourceVersion?: string } = {};
    if (typeof body.preconditions.uid === 'string') pre.uid = body.preconditions.uid;
    if (typeof body.preconditions.resourceVersion === 'string') pre.resourceVersion = body.preconditions.resourceVersion;
    opts.preconditions = pre;
  }
  return opts;
}

export async function deleteObject(ctx: Ctx, name: string): Promise<void> {
  const opts = await deleteOptionsOf(ctx);
  if (isPods(ctx)) {
    // Graceful deletion answers 200 with the object while it is pending (Kubernetes does too).
    const { obj } = await deletePod(ctx, ctx.path.namespace ?? '', name, opts);
    sendJson(ctx.res, 200, obj, isTrue(ctx.query.get('pretty')));
    return;
  }
  const obj = await ctx.deps.store.delete(ctx.ref, ctx.path.namespace, name, opts);
  const pending = obj.metadata.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).length > 0;
  if (!opts.dryRun && !pending) afterDelete(ctx, obj);
  sendJson(ctx.res, pending ? 202 : 200, present(ctx, obj), isTrue(ctx.query.get('pretty')));
}

export async function deleteCollection(ctx: Ctx): Promise<void> {
  const opts = await deleteOptionsOf(ctx);
  const listOpts: ListOptions = {};
  if (ctx.path.namespace !== undefined) listOpts.namespace = ctx.path.namespace;
  const filter = filterOf(ctx);
  if (filter) listOpts.filter = filter;
  const { items } = await ctx.deps.store.list(ctx.ref, listOpts);
  const deleted: KubeObject[] = [];
  for (const item of items) {
    try {
      const obj = isPods(ctx)
        ? (await deletePod(ctx, item.metadata.namespace ?? '', item.metadata.name ?? '', opts)).obj
        : await ctx.deps.store.delete(ctx.ref, item.metadata.namespace, item.metadata.name ?? '', opts);
      if (!opts.dryRun) afterDelete(ctx, obj);
      deleted.push(present(ctx, obj));
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
  }
  sendJson(ctx.res, 200, { kind: ctx.info.listKind, apiVersion: apiVersionOf(ctx.info.group, ctx.info.version), metadata: {}, items: deleted });
}
