/**
 * Acceptance (issue 22, item 6): when the node-lifecycle controller has marked a running pod
 * Ready=False (its node's lease lapsed) and the node is back, the node agent puts the pod's
 * readiness right within a probe period — it compares its view with the stored status, not with
 * what it last wrote. The pod is set NotReady through the status subresource exactly as
 * node-lifecycle's MarkPodsNotReady does it, against a real `skiff up` with real node agents.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Pod } from '../../core/api/index.js';
import { eventually, kubectlFor, startSkiff, type RunningSkiff } from '../support/skiff.js';

describe('pod readiness after its node recovers', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;

  before(async () => {
    skiff = await startSkiff({ timeoutMs: 120_000 });
    kubectl = kubectlFor(skiff);
  });
  after(async () => {
    await skiff?.stop();
    if (skiff) rmSync(skiff.dataDir, { recursive: true, force: true });
  });

  async function pod(name: string): Promise<Pod> {
    const r = await kubectl(['get', 'pod', name, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Pod;
  }
  const ready = (p: Pod): string | undefined => p.status?.conditions?.find((c) => c.type === 'Ready')?.status;

  it('a running pod marked Ready=False through the status subresource is Ready again within a probe period', async () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: steady
spec:
  containers:
  - name: c
    image: skiff/echo
    readinessProbe:
      exec: {command: ["true"]}
      periodSeconds: 2
`;
    const applied = await kubectl(['apply', '-f', '-'], { input: manifest });
    assert.equal(applied.code, 0, applied.stderr);
    await eventually(async () => ready(await pod('steady')) === 'True', { timeoutMs: 60_000, what: 'the pod to be Ready' });

    for (let round = 0; round < 2; round++) {
      // As MarkPodsNotReady: only the Ready condition turns False, with reason NodeNotReady (retried on a conflict, as it is).
      await eventually(async () => {
        const p = await pod('steady');
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const conditions = (p.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', reason: 'NodeNotReady', message: 'Node is not ready', lastTransitionTime: now } : c));
        const marked = await kubectl(['replace', '--subresource=status', '-f', '-'], { input: JSON.stringify({ ...p, status: { ...p.status, conditions } }) });
        if (marked.code !== 0 && !/Conflict/.test(marked.stderr)) throw new Error(marked.stderr);
        return marked.code === 0;
      }, { timeoutMs: 30_000, what: `round ${round}: Ready=False written` });
      // The probe keeps succeeding (no change in the agent's own view), yet the stored status is put right.
      await eventually(async () => ready(await pod('steady')) === 'True', { timeoutMs: 20_000, intervalMs: 200, what: `round ${round}: Ready=True again` });
    }
    const final = await pod('steady');
    assert.equal(final.status?.conditions?.find((c) => c.type === 'ContainersReady')?.status, 'True');
    assert.equal(final.status?.phase, 'Running');
  });
});
