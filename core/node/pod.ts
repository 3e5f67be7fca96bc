/**
 * One pod on this node: its volumes, its containers as processes, their probes, and the status
 * the agent reports. Created when a pod is bound here, stopped when it is deleted.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { quantityToNumber, type Container, type Pod, type PodStatus, type Probe } from '../api/index.js';
import { rfc3339, type Clock, type Logger } from '../util/index.js';
import type { BackoffPolicy } from './backoff.js';
import { ContainerRun } from './container.js';
import { containerEnv, EnvError, type EnvLookups } from './env.js';
import { resolveRunnable, type ImageCatalog, type NotRunnable, type Runnable } from './images.js';
import type { LogStore } from './logs.js';
import { probeOnce, ProbeState } from './probes.js';
import { podStatus, type ContainerView } from './status.js';
import { setUpVolumes, tearDownVolumes, VolumeError, type VolumeLookups } from './volumes.js';

export interface PodRunnerOptions {
  pod: Pod;
  nodeName: string;
  podIP: string;
  hostIP: string;
  podsDir: string;
  catalog: ImageCatalog;
  logs: LogStore;
  lookups: EnvLookups & VolumeLookups;
  clock: Clock;
  log: Logger;
  /** Base environment (PATH etc.) of container processes. */
  baseEnv: Record<string, string>;
  /** Path of the listen shim preloaded into Node.js containers. */
  listenShim: string;
  backoff?: BackoffPolicy;
  onChange: () => void;
  onEvent: (type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

interface Slot {
  c: Container;
  run: ContainerRun;
  readiness: ProbeState | undefined;
  liveness: ProbeState | undefined;
  startup: ProbeState | undefined;
  env: Record<string, string>;
}

export class PodRunner {
  readonly uid: string;
  private slots: Slot[] = [];
  private readonly stop$ = new AbortController();
  private readonly startTime: string;
  private failure: { reason: string; message: string } | undefined;
  private readonly dir: string;

  constructor(private readonly o: PodRunnerOptions) {
    this.uid = o.pod.metadata.uid ?? '';
    this.startTime = o.pod.status?.startTime ?? rfc3339(o.clock.now());
    this.dir = join(o.podsDir, this.uid);
  }

  get pod(): Pod {
    return this.o.pod;
  }

  private label(): string {
    return `${this.o.pod.metadata.name ?? ''}_${this.o.pod.metadata.namespace ?? ''}(${this.uid})`;
  }

  /** Sets up volumes and starts every container. Failures become waiting reasons and events, never throws. */
  start(): void {
    const { pod } = this.o;
    let rootfs = join(this.dir, 'rootfs');
    try {
      rootfs = setUpVolumes(pod, this.dir, this.o.lookups);
    } catch (e) {
      if (!(e instanceof VolumeError)) throw e;
      this.failure = { reason: 'ContainerCreating', message: e.message };
      this.o.onEvent('Warning', 'FailedMount', `MountVolume.SetUp failed: ${e.message}`);
    }
    const restarts = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s.restartCount]));
    for (const c of pod.spec.containers) {
      const slot = this.makeSlot(c, rootfs, restarts.get(c.name) ?? 0);
      this.slots.push(slot);
      if (this.failure) continue;
      slot.run.start();
      const r = slot.run.snapshot();
      if (r.state.waiting && !r.state.waiting.reason?.startsWith('Container')) {
        this.o.onEvent('Warning', 'Failed', `Error: ${r.state.waiting.reason ?? ''}: ${r.state.waiting.message ?? ''}`);
      } else if (r.running) {
        this.o.onEvent('Normal', 'Started', `Started container ${c.name}`);
      }
      this.runProbes(slot);
    }
    void this.sampleLoop();
  }

  private makeSlot(c: Container, rootfs: string, restartCount: number): Slot {
    let env: Record<string, string> = {};
    let runnable: Runnable | NotRunnable;
    const cwd = !c.workingDir ? rootfs : c.workingDir.startsWith('/') && existsDir(c.workingDir) ? c.workingDir : join(rootfs, c.workingDir);
    try {
      env = { ...this.o.baseEnv, ...containerEnv(this.o.pod, c, this.o.nodeName, this.o.lookups) };
      runnable = resolveRunnable(c, this.o.catalog, env, rootfs);
    } catch (e) {
      if (!(e instanceof EnvError)) throw e;
      runnable = { reason: e.reason, message: e.message };
    }
    env = {
      ...env,
      SKIFF_POD_IP: this.o.podIP,
      SKIFF_ROOT: rootfs,
      POD_IP: env.POD_IP ?? this.o.podIP,
      HOSTNAME: this.o.pod.metadata.name ?? '',
      NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${this.o.listenShim}`.trim(),
    };
    const limit = c.resources?.limits?.memory;
    const run = new ContainerRun({
      podUid: this.uid,
      podLabel: this.label(),
      name: c.name,
      runnable,
      env,
      cwd,
      restartPolicy: this.o.pod.spec.restartPolicy ?? 'Always',
      ...(limit ? { memoryLimitBytes: quantityToNumber(limit) } : {}),
      logs: this.o.logs,
      clock: this.o.clock,
      log: this.o.log.child({ container: c.name }),
      ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
      onChange: this.o.onChange,
      restartCount,
    });
    const probe = (p: Probe | undefined, initial: boolean): ProbeState | undefined => (p ? new ProbeState(p, initial) : undefined);
    return { c, run, env, readiness: probe(c.readinessProbe, false), liveness: probe(c.livenessProbe, true), startup: probe(c.startupProbe, false) };
  }

  private runProbes(slot: Slot): void {
    const kinds: ['startup' | 'liveness' | 'readiness', Probe | undefined][] = [['startup', slot.c.startupProbe], ['liveness', slot.c.livenessProbe], ['readiness', slot.c.readinessProbe]];
    for (const [kind, p] of kinds) if (p) void this.probeLoop(slot, kind, p);
  }

  private async probeLoop(slot: Slot, kind: 'startup' | 'liveness' | 'readiness', p: Probe): Promise<void> {
    const signal = this.stop$.signal;
    const state = slot[kind];
    if (!state) return;
    const sleep = (ms: number): Promise<boolean> => this.o.clock.sleep(ms, signal).then(() => true, () => false);
    if (!(await sleep((p.initialDelaySeconds ?? 0) * 1000))) return;
    while (!signal.aborted) {
      const snap = slot.run.snapshot();
      const gated = kind !== 'startup' && slot.startup !== undefined && !slot.startup.result;
      if (snap.running && !gated && !(kind === 'startup' && state.result)) {
        const r = await probeOnce(p, { podIP: this.o.podIP, container: slot.c, env: slot.env, cwd: this.dir });
        if (signal.aborted) return;
        const flipped = state.record(r);
        if (!r.ok) this.o.onEvent('Warning', 'Unhealthy', `${kind[0]?.toUpperCase()}${kind.slice(1)} probe failed: ${r.message}`);
        if (flipped) {
          if (kind === 'liveness' && !state.result) {
            this.o.onEvent('Normal', 'Killing', `Container ${slot.c.name} failed liveness probe, will be restarted`);
            slot.run.restart('liveness probe failed');
            state.reset(true);
            slot.readiness?.reset(false);
          }
          this.o.onChange();
        }
      } else if (!snap.running && state.result && kind !== 'liveness') {
        // A stopped container is neither ready nor started; the restarted one must prove both again.
        state.reset(false);
        this.o.onChange();
      }
      if (!(await sleep((p.periodSeconds ?? 10) * 1000))) return;
    }
  }

  private async sampleLoop(): Promise<void> {
    while (!this.stop$.signal.aborted) {
      for (const s of this.slots) s.run.sample();
      await this.o.clock.sleep(1000, this.stop$.signal).catch(() => undefined);
    }
  }

  /** CPU (cores) and memory (bytes) per container, for metrics.k8s.io. */
  usage(): { name: string; cpuCores: number; memoryBytes: number }[] {
    return this.slots.map((s) => {
      const snap = s.run.snapshot();
      return { name: s.c.name, cpuCores: snap.cpuCores, memoryBytes: snap.memoryBytes };
    });
  }

  /** The running container's log file and its run number, for `kubectl logs`. */
  logTarget(container: string | undefined): { slot: number; run: number; running: () => boolean } | undefined {
    const i = container ? this.slots.findIndex((s) => s.c.name === container) : 0;
    const s = this.slots[i];
    if (!s) return undefined;
    return { slot: i, run: s.run.snapshot().restartCount, running: () => s.run.snapshot().running };
  }

  containerNames(): string[] {
    return this.slots.map((s) => s.c.name);
  }

  /** The status the containers show now; `stored` (the pod as the API has it) keeps condition transition times. */
  status(stored: Pod = this.o.pod): PodStatus {
    const views: ContainerView[] = this.slots.map((s) => {
      const snap = s.run.snapshot();
      const started = snap.running && (s.startup ? s.startup.result : true);
      const ready = started && (s.readiness ? s.readiness.result : true);
      const state = this.failure && !snap.running ? { waiting: { reason: this.failure.reason, message: this.failure.message } } : snap.state;
      return { name: s.c.name, image: s.c.image ?? '', snap: { ...snap, state }, ready, started };
    });
    return podStatus(stored, views, { podIP: this.o.podIP, hostIP: this.o.hostIP }, this.startTime, rfc3339(this.o.clock.now()));
  }

  /** Stops every container (SIGTERM, SIGKILL after the grace period) and removes the pod's files. */
  async stop(graceSeconds: number, removeFiles: boolean): Promise<void> {
    this.stop$.abort();
    await Promise.all(this.slots.map((s) => s.run.stop(graceSeconds * 1000)));
    if (removeFiles) {
      tearDownVolumes(this.dir);
      this.o.logs.removePod(this.uid);
    }
  }
}

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
