/** CustomResourceDefinition validation (apiextensions `ValidateCustomResourceDefinition`, the parts skiff uses). */
import type { FieldError } from '../errors.js';
import type { CustomResourceDefinition, JSONSchemaProps } from '../kinds/other.js';
import type { KubeObject } from '../meta.js';
import { duplicate, forbidden, fromMessages, invalid, notSupported, oneOf, required } from './field.js';
import { validateObjectMeta } from './meta.js';
import { isDNS1035Label, isDNS1123Subdomain } from './names.js';

const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const SCHEMA_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

function validateNames(crd: CustomResourceDefinition): FieldError[] {
  const n = crd.spec.names;
  if (!n) return [required('spec.names')];
  const errs: FieldError[] = [];
  if (!n.plural) errs.push(required('spec.names.plural'));
  else errs.push(...fromMessages('spec.names.plural', n.plural, isDNS1035Label(n.plural)));
  if (n.singular) errs.push(...fromMessages('spec.names.singular', n.singular, isDNS1035Label(n.singular)));
  if (!n.kind) errs.push(required('spec.names.kind'));
  else if (!/^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(n.kind)) errs.push(invalid('spec.names.kind', n.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  if (n.listKind !== undefined && n.listKind === n.kind) errs.push(invalid('spec.names.listKind', n.listKind, 'kind and listKind may not be the same'));
  (n.shortNames ?? []).forEach((s, i) => errs.push(...fromMessages(`spec.names.shortNames[${i}]`, s, isDNS1035Label(s))));
  (n.categories ?? []).forEach((c, i) => errs.push(...fromMessages(`spec.names.categories[${i}]`, c, isDNS1035Label(c))));
  return errs;
}

const isObj = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMERIC = ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'multipleOf'] as const;

/** Keywords must have the JSON types OpenAPI gives them (so checking instances can rely on them). */
function shapeErrors(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (s.enum !== undefined && !Array.isArray(s.enum)) errs.push(invalid(`${path}.enum`, s.enum, 'must be an array'));
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string'))) errs.push(invalid(`${path}.required`, s.required, 'must be a list of strings'));
  if (s.properties !== undefined && !isObj(s.properties)) errs.push(invalid(`${path}.properties`, s.properties, 'must be an object'));
  if (s.items !== undefined && !isObj(s.items)) errs.push(invalid(`${path}.items`, s.items, 'must be a schema object'));
  if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean' && !isObj(s.additionalProperties)) {
    errs.push(invalid(`${path}.additionalProperties`, s.additionalProperties, 'must be a boolean or a schema object'));
  }
  if (s.pattern !== undefined && typeof s.pattern !== 'string') errs.push(invalid(`${path}.pattern`, s.pattern, 'must be a string'));
  for (const k of NUMERIC) if (s[k] !== undefined && typeof s[k] !== 'number') errs.push(invalid(`${path}.${k}`, s[k], 'must be a number'));
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (list !== undefined && !(Array.isArray(list) && list.every(isObj))) errs.push(invalid(`${path}.${k}`, list, 'must be a list of schema objects'));
  }
  if (s.not !== undefined && !isObj(s.not)) errs.push(invalid(`${path}.not`, s.not, 'must be a schema object'));
  return errs;
}

/** Structural-schema rules: every node has a type unless it is int-or-string or preserves unknown fields. */
export function validateStructural(s: JSONSchemaProps | undefined, path: string, root = false): FieldError[] {
  if (s === undefined) return [];
  if (!isObj(s)) return [invalid(path, s, 'must be a schema object')];
  const errs: FieldError[] = [];
  const free = s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s.type === undefined && !free) errs.push(required(`${path}.type`, root ? 'must not be empty at the root' : 'must not be empty for specified object fields'));
  if (s.type !== undefined && !SCHEMA_TYPES.includes(s.type)) errs.push(notSupported(`${path}.type`, s.type, SCHEMA_TYPES));
  if (root && s.type !== undefined && s.type !== 'object') errs.push(invalid(`${path}.type`, s.type, 'must be object at the root'));
  if (s.type === 'array' && !s.items) errs.push(required(`${path}.items`, 'must be specified'));
  const shape = shapeErrors(s, path);
  if (shape.length > 0) return [...errs, ...shape];
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch {
      errs.push(invalid(`${path}.pattern`, s.pattern, 'must be a valid regular expression'));
    }
  }
  if (typeof s.additionalProperties === 'object' && s.properties) errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  for (const [k, p] of Object.entries(s.properties ?? {})) errs.push(...validateStructural(p, `${path}.properties[${k}]`));
  if (typeof s.additionalProperties === 'object') errs.push(...validateStructural(s.additionalProperties, `${path}.additionalProperties`));
  if (s.items) errs.push(...validateStructural(s.items, `${path}.items`));
  for (const sub of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.not ? [s.not] : [])]) errs.push(...shapeErrors(sub, path));
  return errs;
}

