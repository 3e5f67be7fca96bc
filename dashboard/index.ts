/** dashboard: the read-only web dashboard `skiff up` serves (snapshot builder, collector, SSE server, static front-end). */
import { fileURLToPath } from 'node:url';
export { buildSnapshot, deploymentViews, isNodeReady, nodeGroupViews, nodeViews, podRequests, routeViews, serviceViews, type SnapshotInput } from './snapshot.js';
export { SnapshotHub } from './hub.js';
export { Collector, type CollectorOptions } from './collector.js';
export { DashboardServer, type DashboardServerOptions } from './server.js';
export { CA_DECISIONS_KEY, CA_STATUS_NAME, CA_STATUS_NAMESPACE, LAST_DECISION_ANNOTATION, parseCaDecisions, parseHpaDecision, hpaMetrics, hpaView, caView, eventViews } from './snapshot-autoscaling.js';
export type * from './types.js';

/** Where the front-end files live. */
export const staticDir = fileURLToPath(new URL('./static/', import.meta.url));
