import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiError, compileFieldSelector, compileSelector, fieldGetter, fieldSelectorToString, labelSelectorFromObject, matchesFields, matchesLabels,
  parseFieldSelector, parseLabelSelector, selectorToString,
} from '../../../core/api/index.js';
import type { LabelSelector } from '../../../core/api/index.js';

describe('parseLabelSelector + matchesLabels', () => {
  const cases: { description: string; selector: string; labels: Record<string, string> | undefined; match: boolean }[] = [
    { description: 'empty selects everything', selector: '', labels: { a: 'b' }, match: true },
    { description: 'empty selects unlabelled objects', selector: '', labels: undefined, match: true },
    { description: 'equality', selector: 'a=b', labels: { a: 'b' }, match: true },
    { description: 'equality mismatch', selector: 'a=b', labels: { a: 'c' }, match: false },
    { description: 'double equals', selector: 'a==b', labels: { a: 'b' }, match: true },
    { description: 'not equals matches a missing key', selector: 'a!=b', labels: {}, match: true },
    { description: 'not equals rejects the value', selector: 'a!=b', labels: { a: 'b' }, match: false },
    { description: 'in', selector: 'env in (prod, staging)', labels: { env: 'staging' }, match: true },
    { description: 'in requires the key', selector: 'env in (prod)', labels: {}, match: false },
    { description: 'notin matches a missing key', selector: 'env notin (prod)', labels: {}, match: true },
    { description: 'notin rejects a listed value', selector: 'env notin (prod)', labels: { env: 'prod' }, match: false },
    { description: 'exists', selector: 'tier', labels: { tier: '' }, match: true },
    { description: 'exists needs the key', selector: 'tier', labels: { other: 'x' }, match: false },
    { description: 'does not exist', selector: '!tier', labels: { other: 'x' }, match: true },
    { description: 'does not exist rejects present key', selector: '!tier', labels: { tier: 'x' }, match: false },
    { description: 'whitespace tolerant', selector: '  a = b ,  c  in  ( x , y ) ', labels: { a: 'b', c: 'y' }, match: true },
    { description: 'all operators together', selector: 'a=b,c==d,e!=f,g in (x,y),h notin (z),i,!j', labels: { a: 'b', c: 'd', g: 'x', i: '1' }, match: true },
    { description: 'all operators, j present', selector: 'a=b,c==d,e!=f,g in (x,y),h notin (z),i,!j', labels: { a: 'b', c: 'd', g: 'x', i: '1', j: '' }, match: false },
    { description: 'prefixed keys', selector: 'app.kubernetes.io/name=web', labels: { 'app.kubernetes.io/name': 'web' }, match: true },
    { description: 'empty value equality', selector: 'a=', labels: { a: '' }, match: true },
    { description: 'greater than', selector: 'gen>3', labels: { gen: '4' }, match: true },
    { description: 'less than', selector: 'gen<3', labels: { gen: '4' }, match: false },
  ];
  for (const c of cases) {
    test(c.description, () => {
      const sel = parseLabelSelector(c.selector);
      assert.equal(matchesLabels(sel, c.labels), c.match);
      assert.equal(compileSelector(sel)(c.labels), c.match);
      assert.equal(matchesLabels(c.selector, c.labels), c.match);
    });
  }
});

describe('parseLabelSelector errors', () => {
  const bad: [string, string][] = [
    ['a in', 'in without values'],
    ['a in (', 'unclosed set'],
    ['a in ()', 'empty set'],
    ['a=b,', 'trailing comma'],
    [',a', 'leading comma'],
    ['a b', 'missing operator'],
    ['a=b=c', 'two operators'],
    ['!', 'bang without key'],
    ['a notin x', 'set without parentheses'],
    ['-bad=x', 'invalid key'],
    ['a=-bad-', 'invalid value'],
    ['a>x', 'non-integer for Gt'],
    ['(a)', 'parenthesis first'],
  ];
  for (const [input, why] of bad) {
    test(`${JSON.stringify(input)}: ${why}`, () => {
      assert.throws(() => parseLabelSelector(input), (e: unknown) => e instanceof ApiError && e.code === 400);
    });
  }
});

