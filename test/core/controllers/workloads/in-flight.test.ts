import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InFlight } from '../../../../core/controllers/workloads/in-flight.js';
import { FakeClock } from '../../../../core/util/index.js';
import { makePod } from './fixtures.js';

test('in-flight creates and deletes bridge informer lag, then expire', async () => {
  const clock = new FakeClock();
  const f = new InFlight(clock, 60_000);
  const a = makePod({ name: 'a' });
  const b = makePod({ name: 'b' });
  const c = makePod({ name: 'c' });
  const names = (ps: { metadata: { name?: string } }[]): string[] => ps.map((p) => p.metadata.name ?? '').sort();
  f.created('default/web', b);
  f.deleted('default/web', a);
  assert.deepEqual(names(f.reconcileView('default/web', [a, c])), ['b', 'c'], 'b created but unseen, a deleted but still cached');
  assert.deepEqual(names(f.reconcileView('default/other', [a])), ['a'], 'other keys unaffected');
  f.observedAdd(b);
  assert.deepEqual(names(f.reconcileView('default/web', [a, c])), ['c'], 'b seen: no longer added; a still hidden');
  f.created('default/web', b);
  assert.deepEqual(names(f.reconcileView('default/web', [c], () => true)), ['c'], 'a create the cache already holds is dropped even if not owned');
  f.observedDelete(a);
  assert.deepEqual(names(f.reconcileView('default/web', [a, c])), ['a', 'c'], 'the delete was observed: a (if listed again) counts');
  f.created('default/web', b);
  await clock.advance(61_000);
  assert.deepEqual(names(f.reconcileView('default/web', [c])), ['c'], 'entries expire');
});
