/** CustomResourceDefinitions: validation of the CRD itself and the KindInfo entries it defines. */
import type { CustomResourceDefinition, CustomResourceDefinitionVersion, JSONSchemaProps } from './kinds/other.js';
import type { KubeObject } from './meta.js';
import type { KindInfo, PrinterColumn } from './registry.js';
import { STANDARD_VERBS } from './verbs.js';
import { applySchemaDefaults } from './schema/apply-defaults.js';
import { checkSchema } from './schema/check.js';
import { objectMeta } from './schema/meta.js';
import { validateObjectMeta } from './validation/meta.js';

const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'] as const;

const dottedPath = (jsonPath: string): string => jsonPath.replace(/^\./, '');

/** The whole-object schema of a CRD version: its openAPIV3Schema plus apiVersion, kind and metadata. */
export function crdObjectSchema(v: CustomResourceDefinitionVersion): JSONSchemaProps {
  const root = v.schema?.openAPIV3Schema;
  if (!root) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    ...root,
    type: 'object',
    properties: { ...(root.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: objectMeta },
  };
}

function printerColumns(v: CustomResourceDefinitionVersion): PrinterColumn[] {
  return (v.additionalPrinterColumns ?? []).map((c) => {
    const col: PrinterColumn = {
      name: c.name,
      type: (PRINTER_TYPES as readonly string[]).includes(c.type) ? (c.type as PrinterColumn['type']) : 'string',
      jsonPath: c.jsonPath,
    };
    if (c.description !== undefined) col.description = c.description;
    if (c.priority !== undefined) col.priority = c.priority;
    return col;
  });
}

/**
 * One KindInfo per served version. Validation is ObjectMeta checks plus `checkSchema` against the
 * version's openAPIV3Schema (apiVersion, kind and metadata always allowed; `required`, enums,
 * bounds, patterns and formats enforced; nulls count as unset because defaulting prunes them);
 * defaults prune nulls of non-nullable fields and fill the schema's `default` values.
 */
export function kindFromCRD(crd: CustomResourceDefinition): KindInfo[] {
  const { group, names, scope } = crd.spec;
  const namespaced = scope === 'Namespaced';
  return crd.spec.versions.filter((v) => v.served).map((v) => {
    const schema = crdObjectSchema(v);
    const info: KindInfo = {
      group,
      version: v.name,
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      shortNames: names.shortNames ?? [],
      namespaced,
      verbs: STANDARD_VERBS,
      subresources: { status: v.subresources?.status !== undefined },
      schema,
      custom: true,
      printerColumns: printerColumns(v),
      defaults: (obj: KubeObject) => applySchemaDefaults(obj, schema),
      validate: (obj: KubeObject) => [
        ...validateObjectMeta(obj.metadata, { namespaced }),
        ...checkSchema(obj, schema, { allowObjectRoot: true, nullAsUnset: true, enforceRequired: true, checkFormats: true }).errors,
      ],
    };
    if (names.categories) info.categories = names.categories;
    const scale = v.subresources?.scale;
    if (scale) {
      info.subresources.scale = { specReplicasPath: dottedPath(scale.specReplicasPath), statusReplicasPath: dottedPath(scale.statusReplicasPath) };
      if (scale.labelSelectorPath) info.subresources.scale.labelSelectorPath = dottedPath(scale.labelSelectorPath);
    }
    return info;
  });
}


