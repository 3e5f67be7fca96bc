/** Support for the Job and CronJob controller tests: a node agent stand-in that runs pods to an exit code, a fast-ticking fake clock. */
import type { Job, Pod } from '../../../../core/api/index.js';
import type { KubeClient } from '../../../../core/client/index.js';
import { FakeClock, rfc3339 } from '../../../../core/util/index.js';
import { pods } from './harness.js';

export const jobs = { apiVersion: 'batch/v1', plural: 'jobs', namespaced: true };
export const cronjobs = { apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true };

/** A fake clock that a background loop moves `stepMs` every 10 ms of real time, until `signal` aborts. */
export function tickingClock(signal: AbortSignal, stepMs = 100, start = Math.floor(Date.now() / 1000) * 1000): FakeClock {
  const clock = new FakeClock(start);
  void (async () => {
    while (!signal.aborted) {
      await clock.advance(stepMs);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return clock;
}

/**
 * Plays the node agent for every pod in `default`: a new pod runs (phase Running, Ready), and after
 * `runTicks` rounds of 20 ms its container exits with `exitCode(pod)` (Succeeded on 0, else Failed),
 * finishing at `clock` time. Deleted pods are left alone (the tracking finalizer holds them). Pods for
 * which `exitCode` returns undefined keep running.
 */
export function batchKubelet(client: KubeClient, clock: FakeClock, signal: AbortSignal, exitCode: (p: Pod) => number | undefined, runTicks = 3): Promise<void> {
  const ticks = new Map<string, number>();
  return (async () => {
    while (!signal.aborted) {
      const list = await client.list<Pod>(pods, { namespace: 'default' }).then((l) => l.items).catch(() => [] as Pod[]);
      for (const p of list) {
        const uid = p.metadata.uid ?? '';
        if (p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
        const n = (ticks.get(uid) ?? 0) + 1;
        ticks.set(uid, n);
        const now = rfc3339(clock.now());
        const name = p.spec.containers[0]?.name ?? 'c';
        let status: Pod['status'];
        const code = n > runTicks ? exitCode(p) : undefined;
        if (code === undefined) {
          if (p.status?.phase === 'Running') continue;
          status = { phase: 'Running', startTime: now, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }], containerStatuses: [{ name, ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: { startedAt: now } } }] };
        } else {
          status = {
            phase: code === 0 ? 'Succeeded' : 'Failed', startTime: now, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }],
            containerStatuses: [{ name, ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', finishedAt: now } } }],
          };
        }
        await client.updateStatus<Pod>(pods, { ...p, status }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
}

export function makeJob(name: string, spec: Partial<Job['spec']> = {}): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'exit 0'] }], restartPolicy: 'Never' } }, ...spec },
  };
}

export const conditionOf = (job: Job, type: string): { status: string; reason?: string; message?: string } | undefined => job.status?.conditions?.find((c) => c.type === type);
