/** PATCH: JSON patch, merge patch, strategic merge patch and server-side apply, then the update pipeline. */
import { ApiError, isConflict, isNotFound } from '../../api/index.js';
import type { KubeObject } from '../../api/index.js';
import type { Ctx } from '../context.js';
import { present } from '../context.js';
import { decodeJson, decodeYaml, isPlainObject, readBody } from '../decode.js';
import { checkPatchedDepth } from '../depth.js';
import * as patchLib from '../patch/index.js';
import type { PatchType } from '../patch/index.js';
import { withUpdateManager } from '../managed.js';
import { admit } from '../pipeline.js';
import { respondOne } from './read.js';
import { storeCreate, storeUpdate } from './write.js';

/** How often a patch is re-applied after losing a race with another writer (Kubernetes retries too). */
const maxAttempts = 5;

export function patchTypeOf(ctx: Ctx): PatchType {
  const type = patchLib.patchTypeFromContentType(ctx.req.headers['content-type']);
  if (!type || ctx.req.headers['content-type']?.includes('cbor')) {
    throw new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
  }
  return type;
}

interface PatchRequest { type: PatchType; patch: unknown; manager: string; force: boolean }

async function readPatch(ctx: Ctx): Promise<PatchRequest> {
  const type = patchTypeOf(ctx);
  const raw = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const patch = type === 'apply' ? decodeYaml(raw) : decodeJson(raw);
  if (type === 'json' ? !Array.isArray(patch) : !isPlainObject(patch)) {
    throw new ApiError('BadRequest', type === 'json' ? 'json patch must be a JSON array of operations' : 'the patch must be a JSON object');
  }
  const manager = ctx.query.get('fieldManager') ?? '';
  if (type === 'apply' && manager === '') throw new ApiError('BadRequest', 'PATCH, application/apply-patch+yaml requires fieldManager to be set');
  const force = ctx.query.get('force') === 'true';
  if (force && type !== 'apply') throw new ApiError('BadRequest', 'force must be unset for non-apply patch requests');
  return { type, patch, manager, force };
}


/** The patched object, before managed fields are recorded; deeper than the nesting limit is a 422. */
function patchedObject(ctx: Ctx, current: KubeObject | undefined, p: PatchRequest): unknown {
  switch (p.type) {
    case 'json': return patchLib.applyJsonPatch(current, p.patch);
    case 'merge': return patchLib.applyMergePatch(current, p.patch);
    case 'strategic': return patchLib.applyStrategicMergePatch(current, p.patch, ctx.info.schema);
    case 'apply': return undefined;
  }
}

function applyPatch(ctx: Ctx, live: KubeObject | undefined, p: PatchRequest, subresource: 'status' | ''): Record<string, unknown> {
  const current = live === undefined ? undefined : structuredClone(present(ctx, live));
  let out: unknown;
  if (p.type === 'apply') {
    if (!isPlainObject(p.patch)) throw new ApiError('BadRequest', 'the apply configuration must be an object');
    const opts = { force: p.force, now: new Date(ctx.deps.clock.now()), ...(subresource === 'status' ? { subresource: 'status' as const } : {}) };
    const r = patchLib.serverSideApply(current, p.patch, p.manager, ctx.info.schema, opts);
    if (r.conflicts.length > 0) throw patchLib.conflictError(r.conflicts);
    out = r.object;
    checkPatchedDepth(out);
  } else {
    const patched = patchedObject(ctx, current, p);
    checkPatchedDepth(patched);
    out = withUpdate(ctx, live, patched, subresource);
  }
  if (!isPlainObject(out)) throw new ApiError('BadRequest', 'the patch produced something that is not an object');
  return out;
}

function patchedResourceVersion(p: PatchRequest): string | undefined {
  if (!isPlainObject(p.patch) || !isPlainObject(p.patch.metadata)) return undefined;
  const rv = p.patch.metadata.resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}

function withUpdate(ctx: Ctx, live: KubeObject | undefined, out: unknown, subresource: 'status' | ''): unknown {
  return isPlainObject(out) ? withUpdateManager(ctx, live, out as KubeObject, subresource) : out;
}

export async function patchObject(ctx: Ctx, name: string, subresource: 'status' | '' = ''): Promise<void> {
  const p = await readPatch(ctx);
  const pinned = patchedResourceVersion(p);
  for (let attempt = 1; ; attempt++) {
    let live: KubeObject | undefined;
    try {
      live = await ctx.deps.store.get(ctx.ref, ctx.path.namespace, name);
    } catch (e) {
      if (!(isNotFound(e) && p.type === 'apply' && subresource === '')) throw e;
    }
    const patched = applyPatch(ctx, live, p, subresource);
    const meta = isPlainObject(patched.metadata) ? patched.metadata : (patched.metadata = {});
    if (meta.name !== undefined && meta.name !== name) throw new ApiError('BadRequest', 'the name of the object does not match the name on the URL');
    meta.name = name;
    if (!live) {
      const obj = await admit(ctx, patched);
      respondOne(ctx, await storeCreate(ctx, obj), 201);
      return;
    }
    meta.resourceVersion = pinned ?? live.metadata.resourceVersion;
    const obj = await admit(ctx, patched, live);
    try {
      respondOne(ctx, await storeUpdate(ctx, obj, subresource, live), 200);
      return;
    } catch (e) {
      if (!isConflict(e) || pinned !== undefined || attempt >= maxAttempts) throw e;
    }
  }
}
