/** Benchmark process helpers: spawn a child and wait for its ready line, CPU time and RSS from /proc, wrk. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child { proc: ChildProcess; pid: number; stop(): Promise<void> }

/** Spawns `cmd` (optionally pinned with taskset) and resolves once stdout contains `ready` (or after `waitMs` when `ready` is undefined). */
export function startChild(cmd: string, args: string[], o: { cpu?: string; ready?: string; waitMs?: number; cwd?: string } = {}): Promise<Child> {
  const full = o.cpu === undefined ? [cmd, ...args] : ['taskset', '-c', o.cpu, cmd, ...args];
  const proc = spawn(full[0] ?? cmd, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...(o.cwd === undefined ? {} : { cwd: o.cwd }) });
  let err = '';
  proc.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  const stop = (): Promise<void> => new Promise((r) => {
    if (proc.exitCode !== null) { r(); return; }
    proc.once('exit', () => r());
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
  });
  return new Promise((resolve, reject) => {
    const done = (): void => resolve({ proc, pid: proc.pid ?? 0, stop });
    proc.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${err}`)));
    if (o.ready === undefined) { setTimeout(done, o.waitMs ?? 500); return; }
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(o.ready ?? '')) done();
    });
  });
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
  const out = [pid];
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    for (const k of kids) out.push(...processTree(k));
  } catch {
    // gone
  }
  return out;
}

const TICK_US = 1e6 / 100; // USER_HZ

/** utime+stime (plus waited-for children's) of a process tree, in µs. */
export function cpuMicros(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields after "(comm)": state is index 0, so utime (14) is index 11.
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // gone
    }
  }
  return ticks * TICK_US;
}

/** Resident set size of a process tree in MiB. */
export function rssMiB(root: number): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

export interface WrkResult { rps: number; p50: number; p99: number; requests: number; errors: number }

function ms(v: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v ?? '');
  if (m === null) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/** `taskset -c 0 wrk -t1 -c64 -dNs --latency url`. */
export function wrk(url: string, seconds: number, connections = 64): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const p = spawn('taskset', ['-c', '0', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    p.on('error', reject);
    p.on('exit', () => {
      const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
      resolve({
        rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
        p50: ms(/\s50%\s+(\S+)/.exec(out)?.[1]),
        p99: ms(/\s99%\s+(\S+)/.exec(out)?.[1]),
        requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
        errors: (errs === null ? 0 : errs.slice(1).reduce((a, b) => a + Number(b), 0)) + Number(non2xx?.[1] ?? 0),
      });
    });
  });
}
