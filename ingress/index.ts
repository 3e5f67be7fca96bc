/** ingress: the HTTP ingress controller — route table (pure), annotations, and (later) proxy, controller, metrics. */
export * from './routes.js';
export * from './annotations/index.js';
export { startProxy, EMPTY_TABLE, type ProxyOptions, type IngressProxy } from './proxy.js';
export { ProxyMetrics } from './proxy/metrics.js';
export type { EngineName } from './proxy/engine.js';
export { startIngress, type IngressOptions, type RunningIngress } from './controller.js';
export { ingressTarget, ingressClassTarget } from './controller/targets.js';
export { runIngress } from './main.js';
export { Balancer, affinityValue, type PickOptions } from './proxy/balancer.js';
export { Upstreams, type Upstream, type HealthOptions } from './proxy/upstreams.js';
export { upstreamRequestHeaders, downstreamResponseHeaders, type ForwardInfo } from './proxy/headers.js';
export { RateLimiter } from './proxy/ratelimit.js';
