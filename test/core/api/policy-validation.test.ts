import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePodDisruptionBudget } from '../../../core/api/index.js';
import type { PodDisruptionBudgetSpec } from '../../../core/api/index.js';

const pdb = (spec: Record<string, unknown>): Parameters<typeof validatePodDisruptionBudget>[0] =>
  ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'default' }, spec: spec as PodDisruptionBudgetSpec });

const cases: { description: string; spec: Record<string, unknown>; want: string[] }[] = [
  { description: 'a count', spec: { minAvailable: 2, selector: { matchLabels: { app: 'zk' } } }, want: [] },
  { description: 'a percentage', spec: { maxUnavailable: '25%' }, want: [] },
  { description: 'both set', spec: { minAvailable: 1, maxUnavailable: 1 }, want: ['spec: minAvailable and maxUnavailable cannot be both set'] },
  { description: 'negative', spec: { minAvailable: -1 }, want: ['spec.minAvailable: must be greater than or equal to 0'] },
  { description: 'over 100%', spec: { maxUnavailable: '101%' }, want: ['spec.maxUnavailable: must not be greater than 100%'] },
  { description: 'not a percentage', spec: { minAvailable: 'half' }, want: ['spec.minAvailable: a valid percent string must be a numeric string followed by an ending \'%\''] },
  { description: 'unknown eviction policy', spec: { minAvailable: 1, unhealthyPodEvictionPolicy: 'Sometimes' }, want: ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"'] },
  { description: 'bad selector operator', spec: { minAvailable: 1, selector: { matchExpressions: [{ key: 'a', operator: 'Maybe' }] } }, want: ['spec.selector.matchExpressions[0].operator'] },
];

for (const c of cases) {
  test(`PodDisruptionBudget validation: ${c.description}`, () => {
    const errs = validatePodDisruptionBudget(pdb(c.spec)).map((e) => `${e.field}: ${e.message}`);
    assert.equal(errs.length, c.want.length, errs.join('\n'));
    c.want.forEach((w, i) => assert.ok(errs[i]?.startsWith(w.split(': ')[0] ?? '') && errs[i]?.includes(w.split(': ').slice(1).join(': ')), `${errs[i] ?? ''} ~ ${w}`));
  });
}
