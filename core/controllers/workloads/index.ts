/** core/controllers/workloads: the ReplicaSet, Deployment, StatefulSet, Endpoints and node lifecycle controllers. */
import type { Controller, EventRecorder, KubeClient, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { DeploymentController } from './deployment.js';
import { DisruptionController } from './disruption.js';
import { EndpointsController } from './endpoints.js';
import { EndpointSliceController } from './endpointslice.js';
import { NodeLifecycleController } from './node-lifecycle.js';
import { ReplicaSetController } from './replicaset.js';
import { ReplicationManager } from './replicationcontroller.js';
import { StatefulSetController } from './statefulset.js';
import { JobController } from './job.js';
import { TtlAfterFinishedController } from './ttl-after-finished.js';
import { DaemonSetController } from './daemonset.js';
import { CronJobController } from './cronjob.js';

export { ReplicaSetController } from './replicaset.js';
export type { ReplicaSetControllerOptions, ReplicaKind } from './replicaset.js';
export { ReplicationManager, replicationControllerAsReplicaSet, replicationControllersTarget } from './replicationcontroller.js';
export { DaemonSetController } from './daemonset.js';
export type { DaemonSetControllerOptions } from './daemonset.js';
export { daemonSetsTarget, newDaemonPod, targetNodeName, podsByNode, isPodUpdated } from './daemonset-pods.js';
export { planDaemonPods, planRollingUpdate, computeDaemonSetStatus, updateCounts, desiredNumberScheduled } from './daemonset-decide.js';
export type { DaemonPlan } from './daemonset-decide.js';
export { daemonSetRevision } from './daemonset-history.js';
export { DeploymentController } from './deployment.js';
export type { DeploymentControllerOptions } from './deployment.js';
export { EndpointsController, desiredEndpoints, headlessLabel } from './endpoints.js';
export type { EndpointsControllerOptions } from './endpoints.js';
export { EndpointSliceController, endpointSlicesTarget } from './endpointslice.js';
export type { EndpointSliceControllerOptions } from './endpointslice.js';
export { desiredSlices, newSlice, serviceNameLabel, managedByLabel, managedByValue, maxEndpointsPerSlice } from './endpointslice-decide.js';
export type { DesiredSlice } from './endpointslice-decide.js';
export { NodeLifecycleController, nodeLeaseNamespace } from './node-lifecycle.js';
export type { NodeLifecycleControllerOptions } from './node-lifecycle.js';
export { compareForDeletion, podsToDelete, slowStartBatches, podFromTemplate, computeReplicaSetStatus, withReplicaFailure, nextAvailableInMs, burstReplicas } from './replicaset-decide.js';
export {
  podTemplateHashLabel, revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation,
  scaledValue, resolveFenceposts, maxSurge, maxUnavailable, computeTemplateHash, equalIgnoreHash, findNewReplicaSet, newReplicaSetFor,
} from './deployment-util.js';
export { newRSNewReplicas, planNewReplicaSet, planOldReplicaSets, planScale, isScalingEvent, findActiveOrLatest, isSaturated, replicaSetsToCleanUp } from './deployment-rollout.js';
export type { ScalePlan } from './deployment-rollout.js';
export { calculateStatus, rolloutStatus, pausedConditions, deploymentComplete, deploymentProgressing, deploymentTimedOut, reasons as deploymentReasons } from './deployment-status.js';
export { computeSubsets, findPort, shouldPodBeInEndpoints } from './endpoints-decide.js';
export { unknownConditions, desiredTaints, tolerates, evictionFor, withDefaultTolerations, unreachableTaintKey, notReadyTaintKey, defaultTolerationSeconds } from './node-lifecycle-decide.js';
export type { Eviction } from './node-lifecycle-decide.js';
export { isPodReady, isPodAvailable, isPodActive, claimAction } from './common.js';
export { JobController } from './job.js';
export type { JobControllerOptions } from './job.js';
export { TtlAfterFinishedController, ttlExpiry } from './ttl-after-finished.js';
export { CronJobController } from './cronjob.js';
export type { CronJobControllerOptions } from './cronjob.js';
export { decideCronJob, scheduleView, syncActive, historyToDelete, jobFromCronJob, jobNameFor, rfc3339In, scheduledTimestampAnnotation, maxMissedSchedules } from './cronjob-decide.js';
export type { CronDecision, CronEvent, ScheduleView } from './cronjob-decide.js';
export { decideJob, accountFinishedPods, backoffRemainingMs, isJobFinished, jobReasons, podFailureBackoffMs, maxPodFailureBackoffMs } from './job-decide.js';
export type { JobDecision, JobEvent } from './job-decide.js';
export { podForJob, matchPodFailurePolicy, formatIndexes, parseIndexes, jobTrackingFinalizer, completionIndexKey } from './job-pods.js';
export {
  revisionDataHashLabel, controllerRevisionHashLabel, templatePatch, hashRevisionData, revisionName, newControllerRevision,
  equalRevision, findEqualRevisions, sortRevisions, nextRevision, revisionsToTruncate, ownedOrOrphan,
} from './history.js';
export type { NewRevisionInput } from './history.js';
export { DisruptionController, pdbTarget } from './disruption.js';
export type { DisruptionControllerOptions } from './disruption.js';
export { budgetStatus, failSafeStatus, expectedCounts, disruptedPods, countHealthy, podsForBudget, needsScale, withDisruptionAllowed, deletionTimeoutMs, disruptionAllowedCondition, pdbReasons } from './disruption-decide.js';
export type { BudgetInput } from './disruption-decide.js';
export { StatefulSetController, statefulSetsTarget } from './statefulset.js';
export type { StatefulSetControllerOptions } from './statefulset.js';
export { planPods, planUpdateRevision, currentRevisionOf, revisionFor, splitPods, revisionForOrdinal, isRunningAndReady, isHealthy } from './statefulset-decide.js';
export type { PodAction, PodPlan, PlanInput, RevisionPlan, SplitPods } from './statefulset-decide.js';
export {
  podNameLabel, podIndexLabel, podName as statefulPodName, ordinalOf, claimName, claimsFor, newStatefulPod, templateOfRevision, identityMatches, storageMatches,
} from './statefulset-identity.js';
export { computeStatefulSetStatus, claimOwnerRefs } from './statefulset-status.js';

export interface WorkloadControllersOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  /** Events from every workload controller go through this recorder. */
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  nodeMonitorGracePeriodMs?: number;
  podEvictionTimeoutSeconds?: number;
  /** Also maintain `discovery.k8s.io/v1` EndpointSlices; default true. */
  endpointSlices?: boolean;
}

