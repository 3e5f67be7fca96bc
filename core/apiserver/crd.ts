/**
 * CustomResourceDefinitions: turning a CRD into served kinds (local stand-in for core/api's
 * kindFromCRD/validateCRD), its status conditions, and re-registration at start-up.
 */
import type { CustomResourceDefinition, FieldError, JSONSchemaProps, KindInfo, KubeObject } from '../api/index.js';
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

const verbs = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** Fills schema `default`s into missing fields, in place. */
export function applySchemaDefaults(v: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(v)) {
    for (const item of v) applySchemaDefaults(item, s.items);
    return;
  }
  if (!isPlainObject(v)) return;
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    if (v[key] === undefined && sub.default !== undefined) v[key] = structuredClone(sub.default);
    applySchemaDefaults(v[key], sub);
  }
}

/** The kinds one CRD serves (one per served version). */
export function kindsFromCrd(crd: CustomResourceDefinition): KindInfo[] {
  const { group, names, scope } = crd.spec;
  return crd.spec.versions.filter((v) => v.served).map((v) => {
    const schema: JSONSchemaProps = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const info: KindInfo = {
      group, version: v.name, kind: names.kind, listKind: names.listKind ?? `${names.kind}List`, plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(), shortNames: names.shortNames ?? [], categories: names.categories ?? [],
      namespaced: scope === 'Namespaced', verbs, custom: true, schema,
      subresources: { status: v.subresources?.status !== undefined, ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}) },
      defaults: (obj) => applySchemaDefaults(obj, schema),
      printerColumns: (v.additionalPrinterColumns ?? []).map((c) => ({
        name: c.name, jsonPath: c.jsonPath, priority: c.priority ?? 0,
        type: (['string', 'integer', 'number', 'boolean', 'date'].includes(c.type) ? c.type : 'string') as 'string',
        ...(c.description ? { description: c.description } : {}),
      })),
    };
    return info;
  });
}

/** Semantic checks of a CRD that the schema check does not cover (422 field errors). */
export function crdErrors(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const names = isPlainObject(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  const req = (field: string): void => void errs.push({ field, type: 'FieldValueRequired', message: 'Required value' });
  if (!group) req('spec.group');
  else if (!group.includes('.')) errs.push({ field: 'spec.group', type: 'FieldValueInvalid', message: `Invalid value: "${group}": should be a domain with at least one dot` });
  if (!plural) req('spec.names.plural');
  if (typeof names.kind !== 'string' || names.kind === '') req('spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errs.push({ field: 'spec.scope', type: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"` });
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : [];
  if (versions.length === 0) req('spec.versions');
  else if (versions.filter((v) => v.storage === true).length !== 1) errs.push({ field: 'spec.versions', type: 'FieldValueInvalid', message: 'Invalid value: must have exactly one version marked as storage version' });
  if (plural && group && obj.metadata.name !== `${plural}.${group}`) {
    errs.push({ field: 'metadata.name', type: 'FieldValueInvalid', message: `Invalid value: "${obj.metadata.name ?? ''}": must be spec.names.plural+"."+spec.group` });
  }
  return errs;
}

/** Registers the CRD's kinds (replacing older versions). Returns false for an unusable CRD. */
export function registerCrd(registry: ApiRegistry, crd: KubeObject): boolean {
  if (crdErrors(crd).length > 0) return false;
  const c = crd as CustomResourceDefinition;
  registry.unregister(c.spec.group, c.spec.names.kind);
  for (const info of kindsFromCrd(c)) registry.register(info);
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
