/**
 * One container of a pod as a local process: start, watch for exit or memory-limit breach,
 * restart per restartPolicy with the kubelet's back-off, and stop gracefully
 * (SIGTERM to the process group, SIGKILL after the grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ContainerState, ContainerStateTerminated } from '../api/index.js';
import { rfc3339, type Clock, type Logger } from '../util/index.js';
import { kubeletBackoff, nextBackoff, shouldRestart, terminatedReason, type BackoffPolicy } from './backoff.js';
import type { NotRunnable, Runnable } from './images.js';
import type { LineStamper, LogStore } from './logs.js';
import { CpuRate, sampleTree } from './proc.js';

export interface ContainerRunOptions {
  podUid: string;
  podLabel: string;
  name: string;
  runnable: Runnable | NotRunnable;
  env: Record<string, string>;
  cwd: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  memoryLimitBytes?: number;
  logs: LogStore;
  clock: Clock;
  log: Logger;
  backoff?: BackoffPolicy;
  /** Called whenever the state changes, so the pod can report status. */
  onChange: () => void;
  /** Restart count to continue from (after an agent restart). */
  restartCount?: number;
}

export interface ContainerSnapshot {
  state: ContainerState;
  lastState: ContainerState;
  restartCount: number;
  running: boolean;
  pid?: number;
  cpuCores: number;
  memoryBytes: number;
}

export class ContainerRun {
  private child: ChildProcess | undefined;
  private state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  private lastState: ContainerState = {};
  private restartCount: number;
  private startedAt = 0;
  private backoffMs: number | undefined;
  private stopping = false;
  private oomKilled = false;
  private restartTimer: AbortController | undefined;
  private stamper: LineStamper | undefined;
  private readonly cpu = new CpuRate();
  private usage = { cpuCores: 0, memoryBytes: 0 };
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly o: ContainerRunOptions) {
    this.restartCount = o.restartCount ?? 0;
  }

  snapshot(): ContainerSnapshot {
    return {
      state: this.state,
      lastState: this.lastState,
      restartCount: this.restartCount,
      running: this.state.running !== undefined,
      pid: this.child?.pid,
      ...this.usage,
    };
  }

  start(): void {
    if (this.stopping) return;
    const r = this.o.runnable;
    if (!('file' in r)) {
      this.state = { waiting: { reason: r.reason, message: r.message } };
      this.o.onChange();
      return;
    }
    this.oomKilled = false;
    this.stamper = this.o.logs.open(this.o.podUid, this.o.name, this.restartCount);
    const child = spawn(r.file, r.args, { cwd: this.o.cwd, env: this.o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.startedAt = this.o.clock.now();
    const stamper = this.stamper;
    child.stdout?.on('data', (d: Buffer) => stamper.write(d));
    child.stderr?.on('data', (d: Buffer) => stamper.write(d));
    this.exited = new Promise<void>((resolve) => {
      child.once('error', (e) => {
        this.finish(child, { exitCode: 128, reason: 'StartError', message: e.message });
        resolve();
      });
      child.once('exit', (code, signal) => {
        const exitCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
        this.finish(child, { exitCode, reason: terminatedReason(exitCode, this.oomKilled), ...(signal ? { signal: signalNumber(signal) } : {}) });
        resolve();
      });
    });
    this.state = { running: { startedAt: rfc3339(this.startedAt) } };
    this.o.log.debug('container started', { container: this.o.name, pid: child.pid });
    this.o.onChange();
  }

  private finish(child: ChildProcess, t: Omit<ContainerStateTerminated, 'startedAt' | 'finishedAt'>): void {
    if (this.child !== child) return;
    this.child = undefined;
    void this.stamper?.end();
    const now = this.o.clock.now();
    const terminated: ContainerStateTerminated = { ...t, startedAt: rfc3339(this.startedAt), finishedAt: rfc3339(now) };
    this.usage = { cpuCores: 0, memoryBytes: 0 };
    if (this.stopping || !shouldRestart(this.o.restartPolicy, t.exitCode)) {
      this.state = { terminated };
      this.o.onChange();
      return;
    }
    this.lastState = { terminated };
    this.backoffMs = nextBackoff(this.o.backoff ?? kubeletBackoff, this.backoffMs, now - this.startedAt);
    const delay = this.backoffMs;
    this.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${this.o.name} pod=${this.o.podLabel}` } };
    this.o.onChange();
    const ac = new AbortController();
    this.restartTimer = ac;
    this.o.clock.sleep(delay, ac.signal).then(() => {
      if (this.stopping) return;
      this.restartCount++;
      this.start();
    }, () => undefined);
  }

  /** Kills the running process so that it restarts (a failed liveness probe). */
  restart(reason: string): void {
    const c = this.child;
    if (!c?.pid) return;
    this.o.log.info('killing container for restart', { container: this.o.name, reason });
    killGroup(c.pid, 'SIGTERM');
    const pid = c.pid;
    void this.o.clock.sleep(5000).then(() => {
      if (this.child === c) killGroup(pid, 'SIGKILL');
    });
  }

  /** Samples CPU and memory; enforces the memory limit. */
  sample(): void {
    const c = this.child;
    if (!c?.pid) return;
    const s = sampleTree(c.pid);
    if (!s) return;
    this.usage = { cpuCores: this.cpu.observe(this.o.clock.now(), s.cpuSeconds), memoryBytes: s.rssBytes };
    if (this.o.memoryLimitBytes !== undefined && s.rssBytes > this.o.memoryLimitBytes) {
      this.oomKilled = true;
      this.o.log.warn('container over its memory limit', { container: this.o.name, rss: s.rssBytes, limit: this.o.memoryLimitBytes });
      killGroup(c.pid, 'SIGKILL');
    }
  }

  /** Stops for good: SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.restartTimer?.abort();
    const c = this.child;
    if (!c?.pid) return;
    killGroup(c.pid, 'SIGTERM');
    const pid = c.pid;
    const timer = new AbortController();
    void this.o.clock.sleep(graceMs, timer.signal).then(() => killGroup(pid, 'SIGKILL'), () => undefined);
    await this.exited;
    timer.abort();
    killGroup(pid, 'SIGKILL'); // leftovers of the group
  }
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };
function signalNumber(sig: NodeJS.Signals): number {
  return signals[sig] ?? 0;
}
