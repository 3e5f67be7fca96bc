/** The `scale` subresource: autoscaling/v1 Scale over a kind's replicas paths. */
import { ApiError, isConflict } from '../../api/index.js';
import type { KubeObject, ScaleSubresource } from '../../api/index.js';
import type { Ctx } from '../context.js';
import { isTrue } from '../context.js';
import { decodeJson, decodeObject, decodeYaml, isPlainObject, readBody } from '../decode.js';
import * as patchLib from '../patch/index.js';
import { defaultAndValidate, dryRunOf } from '../pipeline.js';
import { methodNotAllowed, sendJson } from '../respond.js';
import { formatLabelSelector } from '../selectors.js';
import { patchTypeOf } from './patch.js';

function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    cur = isPlainObject(next) ? next : (cur[p] = {}) as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] ?? ''] = value;
}

function scaleOf(sub: ScaleSubresource, obj: KubeObject): Record<string, unknown> {
  // Built-in workloads keep their selector in spec.selector (a LabelSelector); CRDs point at a string.
  const sel = (sub.labelSelectorPath ? getPath(obj, sub.labelSelectorPath) : undefined) ?? getPath(obj, 'spec.selector');
  const status: Record<string, unknown> = { replicas: Number(getPath(obj, sub.statusReplicasPath) ?? 0) || 0 };
  const selector = typeof sel === 'string' ? sel : formatLabelSelector(sub.selectorIsMap ? { matchLabels: sel } : sel);
  if (selector !== '') status.selector = selector;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: Number(getPath(obj, sub.specReplicasPath) ?? 0) || 0 },
    status,
  };
}

function replicasOf(scale: Record<string, unknown>): number {
  const spec = scale.spec;
  const r = isPlainObject(spec) ? spec.replicas : undefined;
  if (r === undefined || r === null) return 0;
  if (typeof r !== 'number' || !Number.isSafeInteger(r)) throw new ApiError('BadRequest', 'Scale in version "v1" cannot be handled as a Scale: spec.replicas: must be an integer');
  return r;
}

async function writeScale(ctx: Ctx, sub: ScaleSubresource, name: string, live: KubeObject, scale: Record<string, unknown>): Promise<KubeObject> {
  const replicas = replicasOf(scale);
  if (replicas < 0) {
    throw new ApiError('Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
      { name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' }] });
  }
  const obj = structuredClone(live);
  setPath(obj, sub.specReplicasPath, replicas);
  const meta = isPlainObject(scale.metadata) ? scale.metadata : {};
  if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '') obj.metadata.resourceVersion = meta.resourceVersion;
  defaultAndValidate(ctx.info, obj, live);
  return ctx.deps.store.update(ctx.ref, obj, { dryRun: dryRunOf(ctx.query) });
}

export async function handleScale(ctx: Ctx, name: string): Promise<void> {
  const sub = ctx.info.subresources.scale;
  if (!sub) throw new ApiError('NotFound', `the server could not find the requested resource`);
  const pretty = isTrue(ctx.query.get('pretty'));
  const method = ctx.req.method ?? 'GET';
  if (method === 'GET') {
    sendJson(ctx.res, 200, scaleOf(sub, await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name)), pretty);
    return;
  }
  if (method === 'PUT') {
    const scale = decodeObject(await readBody(ctx.req, ctx.deps.maxBodyBytes), ctx.req.headers['content-type']);
    const live = await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
    sendJson(ctx.res, 200, scaleOf(sub, await writeScale(ctx, sub, name, live, scale)), pretty);
    return;
  }
  if (method !== 'PATCH') throw methodNotAllowed();
  const type = patchTypeOf(ctx);
  const raw = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const patch = type === 'apply' ? decodeYaml(raw) : decodeJson(raw);
  for (let attempt = 1; ; attempt++) {
    const live = await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
    const current = scaleOf(sub, live);
    const patched = type === 'json' ? patchLib.applyJsonPatch(current, patch) : patchLib.applyMergePatch(current, patch);
    if (!isPlainObject(patched)) throw new ApiError('BadRequest', 'the patch produced something that is not an object');
    try {
      sendJson(ctx.res, 200, scaleOf(sub, await writeScale(ctx, sub, name, live, patched)), pretty);
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 5) throw e;
    }
  }
}
