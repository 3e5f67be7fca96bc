/**
 * `POST pods/NAME/eviction` (policy/v1 or v1beta1 Eviction): deletes the pod unless that would violate
 * its PodDisruptionBudget, spending one of the budget's allowed disruptions atomically (optimistic
 * concurrency on the budget's status: two evictions cannot both spend the last one). As Kubernetes'
 * EvictionREST: terminal, Pending and terminating pods skip the budgets; more than one budget → 500;
 * an exhausted budget → 429 with a `DisruptionBudget` cause; `deleteOptions` are honoured.
 */
import { ApiError, isConflict } from '../../api/index.js';
import type { KubeObject, PodDisruptionBudget } from '../../api/index.js';
import type { DeleteOptions, ResourceRef } from '../../store/index.js';
import { rfc3339 } from '../../util/index.js';
import type { Ctx } from '../context.js';
import { decodeObject, isPlainObject, readBody } from '../decode.js';
import { budgetsFor, canIgnoreBudgets, pinsResourceVersion, spendDisruption, stillProcessing, unhealthyMayGo, withDisruptionTarget } from '../eviction-budget.js';
import { deletePod } from '../graceful.js';
import { dryRunOf } from '../pipeline.js';
import { sendJson, successStatus } from '../respond.js';

const pdbRef: ResourceRef = { group: 'policy', plural: 'poddisruptionbudgets', namespaced: true };
const podsRef: ResourceRef = { group: '', plural: 'pods', namespaced: true };
const maxAttempts = 20;

/** The request's DeleteOptions, with the query's dryRun (propagateDryRun). */
function deleteOptionsOf(ctx: Ctx, body: Record<string, unknown>): DeleteOptions {
  const opts = isPlainObject(body.deleteOptions) ? body.deleteOptions : {};
  const queryDry = dryRunOf(ctx.query);
  const bodyDry = Array.isArray(opts.dryRun) ? opts.dryRun : [];
  for (const d of bodyDry) if (d !== 'All') throw new ApiError('BadRequest', `unsupported dryRun value "${String(d)}": only "All" is supported`);
  if (ctx.query.getAll('dryRun').length > 0 && bodyDry.length > 0 && queryDry !== bodyDry.includes('All')) {
    throw new ApiError('BadRequest', `Non-matching dry-run options in request and content: [${ctx.query.getAll('dryRun').join(' ')}] and [${bodyDry.join(' ')}]`);
  }
  const del: DeleteOptions = { dryRun: queryDry || bodyDry.includes('All') };
  if (typeof opts.gracePeriodSeconds === 'number' && Number.isSafeInteger(opts.gracePeriodSeconds)) del.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.propagationPolicy === 'Orphan' || opts.propagationPolicy === 'Background' || opts.propagationPolicy === 'Foreground') del.propagationPolicy = opts.propagationPolicy;
  if (isPlainObject(opts.preconditions)) {
    const { uid, resourceVersion } = opts.preconditions;
    del.preconditions = { ...(typeof uid === 'string' ? { uid } : {}), ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}) };
  }
  return del;
}

const pinned = (o: DeleteOptions): boolean => o.preconditions?.resourceVersion !== undefined;
const withVersion = (o: DeleteOptions, resourceVersion: string | undefined): DeleteOptions =>
  resourceVersion === undefined ? o : { ...o, preconditions: { ...(o.preconditions ?? {}), resourceVersion } };

