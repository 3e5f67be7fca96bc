/** Records managedFields `Update` entries for non-apply writes (create, update, patch), as Kubernetes does. */
import type { KubeObject } from '../api/index.js';
import type { Ctx } from './context.js';
import { recordUpdateManager } from './patch/index.js';

/** The field manager: `?fieldManager=`, else the User-Agent's product name (`kubectl/v1.32 …` → `kubectl`). */
export function managerOf(ctx: Ctx): string {
  const explicit = ctx.query.get('fieldManager');
  if (explicit) return explicit;
  const ua = ctx.req.headers['user-agent'] ?? '';
  const name = ua.split('/')[0]?.trim() ?? '';
  return name === '' ? 'unknown' : name.slice(0, 128);
}

/** Returns `after` with the manager's Update entry recorded (best effort: a failure leaves managedFields as they were). */
export function withUpdateManager(ctx: Ctx, before: KubeObject | undefined, after: KubeObject, subresource: 'status' | '' = ''): KubeObject {
  if (ctx.view) return after; // field ownership is tracked in the stored version only
  try {
    const opts = { now: new Date(ctx.deps.clock.now()), ...(subresource === 'status' ? { subresource: 'status' as const } : {}) };
    return recordUpdateManager(before, after, managerOf(ctx), ctx.info.schema, opts) as KubeObject;
  } catch (e) {
    ctx.deps.log.warn('could not record managed fields', { kind: ctx.info.kind, err: e instanceof Error ? e.message : String(e) });
    return after;
  }
}

function withoutTimes(obj: KubeObject, dropStatus: boolean): string {
  const { resourceVersion: _rv, managedFields, ...meta } = obj.metadata;
  const fields = (managedFields ?? []).map((e) => {
    const { time: _t, ...rest } = e;
    return rest;
  });
  const { status, ...rest } = obj;
  return canonical({ ...rest, ...(dropStatus ? {} : { status }), metadata: { ...meta, managedFields: fields } });
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    const rec = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, rec[k]]));
  });
}

/**
 * A write that would change nothing but managedFields timestamps keeps `live`'s managedFields,
 * so the store sees no change and skips it (Kubernetes does not bump resourceVersion for a
 * no-op apply or update). The main resource ignores status (the store keeps the stored one).
 */
export function keepTimesOfNoop(obj: KubeObject, live: KubeObject | undefined, subresource: 'status' | ''): KubeObject {
  if (!live || withoutTimes(obj, subresource === '') !== withoutTimes(live, subresource === '')) return obj;
  const meta = { ...obj.metadata };
  if (live.metadata.managedFields === undefined) delete meta.managedFields;
  else meta.managedFields = live.metadata.managedFields;
  return { ...obj, metadata: meta };
}
