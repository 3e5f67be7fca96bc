/**
 * core/apiserver: the Kubernetes-compatible HTTPS API server (what kubectl 1.32 talks to) and its PKI.
 *
 *   const pki = await ensurePki(dataDir);
 *   const server = createApiServer({ store, registry, token, tls: { cert: pki.cert, key: pki.key }, log, logs, extraHandlers });
 *   const port = await server.listen(6443);          // loopback by default; registers stored CRDs first
 *   ...
 *   await server.close();                            // ends open watches and connections
 *
 * Serves discovery (/api, /apis, APIResourceLists), /openapi/v3 (and a stub /openapi/v2), REST with
 * watch, Tables, the status/scale/binding/eviction/log/finalize subresources, CRDs, and JSON, YAML
 * (apply) and protobuf (kubectl create) request bodies. `extraHandlers` run after authentication and
 * before the built-in routes (e.g. metrics.k8s.io); `publicPaths` lists paths they serve without a token.
 */
export { ensurePki, type Pki, type PkiOptions } from './pki.js';
export { createApiServer, type ApiServer } from './server.js';
export type { AdmissionInfo, AdmissionPlugin, ApiRegistry, ApiServerOptions, ExtraHandler, LogRequest, LogsProvider } from './types.js';
export { humanDuration } from './age.js';