export async function evictPod(ctx: Ctx, name: string): Promise<void> {
  const body = decodeObject(await readBody(ctx.req, ctx.deps.maxBodyBytes), ctx.req.headers['content-type']);
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  if (meta.name !== name) throw new ApiError('BadRequest', 'name in URL does not match name in Eviction object');
  const namespace = ctx.path.namespace ?? 'default';
  const original = deleteOptionsOf(ctx, body);
  const pod = await podOrDeleteFreely(ctx, namespace, name, original);
  if (!pod) return void sendJson(ctx.res, 201, { ...successStatus(), code: 201 });
  const budgets = budgetsFor(pod, (await ctx.deps.store.list(pdbRef, { namespace })).items as PodDisruptionBudget[]);
  if (budgets.length > 1) {
    sendJson(ctx.res, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });
    return;
  }
  const pdb = budgets[0];
  let opts = original;
  if (pdb && unhealthyMayGo(pod, pdb)) opts = pinned(original) ? original : withVersion(original, pod.metadata.resourceVersion);
  else if (pdb) await spendBudget(ctx, pdb, name, original.dryRun === true);
  try {
    await markAndDelete(ctx, namespace, name, opts);
  } catch (e) {
    // The unready pod became ready (or changed) since the budget was read: let the client retry.
    if (isConflict(e) && pdb && opts !== original && !pinned(original)) throw stillProcessing(pdb.metadata.name ?? '');
    throw e;
  }
  sendJson(ctx.res, 201, { ...successStatus(), code: 201 });
}

/** Returns the pod when budgets apply to it; otherwise deletes it (pinned to its version) and returns undefined. */
async function podOrDeleteFreely(ctx: Ctx, namespace: string, name: string, original: DeleteOptions): Promise<KubeObject | undefined> {
  for (let attempt = 1; ; attempt++) {
    const pod = await ctx.deps.store.get(podsRef, namespace, name);
    if (!canIgnoreBudgets(pod)) return pod;
    const opts = pinsResourceVersion(pod) && !pinned(original) ? withVersion(original, pod.metadata.resourceVersion) : original;
    try {
      await markAndDelete(ctx, namespace, name, opts);
      return undefined;
    } catch (e) {
      if (!isConflict(e) || pinned(original) || attempt >= maxAttempts) throw e;
    }
  }
}

/** Spends one disruption of `pdb` (re-reading it after a conflict), or throws the 429/403. */
async function spendBudget(ctx: Ctx, first: PodDisruptionBudget, podName: string, dryRun: boolean): Promise<void> {
  let pdb = first;
  for (let attempt = 1; ; attempt++) {
    const spent = spendDisruption(pdb, podName, rfc3339(ctx.deps.clock.now()), dryRun);
    if (dryRun) return;
    try {
      await ctx.deps.store.update(pdbRef, spent, { subresource: 'status' });
      return;
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (attempt >= maxAttempts) throw new ApiError('Timeout', `couldn't update PodDisruptionBudget "${pdb.metadata.name ?? ''}" due to conflicts`, { retryAfterSeconds: 10 });
      pdb = await ctx.deps.store.get(pdbRef, pdb.metadata.namespace, pdb.metadata.name ?? '') as PodDisruptionBudget;
    }
  }
}

/** addConditionAndDeletePod: DisruptionTarget=True on the latest pod (honouring the preconditions), then the graceful delete. */
async function markAndDelete(ctx: Ctx, namespace: string, name: string, opts: DeleteOptions): Promise<void> {
  let del = opts;
  if (!opts.dryRun) {
    const latest = await ctx.deps.store.get(podsRef, namespace, name);
    const pre = opts.preconditions;
    if ((pre?.uid !== undefined && pre.uid !== latest.metadata.uid) || (pre?.resourceVersion !== undefined && pre.resourceVersion !== latest.metadata.resourceVersion)) {
      const which = pre?.uid !== undefined && pre.uid !== latest.metadata.uid
        ? `the UID in the precondition (${pre.uid}) does not match the UID in record (${latest.metadata.uid ?? ''}). The object might have been deleted and then recreated`
        : `the ResourceVersion in the precondition (${pre?.resourceVersion ?? ''}) does not match the ResourceVersion in record (${latest.metadata.resourceVersion ?? ''}). The object might have been modified`;
      throw new ApiError('Conflict', `Operation cannot be fulfilled on Pod "${name}": ${which}`, { name, kind: 'Pod' });
    }
    if (!latest.metadata.deletionTimestamp) {
      const updated = await ctx.deps.store.update(podsRef, withDisruptionTarget(latest, rfc3339(ctx.deps.clock.now())), { subresource: 'status' });
      if (pinned(opts)) del = withVersion(opts, updated.metadata.resourceVersion);
    }
  }
  await deletePod(ctx, namespace, name, del);
}
