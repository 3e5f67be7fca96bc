/**
 * CustomResourceDefinitions: registering the kinds a CRD defines (core/api's kindFromCRD), its
 * status conditions, and re-registration at start-up.
 */
import { kindFromCRD, validateCRD } from '../api/index.js';
import type { CustomResourceDefinition, KindInfo, KubeObject } from '../api/index.js';
import type { ObjectStore } from '../store/index.js';
import type { Logger } from '../util/index.js';
import { rfc3339 } from '../util/index.js';
import type { Ctx } from './context.js';
import { isPlainObject } from './decode.js';
import type { ApiRegistry } from './types.js';

export const crdGroup = 'apiextensions.k8s.io';
export const crdRef = { group: crdGroup, plural: 'customresourcedefinitions', namespaced: false };

export function isCrdKind(info: KindInfo): boolean {
  return info.group === crdGroup && info.plural === 'customresourcedefinitions';
}

/** Registers the CRD's kinds (replacing older versions). Returns false for an unusable CRD. */
export function registerCrd(registry: ApiRegistry, crd: KubeObject): boolean {
  let kinds: KindInfo[];
  try {
    if (validateCRD(crd).length > 0) return false;
    kinds = kindFromCRD(crd as CustomResourceDefinition);
  } catch {
    return false;
  }
  const c = crd as CustomResourceDefinition;
  registry.unregister(c.spec.group, c.spec.names.kind);
  for (const info of kinds) registry.register(info);
  return true;
}

function established(crd: CustomResourceDefinition, now: number): boolean {
  const conds = crd.status?.conditions ?? [];
  const has = (t: string): boolean => conds.some((c) => c.type === t && c.status === 'True');
  if (has('NamesAccepted') && has('Established')) return false;
  const ts = rfc3339(now);
  crd.status = {
    ...crd.status,
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: ts },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: ts },
    ],
    acceptedNames: { ...crd.spec.names },
    storedVersions: crd.spec.versions.filter((v) => v.storage).map((v) => v.name),
  };
  return true;
}

/** After a CRD is written: register its kinds and mark it Established. Other kinds pass through. */
export async function afterWrite(ctx: Ctx, obj: KubeObject): Promise<KubeObject> {
  if (!isCrdKind(ctx.info) || !registerCrd(ctx.deps.registry, obj)) return obj;
  const crd = structuredClone(obj) as CustomResourceDefinition;
  if (!established(crd, ctx.deps.clock.now())) return obj;
  return ctx.deps.store.update(crdRef, crd, { subresource: 'status' });
}

/** After a CRD is deleted: stop serving its kinds. */
export function afterDelete(ctx: Ctx, obj: KubeObject): void {
  if (!isCrdKind(ctx.info)) return;
  const c = obj as CustomResourceDefinition;
  if (isPlainObject(c.spec) && isPlainObject(c.spec.names)) ctx.deps.registry.unregister(c.spec.group, c.spec.names.kind);
}

/** Registers every CRD already in the store (server start-up). */
export async function loadCrds(store: ObjectStore, registry: ApiRegistry, log: Logger): Promise<number> {
  const { items } = await store.list(crdRef);
  let n = 0;
  for (const crd of items) {
    if (crd.metadata.deletionTimestamp) continue;
    if (registerCrd(registry, crd)) n++;
    else log.warn('skipping unusable crd', { name: crd.metadata.name });
  }
  return n;
}
