/**
 * Pod processes left behind by an agent that died without stopping them (SIGKILL, a crash):
 * found by their working directory under the agent's pods directory, and killed before the
 * agent starts pods again — they would hold the pods' addresses and ports.
 */
import { readdirSync, readlinkSync } from 'node:fs';

/** Pids of processes whose cwd is inside `dir`. */
export function processesUnder(dir: string): number[] {
  const prefix = dir.endsWith('/') ? dir : dir + '/';
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (cwd === dir || cwd.startsWith(prefix)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** SIGKILLs every leftover process under `dir`; returns how many there were. */
export function reapOrphans(dir: string): number {
  const pids = processesUnder(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}
