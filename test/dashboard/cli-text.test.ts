/** The pure text helpers behind `skiff status` / `skiff explain` (core/cli/status.ts, explain.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Event } from '../../core/api/index.js';
import { explainHpaLines, lastDecisionAbout } from '../../core/cli/explain.js';
import { columns, fmtCpu, fmtMem } from '../../core/cli/status.js';
import { makeHpa } from './fixtures.js';

describe('lastDecisionAbout', () => {
  const decisions = [
    { time: 't1', kind: 'scale-down', explanation: 'node node-1 (group g) at 10% utilization, below 50% for 10 m, its 1 pods fit elsewhere: drain and remove' },
    { time: 't2', kind: 'scale-down', explanation: '1 empty node unneeded for 10 m: remove node-10 (group g)' },
    { time: 't3', kind: 'scale-up', explanation: 'pods pending: grow g by 1' },
  ];
  const cases = [
    { description: 'newest decision naming the node', node: 'node-10', want: 't2' },
    { description: 'a name that is a prefix of another does not match it', node: 'node-1', want: 't1' },
    { description: 'never named → none', node: 'node-2', want: undefined },
    { description: 'regex characters in names are literal', node: 'node.1', want: undefined },
  ];
  for (const c of cases) it(c.description, () => assert.equal(lastDecisionAbout(c.node, decisions)?.time, c.want));
});

describe('status text helpers', () => {
  const cases = [
    { description: 'columns pad all but the last cell', got: columns([['a', 'bbb', 'c'], ['aaa', 'b', 'c']]), want: ['  a    bbb  c', '  aaa  b    c'] },
    { description: 'whole cores and millicores', got: [fmtCpu(4000), fmtCpu(250)], want: ['4', '250m'] },
    { description: 'binary memory units', got: [fmtMem(64 * 2 ** 20), fmtMem(1536)], want: ['64Mi', '1.5Ki'] },
  ];
  for (const c of cases) it(c.description, () => assert.deepEqual(c.got, c.want));
});

describe('explainHpaLines', () => {
  const ev = (reason: string, at: string): Event => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: reason }, involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web' }, reason, message: `m-${reason}`, type: 'Normal', lastTimestamp: at });
  const cases = [
    {
      description: 'with a decision: explanation lines and events newest last',
      hpa: makeHpa({ name: 'web', current: 80, annotation: JSON.stringify({ time: '2026-01-01T00:00:00.000Z', replicas: 4, currentReplicas: 2, explanation: 'cpu 80% of target 50% → 4\nscale-up limit: none' }) }),
      events: [ev('SuccessfulRescale', '2026-01-01T00:00:02Z'), ev('ScalingDecision', '2026-01-01T00:00:01Z')],
      want: [/^Scale target: +Deployment\/web$/m, /^ {2}cpu: 80% \/ 50%$/m, /^ {2}2026-01-01T00:00:00.000Z: 2 → 4 replicas\n {2}cpu 80% of target 50% → 4\n {2}scale-up limit: none$/m, /ScalingDecision[^\n]*\n[^\n]*SuccessfulRescale/],
    },
    {
      description: 'without status: unknown metric, no decision, no events',
      hpa: makeHpa({ name: 'web' }),
      events: [],
      want: [/^ {2}cpu: <unknown> \/ 50%$/m, /^Last decision:\n {2}<none yet>$/m, /^Events:\n {2}<none>$/m],
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const text = explainHpaLines(c.hpa, c.events).join('\n');
      for (const re of c.want) assert.match(text, re);
    });
  }
});
