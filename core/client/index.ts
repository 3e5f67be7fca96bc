/** core/client: the API client, watch, informers, work queue, controller runner, leader election and events. */
export * from './resource.js';
export * from './client.js';
export * from './kubeconfig.js';
export type { WatchEvent, WatchEventType } from './watch.js';
export { WorkQueue } from './workqueue.js';
export type { WorkQueueOptions } from './workqueue.js';
export type { BackoffOptions } from './ratelimit.js';
export { TokenBucket, backoffDelay } from './ratelimit.js';
export * from './controller.js';
export * from './informer.js';
export * from './shared-informers.js';
export * from './leader.js';
export * from './events.js';
