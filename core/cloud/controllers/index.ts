/** core/cloud/controllers: node, node lifecycle, service, volume and ownership-sweep controllers, and `planAll`. */
export { startCloudControllers } from './start.js';
export type { StartCloudControllersOptions, CloudControllers } from './start.js';
export { planAll } from './plan.js';
export type { PlanAllOptions, ServicePlan } from './plan.js';
export { NodeController } from './node.js';
export { NodeLifecycleController } from './node-lifecycle.js';
export type { NodeLifecycleOptions } from './node-lifecycle.js';
export { ServiceController } from './service.js';
export type { ServiceControllerOptions } from './service.js';
export { VolumeController } from './volume.js';
export { OwnershipSweep } from './sweep.js';
export type { SweepOptions } from './sweep.js';
export type { CloudControllerContext } from './context.js';
export * from './nodes.js';
export { LB_FINALIZER, wantsLoadBalancer, serviceHash, decideService } from './service-decide.js';
export type { ServiceAction, ServiceState } from './service-decide.js';
export { ATTACHED_NODES_ANNOTATION, DEFAULT_CLASS_ANNOTATION, PROVISIONED_BY_ANNOTATION, classForClaim, nodesUsingClaim, attachedNodes } from './volume-decide.js';