describe('labelSelectorFromObject and selectorToString', () => {
  const cases: { description: string; sel: LabelSelector; string: string; labels: Record<string, string>; match: boolean }[] = [
    { description: 'empty object selects all', sel: {}, string: '', labels: { a: 'b' }, match: true },
    { description: 'matchLabels sorted by key', sel: { matchLabels: { z: '1', a: '2' } }, string: 'a=2,z=1', labels: { a: '2', z: '1' }, match: true },
    {
      description: 'expressions with sorted values',
      sel: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'canary', operator: 'DoesNotExist' }] },
      string: 'app=web,!canary,env in (dev,prod)',
      labels: { app: 'web', env: 'dev' },
      match: true,
    },
    { description: 'NotIn and Exists', sel: { matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'env', operator: 'NotIn', values: ['prod'] }] }, string: 'env notin (prod),tier', labels: { tier: 'x', env: 'prod' }, match: false },
  ];
  for (const c of cases) {
    test(c.description, () => {
      assert.equal(selectorToString(c.sel), c.string);
      assert.equal(matchesLabels(c.sel, c.labels), c.match);
      assert.equal(matchesLabels(parseLabelSelector(selectorToString(c.sel)), c.labels), c.match, 'string form round-trips');
    });
  }
  test('a null selector selects nothing', () => {
    assert.equal(matchesLabels(labelSelectorFromObject(undefined), {}), false);
    assert.equal(matchesLabels(null, { a: 'b' }), false);
  });
  test('an invalid operator is rejected', () => {
    const sel = { matchExpressions: [{ key: 'a', operator: 'Equals' }] } as unknown as LabelSelector;
    assert.throws(() => labelSelectorFromObject(sel), ApiError);
  });
  test('In with no values is rejected', () => {
    assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), ApiError);
  });
});

describe('field selectors', () => {
  const pod = {
    metadata: { name: 'web-1', namespace: 'prod' },
    spec: { nodeName: 'node-a', replicas: 3, hostNetwork: false },
    status: { phase: 'Running' },
  };
  const event = { metadata: { name: 'e', namespace: 'prod' }, involvedObject: { kind: 'Pod', name: 'web-1', uid: 'u1', namespace: 'prod' }, type: 'Warning', reason: 'BackOff' };
  const cases: { description: string; selector: string; obj: unknown; match: boolean }[] = [
    { description: 'empty selects all', selector: '', obj: pod, match: true },
    { description: 'metadata.name', selector: 'metadata.name=web-1', obj: pod, match: true },
    { description: 'metadata.namespace ==', selector: 'metadata.namespace==prod', obj: pod, match: true },
    { description: 'status.phase !=', selector: 'status.phase!=Running', obj: pod, match: false },
    { description: 'spec.nodeName', selector: 'spec.nodeName=node-a', obj: pod, match: true },
    { description: 'missing field equals empty (unscheduled pods)', selector: 'spec.nodeName=', obj: { metadata: { name: 'x' }, spec: {} }, match: true },
    { description: 'numbers compare as strings', selector: 'spec.replicas=3', obj: pod, match: true },
    { description: 'booleans compare as strings', selector: 'spec.hostNetwork=false', obj: pod, match: true },
    { description: 'conjunction', selector: 'metadata.name=web-1,status.phase=Pending', obj: pod, match: false },
    { description: 'involvedObject.name and kind', selector: 'involvedObject.name=web-1,involvedObject.kind=Pod', obj: event, match: true },
    { description: 'involvedObject.uid', selector: 'involvedObject.uid=u2', obj: event, match: false },
    { description: 'involvedObject.namespace', selector: 'involvedObject.namespace=prod', obj: event, match: true },
    { description: 'top-level type and reason', selector: 'type=Warning,reason=BackOff', obj: event, match: true },
    { description: 'escaped comma in value', selector: 'metadata.name=a\\,b', obj: { metadata: { name: 'a,b' } }, match: true },
  ];
  for (const c of cases) {
    test(c.description, () => {
      assert.equal(matchesFields(c.selector, c.obj), c.match);
      assert.equal(compileFieldSelector(parseFieldSelector(c.selector))(c.obj), c.match);
    });
  }
  test('terms without an operator are rejected', () => {
    for (const bad of ['metadata.name', 'a=b,c', '=x', 'a=b,,c=d']) assert.throws(() => parseFieldSelector(bad), ApiError, bad);
  });
  test('fieldGetter reads dotted paths and prints scalars', () => {
    assert.equal(fieldGetter(pod, 'metadata.name'), 'web-1');
    assert.equal(fieldGetter(pod, 'spec.replicas'), '3');
    assert.equal(fieldGetter(pod, 'spec.missing.deeper'), '');
    assert.equal(fieldGetter(event, 'involvedObject.kind'), 'Pod');
  });
  test('fieldSelectorToString normalises == and escapes', () => {
    assert.equal(fieldSelectorToString(parseFieldSelector('a==b,c!=d\\,e')), 'a=b,c!=d\\,e');
  });
});

describe('field selector escapes', () => {
  const cases: { description: string; input: string; value?: string }[] = [
    { description: 'escaped equals', input: 'metadata.name=a\\=b', value: 'a=b' },
    { description: 'escaped backslash', input: 'metadata.name=a\\\\b', value: 'a\\b' },
    { description: 'bare equals in the value', input: 'metadata.name=a=b' },
    { description: 'unknown escape', input: 'metadata.name=a\\nb' },
  ];
  for (const c of cases) {
    test(c.description, () => {
      if (c.value === undefined) assert.throws(() => parseFieldSelector(c.input), ApiError);
      else assert.equal(parseFieldSelector(c.input).requirements[0]?.value, c.value);
    });
  }
});
