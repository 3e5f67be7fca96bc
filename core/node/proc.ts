/** CPU and memory of a process tree, read from /proc (Linux). */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcSample {
  /** utime + stime of the tree, in seconds. */
  cpuSeconds: number;
  /** Resident set size of the tree, in bytes. */
  rssBytes: number;
  pids: number[];
}

const clockTicks = 100; // USER_HZ on Linux
const pageSize = 4096;

function readStat(pid: number): { ppid: number; cpu: number; rss: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may contain spaces: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (i: number): number => Number(rest[i] ?? 0);
  // Fields after comm, 0-based from state: state(0) ppid(1) … utime(11) stime(12) … rss(21)
  return { ppid: num(1), cpu: num(11) + num(12), rss: num(21) * pageSize };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const s = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
      if (s) out.push(...s.split(/\s+/).map(Number));
    } catch {
      // thread gone
    }
  }
  return out;
}

/** The root and all its descendants that are alive now. */
export function processTree(root: number): number[] {
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    if (pid === undefined || seen.has(pid)) continue;
    seen.add(pid);
    stack.push(...childrenOf(pid));
  }
  return [...seen];
}

/** Sums CPU time and RSS over `root`'s tree; undefined if the root is gone. */
export function sampleTree(root: number): ProcSample | undefined {
  const pids = processTree(root);
  let cpu = 0;
  let rss = 0;
  let found = false;
  for (const pid of pids) {
    const s = readStat(pid);
    if (!s) continue;
    found = true;
    cpu += s.cpu;
    rss += s.rss;
  }
  return found ? { cpuSeconds: cpu / clockTicks, rssBytes: rss, pids } : undefined;
}

/** Turns successive cumulative CPU samples into a usage rate (cores) over the window between them. */
export class CpuRate {
  private last: { t: number; cpu: number } | undefined;
  private rate = 0;

  /** Feeds a sample taken at `tMs`; returns the current rate in cores. */
  observe(tMs: number, cpuSeconds: number): number {
    if (this.last && tMs > this.last.t) {
      const d = cpuSeconds - this.last.cpu;
      this.rate = d >= 0 ? d / ((tMs - this.last.t) / 1000) : 0;
    }
    this.last = { t: tMs, cpu: cpuSeconds };
    return this.rate;
  }
}
