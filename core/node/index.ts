/** core/node: the node agent — pods as local processes, probes, logs and usage. */
export { NodeAgent } from './agent.js';
export type { NodeAgentOptions } from './agent.js';
export type { NodeUsage } from './server.js';
export { kubeletBackoff } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { ServiceProxy } from './proxy.js';
export type { ServiceProxyOptions } from './proxy.js';
