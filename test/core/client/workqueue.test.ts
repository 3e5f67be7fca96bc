import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket, WorkQueue, backoffDelay } from '../../../core/client/index.js';
import { FakeClock } from '../../../core/util/index.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

async function drain(q: WorkQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.len() > 0) {
    const k = await q.get();
    if (k === undefined) break;
    out.push(k);
    q.done(k);
  }
  return out;
}

test('work queue de-duplication', async (t) => {
  const cases: { name: string; run: (q: WorkQueue) => Promise<string[]>; want: string[] }[] = [
    {
      name: 'a key added twice while waiting is processed once',
      run: async (q) => {
        q.add('a');
        q.add('b');
        q.add('a');
        return drain(q);
      },
      want: ['a', 'b'],
    },
    {
      name: 'a key re-added while processing is processed again after done',
      run: async (q) => {
        q.add('a');
        const k = await q.get();
        q.add('a');
        const waitingBeforeDone = q.len();
        if (k !== undefined) q.done(k);
        return [`waiting=${waitingBeforeDone}`, ...(await drain(q))];
      },
      want: ['waiting=0', 'a'],
    },
    {
      name: 'a key added during processing many times is processed once more',
      run: async (q) => {
        q.add('a');
        const k = await q.get();
        q.add('a');
        q.add('a');
        if (k !== undefined) q.done(k);
        return drain(q);
      },
      want: ['a'],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const q = new WorkQueue({ clock: new FakeClock() });
      assert.deepEqual(await c.run(q), c.want);
    });
  }
});

test('a waiting get receives the next key and shutDown releases waiters', async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  const p = q.get();
  q.add('x');
  assert.equal(await p, 'x');
  const p2 = q.get();
  q.shutDown();
  assert.equal(await p2, undefined);
  q.add('y');
  assert.equal(q.len(), 0);
});

test('addAfter waits for the injected clock', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue({ clock });
  q.addAfter('k', 1000);
  await tick();
  assert.equal(q.len(), 0, 'not added before the delay');
  await clock.advance(999);
  assert.equal(q.len(), 0, 'not added 1 ms early');
  await clock.advance(1);
  assert.equal(q.len(), 1);
  q.shutDown();
});

test('of several delayed adds of one key the earliest wins, once', async (t) => {
  const cases = [
    { name: 'a later delay does not postpone an earlier one', delays: [500, 1000], readyAt: 500 },
    { name: 'an earlier delay replaces a later one', delays: [1000, 500], readyAt: 500 },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const clock = new FakeClock();
      const q = new WorkQueue({ clock });
      for (const d of c.delays) q.addAfter('k', d);
      await clock.advance(c.readyAt - 1);
      assert.equal(q.len(), 0);
      await clock.advance(1);
      assert.deepEqual(await drain(q), ['k']);
      await clock.advance(2000);
      assert.equal(q.len(), 0, 'no second add from the replaced timer');
      q.shutDown();
    });
  }
});

test('back-off delays double per failure and forget resets them', async (t) => {
  const cases = [
    { name: 'first failure waits the base', attempt: 0, want: 5 },
    { name: 'third failure waits 4x base', attempt: 2, want: 20 },
    { name: 'very many failures cap at 1000 s', attempt: 40, want: 1_000_000 },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.equal(backoffDelay(c.attempt, 5, 1_000_000), c.want));
  }
  await t.test('addRateLimited uses the per-key back-off', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, backoff: { baseMs: 100, maxMs: 10_000 } });
    q.addRateLimited('k'); // 100 ms
    assert.equal(q.numRequeues('k'), 1);
    await clock.advance(99);
    assert.equal(q.len(), 0);
    await clock.advance(1);
    assert.equal(q.len(), 1, 'first retry after 100 ms');
    await drain(q);
    q.addRateLimited('k'); // 200 ms
    assert.equal(q.numRequeues('k'), 2);
    await clock.advance(199);
    assert.equal(q.len(), 0);
    await clock.advance(1);
    assert.equal(q.len(), 1, 'second retry after 200 ms');
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.shutDown();
  });
});

test('token bucket', async (t) => {
  await t.test('allows a burst, then refills at qps', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(2, 3, clock);
    assert.deepEqual([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()], [true, true, true, false]);
    await clock.advance(500);
    assert.deepEqual([b.tryTake(), b.tryTake()], [true, false], 'one token after half a second at 2 qps');
  });
  await t.test('take waits on the injected clock', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(1, 1, clock);
    await b.take();
    let got = false;
    const p = b.take().then(() => { got = true; });
    await tick();
    assert.equal(got, false);
    await clock.advance(1000);
    await p;
    assert.equal(got, true);
  });
});
