/**
 * Cases from apimachinery's strategicpatch tests (patch_test.go), against the same "mergeItem"
 * schema: the patch the server receives (`threeWay`, or `twoWay` for custom cases) applied to
 * the live object must give the documented result, order included.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { JSONSchemaProps } from '../../../../core/api/index.js';
import { applyStrategicMergePatch, PatchError } from '../../../../core/apiserver/patch/index.js';

function mergeItemSchema(): JSONSchemaProps {
  const item: JSONSchemaProps = { type: 'object', properties: {} };
  const merging = (): JSONSchemaProps => ({ type: 'array', items: item, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' });
  item.properties = {
    name: { type: 'string' },
    value: { type: 'string' },
    other: { type: 'string' },
    mergingList: merging(),
    nonMergingList: { type: 'array', items: item },
    mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
    nonMergingIntList: { type: 'array', items: { type: 'integer' } },
    mergeItemPtr: merging(),
    simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
    retainKeysMap: { type: 'object', 'x-kubernetes-patch-strategy': 'retainKeys', properties: { name: { type: 'string' }, value: { type: 'string' } } },
    retainKeysMergingList: { ...merging(), 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
  };
  return item;
}

const schema = mergeItemSchema();

/** [description, current (live), patch, result] */
const cases: [string, string, string, string][] = [
  ['merge lists of maps',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]',
    '{$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}',
    'mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]'],
  ['merge lists of maps with conflict',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 3, other: b}]',
    '{$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 2, value: 2}, {name: 3, value: 3}]}',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]'],
  ['add field to map in merging list with conflict',
    'mergingList: [{name: 1, other: a}, {name: 3, value: 2, other: b}]',
    '{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}',
    'mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2}, {name: 3, value: 2, other: b}]'],
  ['delete map from merging list with conflict',
    'mergingList: [{name: 1, other: a}, {name: 2, other: b}]',
    '{$setElementOrder/mergingList: [{name: 2}], mergingList: [{name: 1, $patch: delete}]}',
    'mergingList: [{name: 2, other: b}]'],
  ['delete missing map from merging list with conflict',
    'mergingList: [{name: 3, other: a}]',
    '{$setElementOrder/mergingList: [{name: 2}], mergingList: [{name: 2}, {name: 1, $patch: delete}]}',
    'mergingList: [{name: 2}, {name: 3, other: a}]'],
  ['add map and delete map from merging list',
    'mergingList: [{name: 1}, {name: 2, other: b}, {name: 4, other: c}]',
    '{$setElementOrder/mergingList: [{name: 2}, {name: 3}], mergingList: [{name: 3}, {name: 1, $patch: delete}]}',
    'mergingList: [{name: 2, other: b}, {name: 4, other: c}, {name: 3}]'],
  ['add map and delete map from merging list with conflict',
    'mergingList: [{name: 1, other: a}, {name: 4, other: c}]',
    '{$setElementOrder/mergingList: [{name: 2}, {name: 3}], mergingList: [{name: 2}, {name: 3}, {name: 1, $patch: delete}]}',
    'mergingList: [{name: 4, other: c}, {name: 2}, {name: 3}]'],
  ['delete field from map in merging list with conflict',
    'mergingList: [{name: 1, value: a, other: a}, {name: 2, value: 2}]',
    '{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: null}]}',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2}]'],
  ['replace non merging list nested in merging list',
    'mergingList: [{name: 1, other: a, nonMergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2, other: b}]',
    '{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}]}',
    'mergingList: [{name: 1, other: a, nonMergingList: [{name: 1, value: 1}]}, {name: 2, other: b}]'],
  ['add field to map in merging list nested in merging list, with a nested order',
    'mergingList: [{name: 1, other: a, mergingList: [{name: 2, value: 2, other: d}]}, {name: 2, other: b}]',
    '{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{$setElementOrder/mergingList: [{name: 2}, {name: 1}], name: 1, mergingList: [{name: 1, value: 1}]}]}',
    'mergingList: [{name: 1, other: a, mergingList: [{name: 2, value: 2, other: d}, {name: 1, value: 1}]}, {name: 2, other: b}]'],
  ['add map to merging list by pointer',
    'mergeItemPtr: [{name: 1, other: a}, {name: 3}]',
    '{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{name: 2}]}',
    'mergeItemPtr: [{name: 1, other: a}, {name: 2}, {name: 3}]'],
  ['add map to merging list by pointer with conflict',
    'mergeItemPtr: [{name: 3}]',
    '{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{name: 1}, {name: 2}]}',
    'mergeItemPtr: [{name: 1}, {name: 2}, {name: 3}]'],
  ['merge lists of scalars',
    'mergingIntList: [1, 2, 4]',
    '{$setElementOrder/mergingIntList: [1, 2, 3], mergingIntList: [3]}',
    'mergingIntList: [1, 2, 3, 4]'],
  ['add an item in a list of primitives and preserve order',
    'mergingIntList: [1, 4, 2]',
    '{$setElementOrder/mergingIntList: [3, 1, 2], mergingIntList: [3]}',
    'mergingIntList: [3, 1, 4, 2]'],
  ['delete an item in a list of primitives and preserve order',
    'mergingIntList: [1, 2, 3]',
    '{$setElementOrder/mergingIntList: [2, 1], $deleteFromPrimitiveList/mergingIntList: [3]}',
    'mergingIntList: [2, 1]'],
  ['delete items in lists of scalars',
    'mergingIntList: [1, 2, 3, 4]',
    '{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}',
    'mergingIntList: [1, 2, 4]'],
  ['delete all duplicate items in lists of scalars',
    'mergingIntList: [1, 2, 3, 3, 4]',
    '{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}',
    'mergingIntList: [1, 2, 4]'],
  ['add multiple items in a list and preserve order',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]',
    '{$setElementOrder/mergingList: [{name: 1}, {name: 4}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}',
    'mergingList: [{name: 1, other: a}, {name: 4, value: 4}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]'],
  ['add an item in a list and preserve order',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]',
    '{$setElementOrder/mergingList: [{name: 3}, {name: 1}, {name: 2}], mergingList: [{name: 3, value: 3}]}',
    'mergingList: [{name: 3, value: 3}, {name: 1, other: a}, {name: 2, value: 2, other: b}]'],
  // custom cases (patches no client would compute, or from old clients)
  ['unique scalars when merging lists', 'mergingIntList: [1, 2]', '{mergingIntList: [2, 3]}', 'mergingIntList: [1, 2, 3]'],
  ['merging scalars also removes duplicates already in the list', 'mergingIntList: [1, 1, 2]', '{mergingIntList: [3]}', 'mergingIntList: [3, 1, 2]'],
  ['delete map from nested map', 'simpleMap: {key1: "1", key2: "1"}', '{simpleMap: {$patch: delete}}', 'simpleMap: {}'],
  ['delete all items from merging list', 'mergingList: [{name: 1}, {name: 2}]', '{mergingList: [{$patch: replace}]}', 'mergingList: []'],
  ['merge empty merging lists', 'mergingList: []', '{mergingList: []}', 'mergingList: []'],
  ['delete all keys from map', '{name: 1, value: 1}', '{$patch: replace}', '{}'],
  ['add key and delete all keys from map', '{name: 1, value: 1}', '{other: a, $patch: replace}', '{other: a}'],
  ['delete all duplicate entries in a merging list',
    'mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]',
    '{mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]}',
    'mergingList: [{name: 2, value: a}]'],
  ['retainKeys map can add a field when no retainKeys directive present', 'retainKeysMap: {name: foo}', '{retainKeysMap: {value: bar}}', 'retainKeysMap: {name: foo, value: bar}'],
  ['retainKeys map can delete a field when no retainKeys directive present', 'retainKeysMap: {name: foo, value: a}', '{retainKeysMap: {value: null}}', 'retainKeysMap: {name: foo}'],
  ['retainKeys map merge an empty map', 'retainKeysMap: {name: foo, value: a}', '{retainKeysMap: {}}', 'retainKeysMap: {name: foo, value: a}'],
  ['retainKeys list can change a field when no retainKeys directive present',
    'retainKeysMergingList: [{name: bar}, {name: foo, value: a}]',
    '{retainKeysMergingList: [{name: foo, value: b}]}',
    'retainKeysMergingList: [{name: bar}, {name: foo, value: b}]'],
  ['preserve the order from the patch in a merging list',
    'mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]',
    '{mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, other: x}]}',
    'mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, value: b, other: x}]'],
  ['preserve the order from the patch in a merging list 2',
    'mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]',
    '{mergingList: [{name: 3, value: c}, {name: 1, value: a}]}',
    'mergingList: [{name: 2, value: b}, {name: 3, value: c}, {name: 1, value: a}]'],
  ['preserve the order from the patch in a merging int list', 'mergingIntList: [1, 2, 3]', '{mergingIntList: [3, 1, 2]}', 'mergingIntList: [3, 1, 2]'],
  ['preserve the order from the patch in a merging int list 2', 'mergingIntList: [1, 2, 3]', '{mergingIntList: [3, 1]}', 'mergingIntList: [2, 3, 1]'],
  ['$setElementOrder contains item that is not present in the list to be merged',
    'mergingList: [{name: 1}, {name: 3}]',
    '{$setElementOrder/mergingList: [{name: 3}, {name: 2}, {name: 1}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}',
    'mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]'],
  ['$setElementOrder contains item that is not present in the int list to be merged', 'mergingIntList: [1, 3]', '{$setElementOrder/mergingIntList: [3, 2, 1]}', 'mergingIntList: [3, 1]'],
  ['$deleteFromPrimitiveList of nonexistent item does not add it', 'mergingIntList: [1, 2]', '{$deleteFromPrimitiveList/mergingIntList: [3]}', 'mergingIntList: [1, 2]'],
  ['$deleteFromPrimitiveList on a null list leaves it', 'mergingIntList: null', '{$deleteFromPrimitiveList/mergingIntList: [3]}', 'mergingIntList: null'],
  ['$deleteFromPrimitiveList on a missing list does not add it', 'foo: [bar]', '{$deleteFromPrimitiveList/mergingIntList: [3]}', 'foo: [bar]'],
  ['$deleteFromPrimitiveList deletes from a list without merge strategy', 'nonMergingIntList: [1, 2, 3]', '{$deleteFromPrimitiveList/nonMergingIntList: [2]}', 'nonMergingIntList: [1, 3]'],
];

describe('applyStrategicMergePatch: apimachinery test cases', () => {
  for (const [desc, current, patch, result] of cases) {
    it(desc, () => assert.deepEqual(applyStrategicMergePatch(parse(current), parse(patch), schema), parse(result)));
  }

  const errors: [string, string, string, RegExp][] = [
    ['order in $setElementOrder and the patch list must match',
      'mergingList: [{name: 1}, {name: 3}, {name: 2}]',
      '{$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}',
      /doesn't match/],
    ['order in $setElementOrder and the int patch list must match', 'mergingIntList: [1, 3, 2]', '{$setElementOrder/mergingIntList: [1, 2, 3], mergingIntList: [3, 1]}', /doesn't match/],
    ['missing merge key', 'mergingList: [{name: 1, value: a}]', '{mergingList: [{value: b}]}', /does not contain declared merge key/],
  ];
  for (const [desc, current, patch, message] of errors) {
    it(`error: ${desc}`, () => {
      assert.throws(() => applyStrategicMergePatch(parse(current), parse(patch), schema), (e: unknown) => e instanceof PatchError && message.test(e.message));
    });
  }
});
