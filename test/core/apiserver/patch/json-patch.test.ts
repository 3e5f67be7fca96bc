import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, PatchError, type PatchErrorCode } from '../../../../core/apiserver/patch/index.js';

interface OkCase {
  desc: string;
  doc: unknown;
  ops: unknown;
  want: unknown;
}

const ok: OkCase[] = [
  // RFC 6902 appendix A
  { desc: 'A.1 add an object member', doc: { foo: 'bar' }, ops: [{ op: 'add', path: '/baz', value: 'qux' }], want: { baz: 'qux', foo: 'bar' } },
  { desc: 'A.2 add an array element', doc: { foo: ['bar', 'baz'] }, ops: [{ op: 'add', path: '/foo/1', value: 'qux' }], want: { foo: ['bar', 'qux', 'baz'] } },
  { desc: 'A.3 remove an object member', doc: { baz: 'qux', foo: 'bar' }, ops: [{ op: 'remove', path: '/baz' }], want: { foo: 'bar' } },
  { desc: 'A.4 remove an array element', doc: { foo: ['bar', 'qux', 'baz'] }, ops: [{ op: 'remove', path: '/foo/1' }], want: { foo: ['bar', 'baz'] } },
  { desc: 'A.5 replace a value', doc: { baz: 'qux', foo: 'bar' }, ops: [{ op: 'replace', path: '/baz', value: 'boo' }], want: { baz: 'boo', foo: 'bar' } },
  {
    desc: 'A.6 move a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    ops: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    desc: 'A.7 move an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    ops: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    want: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    desc: 'A.8 testing a value: success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    ops: [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }],
    want: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  { desc: 'A.10 add a nested member object', doc: { foo: 'bar' }, ops: [{ op: 'add', path: '/child', value: { grandchild: {} } }], want: { foo: 'bar', child: { grandchild: {} } } },
  { desc: 'A.11 ignore unrecognized members of an operation', doc: { foo: 'bar' }, ops: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], want: { foo: 'bar', baz: 'qux' } },
  { desc: 'A.14 ~ escape ordering', doc: { '/': 9, '~1': 10 }, ops: [{ op: 'test', path: '/~01', value: 10 }], want: { '/': 9, '~1': 10 } },
  { desc: 'A.16 add an array value with "-"', doc: { foo: ['bar'] }, ops: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], want: { foo: ['bar', ['abc', 'def']] } },
  // more
  { desc: 'add replaces an existing member', doc: { a: 1 }, ops: [{ op: 'add', path: '/a', value: 2 }], want: { a: 2 } },
  { desc: '~1 in a key addresses a slash', doc: { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } }, ops: [{ op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'y' }], want: { metadata: { labels: { 'app.kubernetes.io/name': 'y' } } } },
  { desc: 'copy a subtree', doc: { a: { b: [1] } }, ops: [{ op: 'copy', from: '/a', path: '/c' }], want: { a: { b: [1] }, c: { b: [1] } } },
  { desc: 'replace the whole document', doc: { a: 1 }, ops: [{ op: 'replace', path: '', value: [1, 2] }], want: [1, 2] },
  { desc: 'test compares objects structurally', doc: { a: { x: 1, y: [1, 2] } }, ops: [{ op: 'test', path: '/a', value: { y: [1, 2], x: 1 } }], want: { a: { x: 1, y: [1, 2] } } },
  { desc: 'scale through spec.replicas', doc: { spec: { replicas: 1 } }, ops: [{ op: 'replace', path: '/spec/replicas', value: 3 }], want: { spec: { replicas: 3 } } },
  { desc: 'negative index counts from the end (Kubernetes extension)', doc: { a: [1, 2, 3] }, ops: [{ op: 'remove', path: '/a/-1' }, { op: 'replace', path: '/a/-2', value: 9 }], want: { a: [9, 2] } },
  { desc: 'add at -1 appends (Kubernetes extension)', doc: { a: [1] }, ops: [{ op: 'add', path: '/a/-1', value: 2 }], want: { a: [1, 2] } },
  { desc: 'empty patch is a no-op', doc: { a: 1 }, ops: [], want: { a: 1 } },
  { desc: 'ops apply in order', doc: {}, ops: [{ op: 'add', path: '/l', value: [] }, { op: 'add', path: '/l/-', value: 1 }, { op: 'add', path: '/l/0', value: 0 }], want: { l: [0, 1] } },
  {
    desc: 'copies keep member order and nesting',
    doc: { a: { z: 1, y: [1, { x: null }], w: 'v' } },
    ops: [{ op: 'copy', from: '/a', path: '/b' }],
    want: { a: { z: 1, y: [1, { x: null }], w: 'v' }, b: { z: 1, y: [1, { x: null }], w: 'v' } },
  },
];

interface ErrCase {
  desc: string;
  doc: unknown;
  ops: unknown;
  code: PatchErrorCode;
  http: number;
  message: RegExp;
}

