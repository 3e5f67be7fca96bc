/** Pod-only subresources: binding (the scheduler's write) and log; eviction is in eviction.ts. */
import { ApiError } from '../../api/index.js';
import type { KubeObject } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import type { Ctx } from '../context.js';
import { isTrue } from '../context.js';
import { decodeObject, isPlainObject, readBody } from '../decode.js';
import type { LogRequest } from '../types.js';
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
  // Like Kubernetes' binding: the Binding's annotations are copied onto the pod.
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  if (isPlainObject(meta.annotations)) {
    const extra = Object.fromEntries(Object.entries(meta.annotations).filter((e): e is [string, string] => typeof e[1] === 'string'));
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...extra };
  }
  const dryRun = dryRunOf(ctx.query);
  const bound = await ctx.deps.store.update(ctx.ref, pod, { dryRun });
  if (!dryRun) await ctx.deps.store.update(ctx.ref, withScheduledCondition(bound, rfc3339(ctx.deps.clock.now())), { subresource: 'status' });
  sendJson(ctx.res, 201, { ...successStatus(), code: 201 });
}

/** `pod` with condition PodScheduled=True (lastTransitionTime `now` when it was not True already). Pure. */
export function withScheduledCondition(pod: KubeObject, now: string): KubeObject {
  const status = isPlainObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
  const prev = conditions.find((c) => c.type === 'PodScheduled');
  const cond = { type: 'PodScheduled', status: 'True', lastTransitionTime: prev?.status === 'True' && typeof prev.lastTransitionTime === 'string' ? prev.lastTransitionTime : now };
  const next = prev ? conditions.map((c) => (c === prev ? cond : c)) : [...conditions, cond];
  return { ...pod, status: { ...status, conditions: next } };
}

function intParam(ctx: Ctx, key: string, min: number): number | undefined {
  const v = ctx.query.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new ApiError('BadRequest', `${key}: Invalid value: "${v}": must be an integer greater than or equal to ${min}`);
  return n;
}

/** The PodLogOptions of a `pods/log` query. */
export function logRequestOf(ctx: Ctx, name: string): LogRequest {
  const q = ctx.query;
  const req: LogRequest = { namespace: ctx.path.namespace ?? 'default', pod: name, follow: isTrue(q.get('follow')), previous: isTrue(q.get('previous')) };
  const container = q.get('container');
  if (container) req.container = container;
  if (isTrue(q.get('timestamps'))) req.timestamps = true;
  const tail = intParam(ctx, 'tailLines', 0);
  if (tail !== undefined) req.tailLines = tail;
  const since = intParam(ctx, 'sinceSeconds', 1);
  if (since !== undefined) req.sinceSeconds = since;
  const limit = intParam(ctx, 'limitBytes', 1);
  if (limit !== undefined) req.limitBytes = limit;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    if (Number.isNaN(Date.parse(sinceTime))) throw new ApiError('BadRequest', `sinceTime: Invalid value: "${sinceTime}": must be an RFC 3339 time`);
    req.sinceTime = sinceTime;
  }
  if (req.sinceTime !== undefined && req.sinceSeconds !== undefined) throw new ApiError('BadRequest', 'at most one of `sinceTime` or `sinceSeconds` may be specified');
  return req;
}

export async function podLog(ctx: Ctx, name: string): Promise<void> {
  await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
  const logs = ctx.deps.logs;
  if (!logs) throw new ApiError('ServiceUnavailable', 'pod logs are not available: no node agent log provider is configured');
  const req = logRequestOf(ctx, name);
  const { res } = ctx;
  // The 200 header goes out only when the provider is ready (or with its first write), so its
  // errors before that are still answered as a Status.
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/plain');
  const onReady = (): void => {
    if (!res.headersSent) res.flushHeaders();
  };
  await logs.stream(req, res, ctx.signal, onReady);
  res.end();
}
