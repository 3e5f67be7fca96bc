/** GET of one object and of a collection (list), with Table output when asked. */
import { ApiError, apiVersionOf } from '../../api/index.js';
import type { KubeObject } from '../../api/index.js';
import type { ListOptions } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { isTrue, present } from '../context.js';
import { sendJson } from '../respond.js';
import { compileSelectors } from '../selectors.js';
import { tableFor, wantsTable } from '../tables.js';

export async function getObject(ctx: Ctx, name: string): Promise<void> {
  const obj = await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
  respondOne(ctx, obj, 200);
}

/** Answers with an object, or a one-row Table when the client asked for tables. */
export function respondOne(ctx: Ctx, obj: KubeObject, code: number): void {
  const pretty = isTrue(ctx.query.get('pretty'));
  if (wantsTable(ctx.req.headers.accept)) {
    sendJson(ctx.res, code, tableFor(ctx.info, [obj], ctx.deps.clock.now(), includeObjectOf(ctx), { resourceVersion: obj.metadata.resourceVersion ?? '' }), pretty);
    return;
  }
  sendJson(ctx.res, code, present(ctx, obj), pretty);
}

export function includeObjectOf(ctx: Ctx): 'None' | 'Metadata' | 'Object' {
  const v = ctx.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** The filter from labelSelector and fieldSelector. */
export function filterOf(ctx: Ctx): ListOptions['filter'] {
  return compileSelectors(ctx.query.get('labelSelector'), ctx.query.get('fieldSelector'));
}

export async function listObjects(ctx: Ctx): Promise<void> {
  const opts: ListOptions = {};
  if (ctx.path.namespace !== undefined) opts.namespace = ctx.path.namespace;
  const filter = filterOf(ctx);
  if (filter) opts.filter = filter;
  const limit = ctx.query.get('limit');
  if (limit !== null && limit !== '') {
    const n = Number(limit);
    if (!Number.isSafeInteger(n) || n < 0) throw new ApiError('BadRequest', `invalid limit "${limit}"`);
    if (n > 0) opts.limit = n;
  }
  const cont = ctx.query.get('continue');
  if (cont) opts.continue = cont;
  const result = await ctx.deps.store.list(ctx.ref, opts);
  const meta: { resourceVersion: string; continue?: string } = { resourceVersion: result.resourceVersion };
  if (result.continue) meta.continue = result.continue;
  const pretty = isTrue(ctx.query.get('pretty'));
  if (wantsTable(ctx.req.headers.accept)) {
    sendJson(ctx.res, 200, tableFor(ctx.info, result.items, ctx.deps.clock.now(), includeObjectOf(ctx), meta), pretty);
    return;
  }
  sendJson(ctx.res, 200, { kind: ctx.info.listKind, apiVersion: apiVersionOf(ctx.info.group, ctx.info.version), metadata: meta, items: result.items.map((o) => present(ctx, o)) }, pretty);
}
