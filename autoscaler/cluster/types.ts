/**
 * Inputs, outputs and options of the cluster autoscaler's pure decisions (scale-up, scale-down,
 * node provisioning). Defaults follow kubernetes/autoscaler's cluster-autoscaler flags.
 */
import type { DaemonSet, Node, Pod, PodDisruptionBudget } from '../../core/api/index.js';
import type { NodeGroupInfo } from '../../core/cloud/index.js';

/** A node group as the decisions see it: the provider's view plus the NodeGroup object's price and priority. */
export interface ScaleGroup extends NodeGroupInfo {
  /** Price per node-hour (`price` expander). */
  pricePerHour?: number;
  /** Priority (`priority` expander; higher wins). */
  priority?: number;
}

export type ExpanderName = 'least-waste' | 'most-pods' | 'random' | 'priority' | 'price';

/** Back-off of one node group after failed scale-ups (cluster-autoscaler's exponential back-off). */
export interface GroupBackoff {
  /** Consecutive failures so far. */
  failures: number;
  /** Back-off ends at this time (ms since epoch). */
  until: number;
  /** The last failure (ms since epoch), for the reset after `backoffResetMs`. */
  lastFailure: number;
  reason: string;
}

export interface ClusterAutoscalerOptions {
  /** Default 10 000 ms (`--scan-interval`). */
  scanIntervalMs: number;
  /** Default `least-waste` (`--expander`). */
  expander: ExpanderName;
  /** `--scale-down-enabled`, default true. */
  scaleDownEnabled: boolean;
  /** Default 0.5 (`--scale-down-utilization-threshold`). */
  scaleDownUtilizationThreshold: number;
  /** Default 10 min (`--scale-down-unneeded-time`). */
  scaleDownUnneededTimeMs: number;
  /** Default 10 min (`--scale-down-delay-after-add`). */
  scaleDownDelayAfterAddMs: number;
  /** Default: the scan interval (`--scale-down-delay-after-delete`). */
  scaleDownDelayAfterDeleteMs: number;
  /** Default 3 min (`--scale-down-delay-after-failure`). */
  scaleDownDelayAfterFailureMs: number;
  /** Default 10 (`--max-empty-bulk-delete`). */
  maxEmptyBulkDelete: number;
  /** Default 15 min (`--max-node-provision-time`). */
  maxNodeProvisionTimeMs: number;
  /** Default 2 min (`--max-pod-eviction-time`): a drain that takes longer fails. */
  maxPodEvictionTimeMs: number;
  /** Cluster-wide limits; 0 = unlimited (`--max-nodes-total`, `--cores-total`, `--memory-total`). */
  maxNodesTotal: number;
  maxCoresTotal: number;
  /** Bytes. */
  maxMemoryTotal: number;
  /** Back-off: 5 min doubling to 30 min, reset after 3 h without failures. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  backoffResetMs: number;
  /** The `priority` expander's config: priority → regexes of group names (cluster-autoscaler-priority-expander). */
  priorities?: Readonly<Record<number, readonly string[]>>;
}

export const defaultClusterAutoscalerOptions: Readonly<ClusterAutoscalerOptions> = {
  scanIntervalMs: 10_000,
  expander: 'least-waste',
  scaleDownEnabled: true,
  scaleDownUtilizationThreshold: 0.5,
  scaleDownUnneededTimeMs: 600_000,
  scaleDownDelayAfterAddMs: 600_000,
  scaleDownDelayAfterDeleteMs: 10_000,
  scaleDownDelayAfterFailureMs: 180_000,
  maxEmptyBulkDelete: 10,
  maxNodeProvisionTimeMs: 900_000,
  maxPodEvictionTimeMs: 120_000,
  maxNodesTotal: 0,
  maxCoresTotal: 0,
  maxMemoryTotal: 0,
  initialBackoffMs: 300_000,
  maxBackoffMs: 1_800_000,
  backoffResetMs: 3 * 3_600_000,
};

/** Resolves partial options over the defaults (delay-after-delete follows the scan interval unless set). */
export function resolveOptions(o: Partial<ClusterAutoscalerOptions> = {}): ClusterAutoscalerOptions {
  const scan = o.scanIntervalMs ?? defaultClusterAutoscalerOptions.scanIntervalMs;
  return { ...defaultClusterAutoscalerOptions, scaleDownDelayAfterDeleteMs: scan, ...o };
}

