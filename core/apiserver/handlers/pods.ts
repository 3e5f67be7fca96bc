/** Pod-only subresources: binding (the scheduler's write), eviction and log. */
import { ApiError } from '../../api/index.js';
import type { Ctx } from '../context.js';
import { decodeObject, isPlainObject, readBody } from '../decode.js';
import type { DeleteOptions } from '../../store/index.js';
import { deletePod } from '../graceful.js';
import { dryRunOf } from '../pipeline.js';
import { sendJson, successStatus } from '../respond.js';

export async function bindPod(ctx: Ctx, name: string): Promise<void> {
  const body = decodeObject(await readBody(ctx.req, ctx.deps.maxBodyBytes), ctx.req.headers['content-type']);
  const target = isPlainObject(body.target) ? body.target : undefined;
  const node = target?.name;
  if (typeof node !== 'string' || node === '') {
    throw new ApiError('Invalid', `Binding "${name}" is invalid: target.name: Required value`,
      { name, kind: 'Binding', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }] });
  }
  const pod = await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
  const spec = isPlainObject(pod.spec) ? pod.spec : (pod.spec = {});
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
    throw new ApiError('Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"`,
      { name, kind: 'pods/binding' });
  }
  if (pod.metadata.deletionTimestamp) throw new ApiError('Conflict', `pod ${name} is being deleted, cannot be assigned to a host`, { name, kind: 'pods/binding' });
  spec.nodeName = node;
  await ctx.deps.store.update(ctx.ref, pod, { dryRun: dryRunOf(ctx.query) });
  sendJson(ctx.res, 201, { ...successStatus(), code: 201 });
}

export async function evictPod(ctx: Ctx, name: string): Promise<void> {
  const body = decodeObject(await readBody(ctx.req, ctx.deps.maxBodyBytes), ctx.req.headers['content-type']);
  const opts = isPlainObject(body.deleteOptions) ? body.deleteOptions : {};
  const dryRun = dryRunOf(ctx.query) || (Array.isArray(opts.dryRun) && opts.dryRun.includes('All'));
  const del: DeleteOptions = { dryRun };
  if (typeof opts.gracePeriodSeconds === 'number' && Number.isSafeInteger(opts.gracePeriodSeconds)) del.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (isPlainObject(opts.preconditions)) {
    const { uid, resourceVersion } = opts.preconditions;
    del.preconditions = { ...(typeof uid === 'string' ? { uid } : {}), ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}) };
  }
  await deletePod(ctx, ctx.path.namespace ?? '', name, del);
  sendJson(ctx.res, 201, { ...successStatus(), code: 201 });
}

export async function podLog(ctx: Ctx, name: string): Promise<void> {
  await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
  const logs = ctx.deps.logs;
  if (!logs) throw new ApiError('ServiceUnavailable', 'pod logs are not available: no node agent log provider is configured');
  const tail = ctx.query.get('tailLines');
  const req: Parameters<typeof logs.stream>[0] = {
    namespace: ctx.path.namespace ?? 'default', pod: name,
    follow: ctx.query.get('follow') === 'true', previous: ctx.query.get('previous') === 'true',
  };
  const container = ctx.query.get('container');
  if (container) req.container = container;
  if (tail !== null && Number.isSafeInteger(Number(tail))) req.tailLines = Number(tail);
  // Headers go out with the first log bytes, so a provider error before any output is still a Status.
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Type', 'text/plain');
  await logs.stream(req, ctx.res, ctx.signal);
  ctx.res.end();
}
