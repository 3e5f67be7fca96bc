/** core/api: object types, defaults, validation, quantities, selectors and the kind registry. */
export * from './meta.js';
export * from './errors.js';
export type * from './registry.js';
export type * from './kinds/core.js';
export type * from './kinds/apps.js';
export type * from './kinds/controllerrevision.js';
export type * from './kinds/networking.js';
export type * from './kinds/autoscaling.js';
export type * from './kinds/other.js';
export type * from './kinds/discovery.js';
export * from './quantity.js';
export type { FormatQuantityOptions } from './quantity-format.js';
export * from './selectors.js';
export * from './helpers.js';
export { podQOSClass } from './pod-qos.js';
export type { QOSClass } from './pod-qos.js';
export { KindRegistry, compareKubeVersions } from './kind-registry.js';
export type { GroupDiscovery } from './kind-registry.js';
export { registerBuiltins, builtinKinds, STANDARD_VERBS, READ_ONLY_VERBS } from './builtins.js';
export * from './validation/index.js';
export { checkSchema } from './schema/check.js';
export type { CheckSchemaOptions, SchemaCheckResult } from './schema/check.js';
/** Schema builders (`schemas.obj`, `schemas.str`…) and the built-in kinds' schemas (`schemas.deploymentSchema`). */
export * as schemas from './schema/index.js';
export * from './defaults/index.js';
export { kindFromCRD, crdObjectSchema } from './crd.js';
export { applySchemaDefaults } from './schema/apply-defaults.js';
export { dropNullFields, withoutNullFields, hasNullFields } from './nulls.js';
