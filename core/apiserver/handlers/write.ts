/** POST (create) and PUT (update) of whole objects. */
import { ApiError } from '../../api/index.js';
import type { KubeObject } from '../../api/index.js';
import type { Ctx } from '../context.js';
import { readBody, decodeObject } from '../decode.js';
import { admit, dryRunOf } from '../pipeline.js';
import { afterWrite } from '../crd.js';
import { isPods, updateTerminatingPod } from '../graceful.js';
import { keepTimesOfNoop, withUpdateManager } from '../managed.js';
import { isNamespaces, releaseIfFinalized } from './namespaces.js';
import { respondOne } from './read.js';

export async function readObjectBody(ctx: Ctx): Promise<Record<string, unknown>> {
  const body = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  return decodeObject(body, ctx.req.headers['content-type']);
}

export async function createObject(ctx: Ctx): Promise<void> {
  const body = await readObjectBody(ctx);
  const obj = withUpdateManager(ctx, undefined, await admit(ctx, body));
  const created = await storeCreate(ctx, obj);
  respondOne(ctx, created, 201);
}

/** Creates, then lets CRD bookkeeping react (non-dry-run only). */
export async function storeCreate(ctx: Ctx, obj: KubeObject): Promise<KubeObject> {
  const dryRun = dryRunOf(ctx.query);
  const prepare = (ctx.view?.storage ?? ctx.info).finishCreate;
  const created = await ctx.deps.store.create(ctx.ref, obj, { dryRun, ...(prepare ? { prepare } : {}) });
  return dryRun ? created : afterWrite(ctx, created);
}

/** Updates, then lets CRD bookkeeping react (non-dry-run only). `live` is the object the update started from. */
export async function storeUpdate(ctx: Ctx, input: KubeObject, subresource: 'status' | '' = '', live?: KubeObject): Promise<KubeObject> {
  const dryRun = dryRunOf(ctx.query);
  const obj = keepTimesOfNoop(input, live, subresource);
  if (!dryRun && isPods(ctx)) {
    const kept = await updateTerminatingPod(ctx, live, obj, subresource);
    if (kept) return kept;
  }
  const next = isNamespaces(ctx) && subresource === '' ? releaseIfFinalized(obj) : obj;
  const updated = await ctx.deps.store.update(ctx.ref, next, { dryRun, subresource });
  return dryRun ? updated : afterWrite(ctx, updated);
}

export async function updateObject(ctx: Ctx, name: string, subresource: 'status' | '' = ''): Promise<void> {
  const body = await readObjectBody(ctx);
  if (body.metadata === undefined || body.metadata === null) body.metadata = { name };
  const meta = body.metadata;
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta)) {
    const bodyName = (meta as Record<string, unknown>).name;
    if (bodyName !== undefined && bodyName !== name) {
      throw new ApiError('BadRequest', 'the name of the object does not match the name on the URL');
    }
    (meta as Record<string, unknown>).name = name;
  }
  const old = await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
  const obj = withUpdateManager(ctx, old, await admit(ctx, body, old), subresource);
  const updated = await storeUpdate(ctx, obj, subresource, old);
  respondOne(ctx, updated, 200);
}
