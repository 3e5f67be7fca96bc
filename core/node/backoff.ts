/** The kubelet's container restart back-off: 10 s doubling to 5 min, reset after 10 min of running. */

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the back-off. */
  resetAfterMs: number;
}

export const kubeletBackoff: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** Next delay before restarting, given the previous delay and how long the last run lasted (pure). */
export function nextBackoff(policy: BackoffPolicy, previousMs: number | undefined, ranForMs: number): number {
  if (previousMs === undefined || ranForMs >= policy.resetAfterMs) return policy.initialMs;
  return Math.min(policy.maxMs, previousMs * 2);
}

/** Whether a container that exited with `exitCode` restarts under the pod's policy (pure). */
export function shouldRestart(restartPolicy: 'Always' | 'OnFailure' | 'Never', exitCode: number): boolean {
  if (restartPolicy === 'Always') return true;
  if (restartPolicy === 'OnFailure') return exitCode !== 0;
  return false;
}

/** Kubernetes' terminated reason for an exit. */
export function terminatedReason(exitCode: number, oomKilled: boolean): string {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}
