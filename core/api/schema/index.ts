/** Structural schemas for built-in kinds and the checker shared with CRDs. */
export * from './dsl.js';
export { checkSchema } from './check.js';
export type { CheckSchemaOptions, SchemaCheckResult } from './check.js';
export { objectMeta, labelSelector, condition, conditions, objectReference, kindSchema } from './meta.js';
export { podSpec, podTemplateSpec, containerSchema } from './pod.js';
export * from './core.js';
export * from './apps.js';
export * from './networking.js';
export * from './autoscaling.js';
export * from './other.js';
export * from './replicationcontroller.js';
export * from './daemonset.js';
export * from './controllerrevision.js';
export * from './batch.js';
export * from './policy.js';
export * from './statefulset.js';
