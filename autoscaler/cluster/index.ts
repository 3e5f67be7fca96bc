/**
 * autoscaler/cluster: the cluster autoscaler — pure scale-up, scale-down and provisioning decisions
 * (faithful to kubernetes/autoscaler's cluster-autoscaler) and the loop that applies them through the
 * cloud provider's node groups.
 */
export { planScaleUp, notTriggeredMessage, triggeredMessage, REASON_MAX_GROUP_SIZE, REASON_BACKOFF, REASON_MAX_NODES_TOTAL, REASON_MAX_RESOURCES } from './scale-up.js';
export { planScaleDown, nodeUtilization, REASON_DISABLED, REASON_NOT_AUTOSCALED, REASON_BEING_DELETED, REASON_NO_PLACE, REASON_MIN_SIZE } from './scale-down.js';
export { planProvisioning, nextBackoff } from './provisioning.js';
export { expand, groupPriority, parsePriorities, EXPANDERS } from './expander.js';
export type { ExpanderChoice, ExpanderInput } from './expander.js';
export {
  blockingReason, isUnschedulablePending, SAFE_TO_EVICT_ANNOTATION, SCALE_DOWN_DISABLED_ANNOTATION, TO_BE_DELETED_TAINT,
} from './pods.js';
export { templateNode } from './template.js';
export { defaultClusterAutoscalerOptions, resolveOptions } from './types.js';
export type * from './types.js';
export { ClusterAutoscaler, startClusterAutoscaler, nodeGroupTarget, PRIORITY_CONFIGMAP } from './controller.js';
export type { ClusterAutoscalerDeps, Decision, LoopResult, StartedClusterAutoscaler } from './controller.js';
export { statusText, goTime, STATUS_CONFIGMAP, STATUS_NAMESPACE, DECISIONS_KEY, LAST_UPDATED_ANNOTATION } from './status.js';
export type { StatusInput, Transitions } from './status.js';
