/** statusToWrite: the agent compares its view with the stored status, not with what it last wrote. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Condition, PodStatus } from '../../../core/api/index.js';
import { statusToWrite } from '../../../core/node/status.js';

const at = '2026-01-01T00:00:00Z';
const c = (type: string, status: 'True' | 'False', extra: Partial<Condition> = {}): Condition => ({ type, status, lastProbeTime: null, lastTransitionTime: at, ...extra });
const mine: PodStatus = {
  phase: 'Running',
  conditions: [c('Initialized', 'True'), c('Ready', 'True'), c('ContainersReady', 'True'), c('PodScheduled', 'True')],
  podIP: '127.1.0.5',
  qosClass: 'BestEffort',
};

describe('statusToWrite', () => {
  const cases: { name: string; stored: PodStatus | undefined; want: 'none' | 'write'; keeps?: string }[] = [
    { name: 'stored equals the view: nothing to write', stored: structuredClone(mine), want: 'none' },
    { name: 'no status stored yet', stored: undefined, want: 'write' },
    { name: 'Ready set False by node-lifecycle while the containers are ready', stored: { ...structuredClone(mine), conditions: [c('Initialized', 'True'), c('Ready', 'False', { reason: 'NodeNotReady' }), c('ContainersReady', 'True'), c('PodScheduled', 'True')] }, want: 'write' },
    { name: 'phase differs', stored: { ...structuredClone(mine), phase: 'Pending' }, want: 'write' },
    { name: 'a condition the agent does not own is kept and is no reason to write', stored: { ...structuredClone(mine), conditions: [...(mine.conditions ?? []), c('DisruptionTarget', 'True')] }, want: 'none' },
    { name: 'a foreign condition survives a write', stored: { ...structuredClone(mine), phase: 'Pending', conditions: [...(mine.conditions ?? []), c('DisruptionTarget', 'True')] }, want: 'write', keeps: 'DisruptionTarget' },
    { name: 'fields the agent does not report are left alone', stored: { ...structuredClone(mine), nominatedNodeName: 'n2' } as PodStatus, want: 'none' },
    { name: 'the stored copy lacks the null fields the server dropped', stored: { ...structuredClone(mine), conditions: (mine.conditions ?? []).map(({ lastProbeTime: _, ...rest }) => rest) } as PodStatus, want: 'none' },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const out = statusToWrite(tc.stored, mine);
      assert.equal(out === undefined ? 'none' : 'write', tc.want);
      if (out && tc.keeps) assert.ok(out.conditions?.some((x) => x.type === tc.keeps));
      if (out) assert.equal(out.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
    });
  }
});