/** One way to help pending pods: `nodeCount` new nodes of `group`. */
export interface ScaleUpOption {
  group: string;
  nodeCount: number;
  /** Pods the new nodes would hold. */
  pods: Pod[];
  /** least-waste score: idle CPU fraction + idle memory fraction of the new nodes (lower is better). */
  waste: number;
  /** Cost of the new nodes per hour, when the group has a price. */
  pricePerHour?: number;
}

export interface ScaleUpInput {
  now: number;
  /** Every pod in the cluster (pending and placed). */
  pods: readonly Pod[];
  nodes: readonly Node[];
  groups: readonly ScaleGroup[];
  /** The cluster's DaemonSets: a new node starts with the pods they would run on it. */
  daemonSets?: readonly DaemonSet[];
  backoff?: Readonly<Record<string, GroupBackoff>>;
  options?: Partial<ClusterAutoscalerOptions>;
  /** Randomness for the `random` expander and ties: [0, 1). Default: always the first by name. */
  rand?: () => number;
}

export interface PodScaleUpStatus {
  pod: Pod;
  /** cluster-autoscaler's event message. */
  message: string;
  /** One reason per node group that could not help (the histogram's inputs). */
  reasons: string[];
}

export interface ScaleUpPlan {
  /** The chosen increase, if any. */
  increase?: { group: string; from: number; to: number; max: number; delta: number };
  chosen?: ScaleUpOption;
  options: ScaleUpOption[];
  /** Pods the increase helps (TriggeredScaleUp). */
  triggered: Pod[];
  /** Pods no group can help (NotTriggerScaleUp). */
  notTriggered: PodScaleUpStatus[];
  /** Unschedulable pods found to fit existing or upcoming nodes after all. */
  schedulable: Pod[];
  pending: number;
  explanation: string;
}

/** Why a node is kept; cluster-autoscaler's `UnremovableReason`s in words. */
export interface NodeScaleDownStatus {
  node: string;
  group?: string;
  utilization: number;
  unneeded: boolean;
  /** When the node was first found unneeded (kept across calls by the caller). */
  since?: number;
  reason?: string;
}

export interface ScaleDownInput {
  now: number;
  nodes: readonly Node[];
  pods: readonly Pod[];
  groups: readonly ScaleGroup[];
  /** Node name → when it was first found unneeded: the previous plan's `unneededSince`. */
  unneededSince?: Readonly<Record<string, number>>;
  lastScaleUpTime?: number;
  lastScaleDownDeleteTime?: number;
  lastScaleDownFailTime?: number;
  /** PodDisruptionBudgets with their status: kube-system pods they cover may move; pods whose budget allows no disruption may not. */
  pdbs?: readonly PodDisruptionBudget[];
  /** Nodes already being drained or deleted; neither candidates nor destinations. */
  deleting?: readonly string[];
  options?: Partial<ClusterAutoscalerOptions>;
}

export interface ScaleDownPlan {
  unneededSince: Record<string, number>;
  nodes: NodeScaleDownStatus[];
  /** Empty nodes to delete now (at most maxEmptyBulkDelete). */
  removeEmpty: { node: string; group: string }[];
  /** One non-empty node to drain and delete, with the pods to evict. */
  drain?: { node: string; group: string; pods: Pod[] };
  /** Why nothing is removed this time despite candidates (cooldown). */
  cooldown?: string;
  explanation: string;
}

export interface ProvisioningInput {
  now: number;
  groups: readonly ScaleGroup[];
  nodes: readonly Node[];
  /** Instance name → when it was first seen unregistered (the previous result's `firstSeen`). */
  firstSeen?: Readonly<Record<string, number>>;
  backoff?: Readonly<Record<string, GroupBackoff>>;
  options?: Partial<ClusterAutoscalerOptions>;
}

export interface ProvisioningPlan {
  firstSeen: Record<string, number>;
  backoff: Record<string, GroupBackoff>;
  /**
   * Target-size decreases for nodes that never registered: `instances` names the listed ones; `delta`
   * also counts requested capacity the provider never listed as an instance.
   */
  decreases: { group: string; delta: number; instances: string[]; reason: string }[];
  /** Per group: instances still provisioning within the allowed time. */
  upcoming: Record<string, number>;
  explanation: string[];
}
