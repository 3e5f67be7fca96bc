/** A compact way to write structural schemas (JSONSchemaProps) for built-in kinds. */
import type { JSONSchemaProps } from '../kinds/other.js';

type Extra = Partial<JSONSchemaProps>;

export const str = (extra: Extra = {}): JSONSchemaProps => ({ type: 'string', ...extra });
export const int = (extra: Extra = {}): JSONSchemaProps => ({ type: 'integer', format: 'int32', ...extra });
export const int64 = (extra: Extra = {}): JSONSchemaProps => ({ type: 'integer', format: 'int64', ...extra });
export const num = (extra: Extra = {}): JSONSchemaProps => ({ type: 'number', format: 'double', ...extra });
export const bool = (extra: Extra = {}): JSONSchemaProps => ({ type: 'boolean', ...extra });
/** An RFC 3339 timestamp; null allowed (Kubernetes' `metav1.Time` marshals a zero time as null). */
export const time = (extra: Extra = {}): JSONSchemaProps => ({ type: 'string', format: 'date-time', nullable: true, ...extra });
export const intOrString = (extra: Extra = {}): JSONSchemaProps => ({ 'x-kubernetes-int-or-string': true, ...extra });
/** A resource.Quantity: a string such as `500m`, or a number (JSON numbers decode as quantities). */
export const quantity = (extra: Extra = {}): JSONSchemaProps => ({ 'x-kubernetes-int-or-string': true, format: 'quantity', ...extra });
export const enumOf = (values: readonly string[], extra: Extra = {}): JSONSchemaProps => ({ type: 'string', enum: [...values], ...extra });

/** An object with known properties; `required` names must be present. */
export function obj(properties: Record<string, JSONSchemaProps>, required: readonly string[] = [], extra: Extra = {}): JSONSchemaProps {
  const s: JSONSchemaProps = { type: 'object', properties, ...extra };
  if (required.length > 0) s.required = [...required];
  return s;
}

/** A map with arbitrary keys whose values follow `values`. */
export const mapOf = (values: JSONSchemaProps, extra: Extra = {}): JSONSchemaProps => ({ type: 'object', additionalProperties: values, ...extra });
export const stringMap = (extra: Extra = {}): JSONSchemaProps => mapOf(str(), extra);
export const quantityMap = (extra: Extra = {}): JSONSchemaProps => mapOf(quantity(), extra);

/** A subtree skiff does not model: kept as-is, never reported as unknown. */
export const preserve = (description?: string): JSONSchemaProps => {
  const s: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (description) s.description = description;
  return s;
};

/** A list replaced as a whole by patches. */
export const atomicList = (items: JSONSchemaProps, extra: Extra = {}): JSONSchemaProps => ({ type: 'array', items, 'x-kubernetes-list-type': 'atomic', ...extra });

/** A list strategic-merge-patched by `key` (`containers` by `name`). */
export function mergeList(items: JSONSchemaProps, key: string, extra: Extra = {}): JSONSchemaProps {
  return {
    type: 'array',
    items,
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': [key],
    ...extra,
  };
}

/** A list of scalars merged as a set (`finalizers`). */
export const mergeSet = (items: JSONSchemaProps, extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'array', items, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set', ...extra });

/** A list merged by key in strategic-merge patches but not a list-map for server-side apply (Kubernetes' `tolerations`). */
export const mergeKeyOnly = (items: JSONSchemaProps, key: string, extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'array', items, 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'atomic', ...extra });

export const stringList = (extra: Extra = {}): JSONSchemaProps => atomicList(str(), extra);

/**
 * A string field whose allowed values semantic validation checks (with Kubernetes' messages);
 * the schema only documents them, so an unsupported value is reported once.
 */
export const choice = (values: readonly string[], extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'string', description: `Possible values: ${values.map((v) => JSON.stringify(v)).join(', ')}`, ...extra });
