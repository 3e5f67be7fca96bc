/** Dispatches a resource path (`/api/v1/...`, `/apis/<g>/<v>/...`) to its handler by method and shape. */
import { ApiError } from '../api/index.js';
import type { Ctx } from './context.js';
import { isTrue } from './context.js';
import { deleteCollection, deleteObject } from './handlers/delete.js';
import { deleteNamespace, finalizeNamespace, isNamespaces } from './handlers/namespaces.js';
import { patchObject } from './handlers/patch.js';
import { evictPod } from './handlers/eviction.js';
import { bindPod, podLog } from './handlers/pods.js';
import { getObject, listObjects } from './handlers/read.js';
import { handleScale } from './handlers/scale.js';
import { createObject, updateObject } from './handlers/write.js';
import { methodNotAllowed } from './respond.js';
import { serveWatch } from './watch.js';

export function noRoute(): ApiError {
  return new ApiError('NotFound', 'the server could not find the requested resource', {});
}

export async function serveResource(ctx: Ctx): Promise<void> {
  const { path, info } = ctx;
  if (!info.namespaced && path.namespace !== undefined && !(info.plural === 'namespaces')) throw noRoute();
  if (info.namespaced && path.name !== undefined && path.namespace === undefined) throw noRoute();
  const watch = path.watchPrefix || isTrue(ctx.query.get('watch'));
  const method = ctx.req.method ?? 'GET';
  if (path.name === undefined) return serveCollection(ctx, method, watch);
  if (path.subresource === undefined) return serveItem(ctx, method, watch, path.name);
  return serveSubresource(ctx, method, path.name, path.subresource);
}

async function serveCollection(ctx: Ctx, method: string, watch: boolean): Promise<void> {
  if (method === 'GET') return watch ? serveWatch(ctx) : listObjects(ctx);
  if (watch) throw methodNotAllowed();
  if (method === 'POST') return createObject(ctx);
  if (method === 'DELETE') return deleteCollection(ctx);
  throw methodNotAllowed();
}

async function serveItem(ctx: Ctx, method: string, watch: boolean, name: string): Promise<void> {
  if (method === 'GET') return watch ? serveWatch(ctx, name) : getObject(ctx, name);
  if (watch) throw methodNotAllowed();
  if (method === 'PUT') return updateObject(ctx, name);
  if (method === 'PATCH') return patchObject(ctx, name);
  if (method === 'DELETE') return isNamespaces(ctx) ? deleteNamespace(ctx, name) : deleteObject(ctx, name);
  throw methodNotAllowed();
}

async function serveSubresource(ctx: Ctx, method: string, name: string, sub: string): Promise<void> {
  const pods = ctx.info.group === '' && ctx.info.plural === 'pods';
  if (sub === 'status' && ctx.info.subresources.status) {
    if (method === 'GET') return getObject(ctx, name);
    if (method === 'PUT') return updateObject(ctx, name, 'status');
    if (method === 'PATCH') return patchObject(ctx, name, 'status');
    throw methodNotAllowed();
  }
  if (sub === 'finalize' && isNamespaces(ctx)) return finalizeNamespace(ctx, name);
  if (sub === 'scale' && ctx.info.subresources.scale) return handleScale(ctx, name);
  if (pods && sub === 'binding') return method === 'POST' ? bindPod(ctx, name) : Promise.reject(methodNotAllowed());
  if (pods && sub === 'eviction') return method === 'POST' ? evictPod(ctx, name) : Promise.reject(methodNotAllowed());
  if (pods && sub === 'log') return method === 'GET' ? podLog(ctx, name) : Promise.reject(methodNotAllowed());
  throw noRoute();
}
