/**
 * The block of loopback addresses one `skiff up` uses, so that several can run on one machine
 * (tests do): slot S gives local node i the address 127.1.S.i and pods 127.(100+S).i.0/24, and
 * the fake cloud's load balancers 127.2.S.0/24. A slot is held by a lock file naming the pid in
 * the machine's temp dir; the data dir remembers its slot so a restart keeps its addresses.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive } from './datadir.js';

export const maxSlot = 99;

export interface Slot {
  n: number;
  release(): void;
}

function tryTake(dir: string, n: number): boolean {
  const file = join(dir, `${n}.pid`);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const holder = Number(readFileSync(file, 'utf8').trim() || '0');
    if (holder === process.pid) return true;
    if (holder > 0 && alive(holder)) return false;
    rmSync(file, { force: true });
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  }
}

/** Takes the data dir's remembered slot if free, else the first free one; remembers it. */
export function takeSlot(dataDir: string, locks = join(tmpdir(), 'skiff-slots')): Slot {
  mkdirSync(locks, { recursive: true });
  const memo = join(dataDir, 'slot');
  let preferred = 1;
  try {
    const v = Number(readFileSync(memo, 'utf8').trim());
    if (Number.isInteger(v) && v >= 1 && v <= maxSlot) preferred = v;
  } catch {
    // first start
  }
  for (let k = 0; k < maxSlot; k++) {
    const n = ((preferred - 1 + k) % maxSlot) + 1;
    if (!tryTake(locks, n)) continue;
    writeFileSync(memo, `${n}\n`);
    return {
      n,
      release: () => {
        try {
          if (Number(readFileSync(join(locks, `${n}.pid`), 'utf8').trim()) === process.pid) rmSync(join(locks, `${n}.pid`));
        } catch {
          // gone
        }
      },
    };
  }
  throw new Error(`all ${maxSlot} address slots are taken by running skiffs`);
}

/** Node i (1-based) of slot s: name, address and pod range. */
export function localNodeAddress(slot: number, i: number): { address: string; podIPPrefix: string } {
  return { address: `127.1.${slot}.${i}`, podIPPrefix: `127.${100 + slot}.${i}` };
}

/** The fake cloud's load-balancer addresses for slot s. */
export function loadBalancerPrefix(slot: number): string {
  return `127.2.${slot}`;
}
