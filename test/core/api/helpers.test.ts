import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerOf, deepCopy, deepEqual, getCondition, isControlledBy, objectKeyOf, removeCondition, setCondition, splitObjectKey } from '../../../core/api/index.js';
import type { Condition, KubeObject } from '../../../core/api/index.js';

const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:05:00Z';

describe('object keys', () => {
  const cases: { description: string; obj: KubeObject; key: string }[] = [
    { description: 'namespaced', obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'ns' } }, key: 'ns/a' },
    { description: 'cluster-scoped', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }, key: 'n1' },
  ];
  for (const c of cases) {
    test(c.description, () => {
      assert.equal(objectKeyOf(c.obj), c.key);
      const split = splitObjectKey(c.key);
      assert.equal(split.name, c.obj.metadata.name);
      assert.equal(split.namespace, c.obj.metadata.namespace);
    });
  }
});

describe('ownership', () => {
  const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'u1' } };
  const other: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'u2' } };
  const pod = (controller: boolean | undefined): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', ...(controller === undefined ? {} : { controller }) }] },
  });
  const cases: { description: string; obj: KubeObject; owner: KubeObject; want: boolean }[] = [
    { description: 'controller ref with matching uid', obj: pod(true), owner, want: true },
    { description: 'different uid with the same name', obj: pod(true), owner: other, want: false },
    { description: 'non-controller ref', obj: pod(false), owner, want: false },
    { description: 'no controller flag', obj: pod(undefined), owner, want: false },
  ];
  for (const c of cases) test(c.description, () => assert.equal(isControlledBy(c.obj, c.owner), c.want));
  test('controllerOf', () => assert.equal(controllerOf(pod(true))?.uid, 'u1'));
});

describe('conditions', () => {
  const ready = (status: Condition['status'], reason = 'R'): Condition => ({ type: 'Ready', status, reason });
  test('a new condition gets now as lastTransitionTime', () => {
    const list = setCondition(undefined, ready('True'), T0);
    assert.deepEqual(list, [{ type: 'Ready', status: 'True', reason: 'R', lastTransitionTime: T0 }]);
  });
  test('same status keeps lastTransitionTime but updates reason', () => {
    const list = setCondition(setCondition([], ready('True'), T0), ready('True', 'Other'), T1);
    assert.equal(list[0]?.lastTransitionTime, T0);
    assert.equal(list[0]?.reason, 'Other');
  });
  test('a status change moves lastTransitionTime', () => {
    const list = setCondition(setCondition([], ready('True'), T0), ready('False'), T1);
    assert.equal(list[0]?.lastTransitionTime, T1);
    assert.equal(list.length, 1);
  });
  test('input is not mutated, other conditions are kept', () => {
    const before: Condition[] = [{ type: 'Available', status: 'True', lastTransitionTime: T0 }];
    const after = setCondition(before, ready('True'), T1);
    assert.equal(before.length, 1);
    assert.deepEqual(after.map((c) => c.type), ['Available', 'Ready']);
    assert.equal(getCondition(after, 'Ready')?.status, 'True');
    assert.equal(getCondition(after, 'Missing'), undefined);
    assert.deepEqual(removeCondition(after, 'Ready').map((c) => c.type), ['Available']);
  });
});

describe('deepCopy and deepEqual', () => {
  test('copies are independent and equal', () => {
    const a = { x: [1, { y: 'z' }], m: { k: 'v' } };
    const b = deepCopy(a);
    assert.ok(deepEqual(a, b));
    (b.m as Record<string, string>).k = 'w';
    assert.equal(a.m.k, 'v');
    assert.ok(!deepEqual(a, b));
  });
  test('key order and undefined members are ignored', () => {
    assert.ok(deepEqual({ a: 1, b: 2, c: undefined }, { b: 2, a: 1 }));
    assert.ok(!deepEqual([1, 2], [2, 1]));
    assert.ok(!deepEqual({ a: [] }, { a: {} }));
  });
});
