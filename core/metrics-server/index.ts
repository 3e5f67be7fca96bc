/**
 * core/metrics-server: the API server's side of the node agents — `pods/log` streamed from the
 * pod's node agent, and `metrics.k8s.io` (as metrics-server serves it) from their usage reports.
 */
export { createLogsProvider } from './logs.js';
export type { Lookup, LogRequest } from './logs.js';
export { createMetricsApi } from './metrics-api.js';
export type { MetricsApiOptions, UsageReport } from './metrics-api.js';
export { nodeEndpoint } from './kubelet.js';
