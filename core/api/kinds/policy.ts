/** `policy/v1` PodDisruptionBudget and Eviction. */
import type { Condition, KubeObject, LabelSelector } from '../meta.js';

export type UnhealthyPodEvictionPolicy = 'IfHealthyBudget' | 'AlwaysAllow';

export interface PodDisruptionBudgetSpec {
  /** A count or a percentage (`"50%"`) of the selected pods that must stay available. Exclusive with maxUnavailable. */
  minAvailable?: number | string;
  /** A count or a percentage of the expected pods that may be unavailable. */
  maxUnavailable?: number | string;
  /** Pods the budget covers; in policy/v1 an empty selector selects every pod of the namespace, none selects nothing. */
  selector?: LabelSelector;
  unhealthyPodEvictionPolicy?: UnhealthyPodEvictionPolicy;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  /** Pod name → when the eviction API let it go (RFC 3339); the controller forgets entries after 2 minutes. */
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: Condition[];
}

export interface PodDisruptionBudget extends KubeObject {
  spec: PodDisruptionBudgetSpec;
  status?: PodDisruptionBudgetStatus;
}

/** The body POSTed to `pods/NAME/eviction` (policy/v1 or v1beta1). */
export interface Eviction extends KubeObject {
  deleteOptions?: {
    gracePeriodSeconds?: number;
    preconditions?: { uid?: string; resourceVersion?: string };
    dryRun?: string[];
    propagationPolicy?: string;
  };
}