function validateVersions(crd: CustomResourceDefinition): FieldError[] {
  const versions = crd.spec.versions ?? [];
  if (versions.length === 0) return [required('spec.versions', 'must have exactly one version marked as storage version')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const p = `spec.versions[${i}]`;
    if (!v.name) errs.push(required(`${p}.name`));
    else {
      errs.push(...fromMessages(`${p}.name`, v.name, isDNS1035Label(v.name)));
      if (seen.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      seen.add(v.name);
    }
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) errs.push(required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
    else errs.push(...validateStructural(schema, `${p}.schema.openAPIV3Schema`, true));
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      const cp = `${p}.additionalPrinterColumns[${j}]`;
      if (!c.name) errs.push(required(`${cp}.name`));
      errs.push(...oneOf(`${cp}.type`, c.type, PRINTER_TYPES, true));
      if (!c.jsonPath) errs.push(required(`${cp}.jsonPath`));
    });
    const scale = v.subresources?.scale;
    if (scale) {
      if (!scale.specReplicasPath?.startsWith('.spec.')) errs.push(invalid(`${p}.subresources.scale.specReplicasPath`, scale.specReplicasPath ?? '', 'should be a json path under .spec'));
      if (!scale.statusReplicasPath?.startsWith('.status.')) errs.push(invalid(`${p}.subresources.scale.statusReplicasPath`, scale.statusReplicasPath ?? '', 'should be a json path under .status'));
      if (scale.labelSelectorPath && !/^\.(spec|status)\./.test(scale.labelSelectorPath)) {
        errs.push(invalid(`${p}.subresources.scale.labelSelectorPath`, scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
      }
    }
  });
  const storage = versions.filter((v) => v.storage).length;
  if (storage !== 1) errs.push(invalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v.served)) errs.push(invalid('spec.versions', versions.map((v) => v.name), 'must have at least one version marked as served'));
  return errs;
}

/** Names, group (with a dot), scope, `metadata.name == <plural>.<group>`, one storage version, structural schemas. */
export function validateCRD(obj: KubeObject, old?: KubeObject): FieldError[] {
  const crd = obj as CustomResourceDefinition;
  const errs = validateObjectMeta(crd.metadata, { namespaced: false });
  if (!crd.spec) return [...errs, required('spec')];
  const { group } = crd.spec;
  if (!group) errs.push(required('spec.group'));
  else {
    errs.push(...fromMessages('spec.group', group, isDNS1123Subdomain(group)));
    if (!group.includes('.')) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  errs.push(...validateNames(crd));
  const expected = `${crd.spec.names?.plural ?? ''}.${group ?? ''}`;
  if (crd.metadata?.name && crd.spec.names?.plural && group && crd.metadata.name !== expected) {
    errs.push(invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...oneOf('spec.scope', crd.spec.scope, ['Cluster', 'Namespaced'], true));
  errs.push(...validateVersions(crd));
  const prev = (old as CustomResourceDefinition | undefined)?.spec;
  if (prev) {
    if (prev.group !== group) errs.push(invalid('spec.group', group, 'field is immutable'));
    if (prev.scope !== crd.spec.scope) errs.push(invalid('spec.scope', crd.spec.scope, 'field is immutable'));
    if (prev.names?.plural !== crd.spec.names?.plural) errs.push(invalid('spec.names.plural', crd.spec.names?.plural ?? '', 'field is immutable'));
  }
  return errs;
}
