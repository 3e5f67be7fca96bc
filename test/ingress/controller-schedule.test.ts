/**
 * Route-table rebuild scheduling, driven by a FakeClock: an isolated change rebuilds without waiting for the
 * debounce, a storm of changes produces a bounded number of rebuilds spaced by the build cost, and the newest
 * state always ends up in the (fake) proxy.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../core/util/index.js';
import { rebuildDelay, RebuildScheduler } from '../../ingress/controller/schedule.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A world whose state is a version number; each build copies it into the "proxy" after costing `buildMs`. */
function harness(o: { minGapMs: number; costFactor: number; buildMs: number }) {
  const clock = new FakeClock();
  const ac = new AbortController();
  const world = { version: 0, proxied: -1, builtAt: [] as number[] };
  const s = new RebuildScheduler({
    clock, signal: ac.signal, minGapMs: o.minGapMs, costFactor: o.costFactor,
    run: () => {
      world.builtAt.push(clock.now());
      const seen = world.version;
      // Nothing else sleeps on the clock while a build runs, so this moves time synchronously.
      void clock.advance(o.buildMs);
      world.proxied = seen;
    },
  });
  const change = (): void => {
    world.version++;
    s.schedule();
  };
  return { clock, ac, world, s, change };
}

describe('rebuildDelay', () => {
  const cases = [
    { d: 'no build yet: right away', now: 100, last: undefined, gap: 5, k: 3, want: 0 },
    { d: 'last build long ago: right away', now: 1000, last: { startedAt: 0, durationMs: 1 }, gap: 5, k: 3, want: 0 },
    { d: 'cheap build 2 ms ago: the rest of the debounce', now: 2, last: { startedAt: 0, durationMs: 0 }, gap: 5, k: 3, want: 3 },
    { d: 'a 40 ms build: 3 × 40 ms after its start', now: 40, last: { startedAt: 0, durationMs: 40 }, gap: 5, k: 3, want: 80 },
    { d: 'cost gap already over', now: 130, last: { startedAt: 0, durationMs: 40 }, gap: 5, k: 3, want: 0 },
  ];
  for (const c of cases) {
    it(c.d, () => assert.equal(rebuildDelay(c.now, c.last, c.gap, c.k), c.want));
  }
});

describe('RebuildScheduler', () => {
  const single = [
    { d: 'first change ever', warmup: false },
    { d: 'a change long after the previous build', warmup: true },
  ];
  for (const c of single) {
    it(`an isolated change rebuilds without waiting for the debounce: ${c.d}`, async () => {
      const h = harness({ minGapMs: 50, costFactor: 3, buildMs: 1 });
      if (c.warmup) {
        h.change();
        await turn();
        await h.clock.advance(10_000);
      }
      const before = h.s.builds;
      const t0 = h.clock.now();
      h.change();
      h.change(); // same turn: coalesced
      await turn();
      assert.equal(h.s.builds, before + 1);
      assert.equal(h.world.builtAt.at(-1), t0, 'the build started without the clock moving');
      assert.equal(h.world.proxied, h.world.version);
    });
  }

  const storms = [
    { d: 'cheap builds, a change every 1 ms for 1 s', changes: 1000, everyMs: 1, buildMs: 0, minGapMs: 5, costFactor: 3 },
    { d: '40 ms builds (a big table), a change every 1 ms for 1 s', changes: 1000, everyMs: 1, buildMs: 40, minGapMs: 5, costFactor: 3 },
    { d: '10 ms builds, factor 2, a change every 3 ms', changes: 300, everyMs: 3, buildMs: 10, minGapMs: 5, costFactor: 2 },
    { d: 'builds slower than the debounce, factor 2, a change every 1 ms', changes: 200, everyMs: 1, buildMs: 8, minGapMs: 5, costFactor: 2 },
  ];
  for (const c of storms) {
    it(`a storm rebuilds a bounded number of times and ends on the newest state: ${c.d}`, async () => {
      const h = harness(c);
      for (let i = 0; i < c.changes; i++) {
        h.change();
        await turn();
        await h.clock.advance(c.everyMs);
        // Every rebuild the proxy got reflects a state no older than the one when it started.
        assert.ok(h.world.proxied <= h.world.version);
      }
      await h.clock.advance(10 * Math.max(c.minGapMs, c.costFactor * c.buildMs));
      await turn();
      const gap = Math.max(c.minGapMs, c.costFactor * c.buildMs);
      const total = h.clock.now() - (h.world.builtAt[0] ?? 0);
      assert.ok(h.s.builds >= 2, `only ${h.s.builds} builds`);
      assert.ok(h.s.builds <= Math.ceil(total / gap) + 1, `${h.s.builds} builds in ${total} ms with a ${gap} ms gap`);
      assert.ok(h.s.builds < c.changes / 2, `${h.s.builds} builds for ${c.changes} changes`);
      for (let i = 1; i < h.world.builtAt.length; i++) {
        const spacing = (h.world.builtAt[i] ?? 0) - (h.world.builtAt[i - 1] ?? 0);
        assert.ok(spacing >= gap, `builds ${i - 1} and ${i} only ${spacing} ms apart (gap ${gap})`);
      }
      assert.equal(h.world.proxied, h.world.version, 'the final change reached the proxy');
    });
  }

  it('a change arriving during the wait is picked up; one arriving after the build schedules another', async () => {
    const h = harness({ minGapMs: 20, costFactor: 3, buildMs: 0 });
    h.change();
    await turn();
    assert.equal(h.s.builds, 1);
    h.change(); // waits for the gap
    await turn();
    assert.equal(h.s.builds, 1);
    h.change(); // coalesced into the waiting rebuild
    await h.clock.advance(20);
    assert.equal(h.s.builds, 2);
    assert.equal(h.world.proxied, 3);
    h.change();
    await h.clock.advance(20);
    await turn();
    assert.equal(h.s.builds, 3);
    assert.equal(h.world.proxied, 4);
  });

  it('stops once aborted: a waiting rebuild is dropped and no new one starts', async () => {
    const h = harness({ minGapMs: 20, costFactor: 3, buildMs: 0 });
    h.change();
    await turn();
    h.change();
    h.ac.abort();
    await h.clock.advance(100);
    h.change();
    await turn();
    assert.equal(h.s.builds, 1);
  });

  it('a build that throws still counts for spacing', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const s = new RebuildScheduler({
      clock, signal: new AbortController().signal, minGapMs: 5, costFactor: 3,
      run: () => { calls++; void clock.advance(10); throw new Error('boom'); },
      defer: (fn) => setImmediate(() => assert.throws(fn, /boom/)),
    });
    s.schedule();
    await turn();
    assert.equal(calls, 1);
    assert.deepEqual(s.last, { startedAt: clock.now() - 10, durationMs: 10 });
    s.schedule();
    await turn();
    assert.equal(calls, 1, 'waits 30 ms after the failed build started');
  });
});