const errs: ErrCase[] = [
  { desc: 'A.9 testing a value: error', doc: { baz: 'qux' }, ops: [{ op: 'test', path: '/baz', value: 'bar' }], code: 'TestFailed', http: 422, message: /test failed.*"\/baz"/ },
  { desc: 'A.12 add to a nonexistent target', doc: { foo: 'bar' }, ops: [{ op: 'add', path: '/baz/bat', value: 'qux' }], code: 'PathNotFound', http: 422, message: /not found/ },
  { desc: 'A.13 an invalid operation', doc: { foo: 'bar' }, ops: [{ op: 'frobnicate', path: '/foo' }], code: 'InvalidOperation', http: 400, message: /invalid op "frobnicate"/ },
  { desc: 'A.15 strings and numbers differ', doc: { '/': 9, '~1': 10 }, ops: [{ op: 'test', path: '/~01', value: '10' }], code: 'TestFailed', http: 422, message: /test failed/ },
  { desc: 'remove a missing member', doc: { a: 1 }, ops: [{ op: 'remove', path: '/b' }], code: 'PathNotFound', http: 422, message: /"\/b" not found/ },
  { desc: 'replace a missing member', doc: { a: 1 }, ops: [{ op: 'replace', path: '/b', value: 1 }], code: 'PathNotFound', http: 422, message: /not found/ },
  { desc: 'array index out of bounds', doc: { a: [1] }, ops: [{ op: 'add', path: '/a/5', value: 1 }], code: 'PathNotFound', http: 422, message: /out of bounds/ },
  { desc: 'negative index beyond the start', doc: { a: [1] }, ops: [{ op: 'remove', path: '/a/-2' }], code: 'PathNotFound', http: 422, message: /out of bounds/ },
  { desc: 'leading zero index', doc: { a: [1, 2] }, ops: [{ op: 'remove', path: '/a/01' }], code: 'InvalidPath', http: 422, message: /invalid array index/ },
  { desc: '"-" only appends', doc: { a: [1] }, ops: [{ op: 'remove', path: '/a/-' }], code: 'InvalidPath', http: 422, message: /invalid array index "-"/ },
  { desc: 'pointer without a leading slash', doc: { a: 1 }, ops: [{ op: 'remove', path: 'a' }], code: 'InvalidPath', http: 422, message: /invalid JSON pointer/ },
  { desc: 'bad ~ escape', doc: { a: 1 }, ops: [{ op: 'remove', path: '/~2' }], code: 'InvalidPath', http: 422, message: /bad escape/ },
  { desc: 'missing value', doc: {}, ops: [{ op: 'add', path: '/a' }], code: 'InvalidOperation', http: 400, message: /missing "value"/ },
  { desc: 'missing from', doc: { a: 1 }, ops: [{ op: 'move', path: '/b' }], code: 'InvalidOperation', http: 400, message: /missing "from"/ },
  { desc: 'missing path', doc: {}, ops: [{ op: 'remove' }], code: 'InvalidOperation', http: 400, message: /missing "path"/ },
  { desc: 'patch is not an array', doc: {}, ops: { op: 'add' }, code: 'InvalidPatch', http: 400, message: /must be an array/ },
  { desc: 'move into own child', doc: { a: { b: 1 } }, ops: [{ op: 'move', from: '/a', path: '/a/c' }], code: 'InvalidPath', http: 422, message: /own child/ },
  { desc: 'more than 10000 operations', doc: {}, ops: Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: {} })), code: 'TooManyOperations', http: 413, message: /^Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001$/ },
  {
    desc: 'copies that together add more than 3 MiB (each doubles the document)',
    doc: { a: { s: 'x'.repeat(1000) } },
    ops: Array.from({ length: 22 }, (_, i) => ({ op: 'copy', from: '/a', path: `/a/c${i}` })),
    code: 'CopyTooLarge', http: 422, message: /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/,
  },
  { desc: 'a later failure discards earlier ops', doc: { a: 1 }, ops: [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 2 }], code: 'TestFailed', http: 422, message: /test failed/ },
];

describe('applyJsonPatch', () => {
  for (const c of ok) {
    it(c.desc, () => {
      const before = structuredClone(c.doc);
      assert.deepEqual(applyJsonPatch(c.doc, c.ops), c.want);
      assert.deepEqual(c.doc, before, 'input must not be mutated');
    });
  }
  for (const c of errs) {
    it(`error: ${c.desc}`, () => {
      const before = structuredClone(c.doc);
      assert.throws(
        () => applyJsonPatch(c.doc, c.ops),
        (e: unknown) => {
          assert.ok(e instanceof PatchError, `want PatchError, got ${String(e)}`);
          assert.equal(e.patchCode, c.code);
          assert.equal(e.code, c.http);
          assert.match(e.message, c.message);
          assert.equal(e.toStatus().kind, 'Status');
          return true;
        },
      );
      assert.deepEqual(c.doc, before, 'input must not be mutated');
    });
  }
});