export interface StartedWorkloadControllers {
  controllers: readonly Controller[];
  /** Resolves when every controller has stopped (after `signal` aborts). Errors are logged, never thrown. */
  done: Promise<void>;
}

/** Starts the ReplicaSet, Deployment, Endpoints, node lifecycle (and EndpointSlice) controllers until `signal` aborts. */
export function startWorkloadControllers(opts: WorkloadControllersOptions): StartedWorkloadControllers {
  const { client, informers, recorder, clock, log, signal } = opts;
  const controllers: Controller[] = [
    new ReplicaSetController({ client, informers, recorder, clock, log: log.child({ controller: 'replicaset' }) }),
    new DeploymentController({ client, informers, recorder, clock, log: log.child({ controller: 'deployment' }) }),
    new ReplicationManager({ client, informers, recorder, clock, log: log.child({ controller: 'replicationcontroller' }) }),
    new StatefulSetController({ client, informers, recorder, clock, log: log.child({ controller: 'statefulset' }) }),
    new DaemonSetController({ client, informers, recorder, clock, log: log.child({ controller: 'daemonset' }) }),
    new EndpointsController({ client, informers, clock, log: log.child({ controller: 'endpoints' }) }),
    new NodeLifecycleController({
      client, informers, recorder, clock, log: log.child({ controller: 'node-lifecycle' }),
      ...(opts.nodeMonitorGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs } : {}),
      ...(opts.podEvictionTimeoutSeconds !== undefined ? { podEvictionTimeoutSeconds: opts.podEvictionTimeoutSeconds } : {}),
    }),
  ];
  if (opts.endpointSlices ?? true) controllers.push(new EndpointSliceController({ client, informers, clock, log: log.child({ controller: 'endpointslice' }) }));
  controllers.push(new DisruptionController({ client, informers, recorder, clock, log: log.child({ controller: 'disruption' }) }));
  controllers.push(
    new JobController({ client, informers, recorder, clock, log: log.child({ controller: 'job' }) }),
    new TtlAfterFinishedController({ client, informers, clock, log: log.child({ controller: 'ttl-after-finished' }) }),
    new CronJobController({ client, informers, recorder, clock, log: log.child({ controller: 'cronjob' }) }),
  );
  const done = Promise.all(
    controllers.map((c) => c.start(signal).catch((e: unknown) => log.error('controller stopped', { controller: c.name, error: (e as Error).message }))),
  ).then(() => undefined);
  informers.start(signal);
  return { controllers, done };
}
