import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../../../core/apiserver/patch/index.js';

// RFC 7386 appendix A, plus Kubernetes-shaped cases.
const cases: { desc: string; original: unknown; patch: unknown; want: unknown }[] = [
  { desc: 'replace a member', original: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
  { desc: 'add a member', original: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
  { desc: 'null deletes a member', original: { a: 'b' }, patch: { a: null }, want: {} },
  { desc: 'null deletes only its member', original: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
  { desc: 'arrays replace', original: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
  { desc: 'value replaced by array', original: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
  { desc: 'nested merge with delete', original: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
  { desc: 'array of objects replaced', original: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
  { desc: 'array replaced by array', original: ['a', 'b'], patch: ['c', 'd'], want: ['c', 'd'] },
  { desc: 'object replaced by array', original: { a: 'b' }, patch: ['c'], want: ['c'] },
  { desc: 'document replaced by null', original: { a: 'foo' }, patch: null, want: null },
  { desc: 'document replaced by string', original: { a: 'foo' }, patch: 'bar', want: 'bar' },
  { desc: 'null in original kept', original: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
  { desc: 'array replaced by object', original: [1, 2], patch: { a: 'b', c: null }, want: { a: 'b' } },
  { desc: 'nulls inside new objects are dropped', original: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
  {
    desc: 'containers list replaced wholesale (no merge keys in merge patch)',
    original: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } },
    patch: { spec: { containers: [{ name: 'a', image: 'z' }] } },
    want: { spec: { containers: [{ name: 'a', image: 'z' }] } },
  },
  { desc: 'label removed, another added', original: { metadata: { labels: { a: '1', b: '2' } } }, patch: { metadata: { labels: { a: null, c: '3' } } }, want: { metadata: { labels: { b: '2', c: '3' } } } },
];

describe('applyMergePatch', () => {
  it('sets __proto__ as an own key without touching the prototype', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { x: 1 });
  });
  for (const c of cases) {
    it(c.desc, () => {
      const before = structuredClone(c.original);
      const patchBefore = structuredClone(c.patch);
      assert.deepEqual(applyMergePatch(c.original, c.patch), c.want);
      assert.deepEqual(c.original, before, 'original must not be mutated');
      assert.deepEqual(c.patch, patchBefore, 'patch must not be mutated');
    });
  }
});
