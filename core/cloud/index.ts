/**
 * core/cloud: the cloud-provider interfaces, typed errors, ownership tags, the provider registry, the
 * cloud-config loader, call counting and metrics, and the cloud controllers. Imports no provider.
 */
export type * from './types.js';
export type * from './capabilities.js';
export * from './errors.js';
export * from './tags.js';
export { ProviderRegistry } from './registry.js';
export type { ProviderRegistryOptions } from './registry.js';
export { parseCloudConfig, loadCloudConfig } from './config.js';
export { countCalls, isMutatingOperation } from './counting.js';
export type { CallRecord } from './counting.js';
export { createCloudMetrics, instrumentProvider } from './metrics.js';
export type { CloudMetrics } from './metrics.js';
export * from './controllers/index.js';
