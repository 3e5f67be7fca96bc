/**
 * providers/gcp: Google Compute Engine (instances, passthrough network load balancers external and internal,
 * persistent disks, managed instance groups). Register it as `gcp`: `registry.register('gcp', gcpProviderFactory)`.
 */
import type { ProviderFactory } from '../../core/cloud/index.js';
import { createGcpProvider } from './provider.js';

export { createGcpProvider } from './provider.js';
export type { GcpProviderDeps } from './provider.js';
export { parseGcpConfig } from './config.js';
export type { GcpConfig, NodeGroupConfig } from './config.js';
export { INTERNAL_ANNOTATION, DEPRECATED_INTERNAL_ANNOTATION } from './lb-desired.js';
export { PROVISIONER as GCE_PD_PROVISIONER } from './volumes.js';

export const gcpProviderFactory: ProviderFactory = (opts) => createGcpProvider(opts);
export default gcpProviderFactory;
