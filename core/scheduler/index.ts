/** core/scheduler: pod → node placement — pure filters and scores, one-shot decisions, and the API-client loop. */
export * from './nodeinfo.js';
export * from './filters.js';
export * from './scores.js';
export * from './schedule.js';
export { toleratesTaint, effectiveTaints, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE } from './taints.js';
export { matchesRequiredNodeAffinity } from './selectors.js';
export { daemonPodTolerations, withDaemonTolerations, nodeShouldRunDaemonPod } from './daemon.js';
export type { NodeFit } from './daemon.js';
export { isPendingFor, nodeChangeMatters, assignedPodFreedRoom, pendingPodChanged } from './queue.js';
export { createScheduler, SCHEDULER_NAME, type SchedulerOptions, type SchedulerRecorder } from './scheduler.js';
