import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadBalancerPrefix, localNodeAddress, takeSlot } from '../../../core/cli/slot.js';

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('takeSlot', () => {
  let root: string;
  let locks: string;
  let dataDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'skiff-slot-'));
    locks = join(root, 'locks');
    dataDir = join(root, 'data');
    mkdirSync(dataDir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('takes slot 1 first, writes a lock naming this pid, remembers it in the data dir, and release frees it', () => {
    const s = takeSlot(dataDir, locks);
    assert.equal(s.n, 1);
    assert.equal(readFileSync(join(locks, '1.pid'), 'utf8'), String(process.pid));
    assert.equal(readFileSync(join(dataDir, 'slot'), 'utf8').trim(), '1');
    s.release();
    assert.equal(existsSync(join(locks, '1.pid')), false);
  });

  const cases = [
    { desc: 'a slot held by a live process is skipped', holders: { 1: () => 1 }, memo: undefined, want: 2 },
    { desc: 'a slot left by a dead process is taken over', holders: { 1: deadPid }, memo: undefined, want: 1 },
    { desc: 'the remembered slot is preferred', holders: {}, memo: '7', want: 7 },
    { desc: 'a remembered slot held by another falls to the next free one', holders: { 7: () => 1 }, memo: '7', want: 8 },
    { desc: 'a nonsense memo is ignored', holders: {}, memo: 'banana', want: 1 },
    { desc: 'an out-of-range memo is ignored', holders: {}, memo: '500', want: 1 },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      mkdirSync(locks, { recursive: true });
      // pid 1 (init) is always alive.
      for (const [n, pid] of Object.entries(c.holders)) writeFileSync(join(locks, `${n}.pid`), String(pid()));
      if (c.memo !== undefined) writeFileSync(join(dataDir, 'slot'), c.memo);
      const s = takeSlot(dataDir, locks);
      assert.equal(s.n, c.want);
      assert.equal(readFileSync(join(dataDir, 'slot'), 'utf8').trim(), String(c.want));
      s.release();
    });
  }

  it('taking it again in the same process keeps the same slot; release leaves others\' locks alone', () => {
    const a = takeSlot(dataDir, locks);
    const b = takeSlot(dataDir, locks);
    assert.equal(b.n, a.n);
    writeFileSync(join(locks, `${a.n}.pid`), '1');
    a.release();
    assert.equal(existsSync(join(locks, `${a.n}.pid`)), true, 'a lock now naming another pid is not removed');
  });

  it('fails when every slot is taken', () => {
    mkdirSync(locks, { recursive: true });
    for (let n = 1; n <= 99; n++) writeFileSync(join(locks, `${n}.pid`), '1');
    assert.throws(() => takeSlot(dataDir, locks), /all 99 address slots are taken/);
  });
});

describe('slot addresses', () => {
  const cases = [
    { slot: 1, i: 1, address: '127.1.1.1', pods: '127.101.1', lb: '127.2.1', desc: 'slot 1, node 1' },
    { slot: 42, i: 3, address: '127.1.42.3', pods: '127.142.3', lb: '127.2.42', desc: 'slot 42, node 3' },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      assert.deepEqual(localNodeAddress(c.slot, c.i), { address: c.address, podIPPrefix: c.pods });
      assert.equal(loadBalancerPrefix(c.slot), c.lb);
    });
  }
});
