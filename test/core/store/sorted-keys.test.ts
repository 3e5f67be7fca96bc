import { it } from 'node:test';
import assert from 'node:assert/strict';
import { SortedKeys } from '../../../core/store/sorted-keys.js';

/** A small deterministic generator so the sequence is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const cases = [
  { description: 'few keys, mostly inserts', ops: 200, space: 50, removeShare: 0.2 },
  { description: 'many keys forcing chunk splits', ops: 6000, space: 4000, removeShare: 0.3 },
  { description: 'heavy churn emptying chunks', ops: 6000, space: 800, removeShare: 0.6 },
];

for (const c of cases) {
  it(`sorted keys match a sorted reference: ${c.description}`, () => {
    const rnd = lcg(c.ops);
    const ref = new Set<string>();
    const keys = new SortedKeys(['/seed/b', '/seed/a']);
    ref.add('/seed/a').add('/seed/b');
    for (let i = 0; i < c.ops; i++) {
      const key = `/k/${Math.floor(rnd() * c.space)}`;
      if (rnd() < c.removeShare) {
        keys.remove(key);
        ref.delete(key);
      } else {
        keys.insert(key);
        ref.add(key);
      }
    }
    const sorted = [...ref].sort();
    assert.deepEqual([...keys.from('')], sorted);
    const mid = sorted[Math.floor(sorted.length / 2)] ?? '';
    assert.deepEqual([...keys.from(mid)], sorted.filter((k) => k >= mid));
    assert.deepEqual([...keys.from('/k/~')], sorted.filter((k) => k >= '/k/~'));
  });
}
