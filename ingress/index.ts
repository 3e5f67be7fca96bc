/** ingress: the HTTP ingress controller — route table (pure), annotations, and (later) proxy, controller, metrics. */
export * from './routes.js';
export * from './annotations/index.js';
export { startProxy, EMPTY_TABLE, type ProxyOptions, type IngressProxy } from './proxy.js';
export { ProxyMetrics } from './proxy/metrics.js';
export type { EngineName } from './proxy/engine.js';
export { startIngress, type IngressOptions, type RunningIngress } from './controller.js';
export { ingressTarget, ingressClassTarget } from './controller/targets.js';
export { runIngress } from './main.js';
