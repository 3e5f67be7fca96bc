import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerRunner } from '../../../core/client/index.js';
import { FakeClock } from '../../../core/util/index.js';
import type { Logger, LogFields } from '../../../core/util/index.js';

interface Line { level: string; msg: string; fields: LogFields }

function recordingLogger(lines: Line[], base: LogFields = {}): Logger {
  const emit = (level: string) => (msg: string, fields?: LogFields): void => {
    lines.push({ level, msg, fields: { ...base, ...fields } });
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), child: (f) => recordingLogger(lines, { ...base, ...f }) };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

test('runner retries a failing reconcile with back-off and logs one line per error', async () => {
  const clock = new FakeClock();
  const lines: Line[] = [];
  const calls: string[] = [];
  let failuresLeft = 2;
  const runner = new ControllerRunner({
    name: 'demo',
    clock,
    log: recordingLogger(lines),
    reconcile: async (key) => {
      calls.push(key);
      if (failuresLeft-- > 0) throw new Error('boom');
    },
  });
  const ac = new AbortController();
  const done = runner.run(ac.signal);
  runner.enqueue('ns/a');
  await settle();
  assert.equal(calls.length, 1);
  await clock.advance(5);
  await settle();
  assert.equal(calls.length, 2, 'retried after 5 ms');
  await clock.advance(9);
  await settle();
  assert.equal(calls.length, 2, 'second retry waits 10 ms');
  await clock.advance(1);
  await settle();
  assert.equal(calls.length, 3);
  assert.equal(runner.queue.numRequeues('ns/a'), 0, 'success forgets the back-off');
  const errors = lines.filter((l) => l.level === 'error');
  assert.equal(errors.length, 2);
  assert.deepEqual(errors.map((l) => [l.fields.controller, l.fields.key]), [['demo', 'ns/a'], ['demo', 'ns/a']]);
  ac.abort();
  await done;
});

test('runner honours requeueAfterMs and never runs one key twice at once', async () => {
  const clock = new FakeClock();
  let active = 0;
  let maxActive = 0;
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const runner = new ControllerRunner({
    name: 'demo',
    clock,
    workers: 4,
    log: recordingLogger([]),
    reconcile: async (key) => {
      calls.push(key);
      active++;
      maxActive = Math.max(maxActive, active);
      if (calls.length === 1) await new Promise<void>((r) => { release = r; });
      active--;
      return calls.length === 1 ? { requeueAfterMs: 1000 } : undefined;
    },
  });
  const ac = new AbortController();
  const done = runner.run(ac.signal);
  runner.enqueue('k');
  await settle();
  runner.enqueue('k');
  runner.enqueue('k');
  await settle();
  assert.equal(calls.length, 1, 'the re-added key waits for the in-flight reconcile');
  release();
  await settle();
  assert.equal(calls.length, 2, 're-added key is processed once after done');
  assert.equal(maxActive, 1);
  await clock.advance(1000);
  await settle();
  assert.equal(calls.length, 3, 'requeueAfterMs brought the key back');
  ac.abort();
  await done;
});
