/** core/apiserver: the Kubernetes-compatible HTTPS API server and its PKI. */
export { ensurePki, type Pki, type PkiOptions } from './pki.js';
export { createApiServer, type ApiServer } from './server.js';
export type { ApiRegistry, ApiServerOptions, ExtraHandler, LogsProvider } from './types.js';
export { humanDuration } from './age.js';
