/** core/api: object types, defaults, validation, quantities, selectors and the kind registry. */
export * from './meta.js';
export * from './errors.js';
export type * from './registry.js';
export type * from './kinds/core.js';
export type * from './kinds/apps.js';
export type * from './kinds/networking.js';
export type * from './kinds/autoscaling.js';
export type * from './kinds/other.js';
