/**
 * providers/conformance: one behavioural suite every provider must pass. `runConformance` registers
 * node:test tests, one per case, each with a fresh subject from the factory; cases for a capability the
 * provider lacks check that the manifest agrees and run nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudProvider } from '../../core/cloud/index.js';
import { lbCases } from './cases-lb.js';
import type { Case } from './cases-lb.js';
import { instanceCases, nodeGroupCases, volumeCases } from './cases-other.js';
import { CaseContext } from './context.js';
import type { ConformanceFactory, ConformanceOptions } from './subject.js';

export type { ConformanceFactory, ConformanceOptions, ConformanceSubject } from './subject.js';
export { makeNode, makeService, retrying, newUid } from './subject.js';
export type { Case } from './cases-lb.js';

const groups: { capability: 'loadBalancers' | 'instances' | 'volumes' | 'nodeGroups'; cases: Case[] }[] = [
  { capability: 'loadBalancers', cases: lbCases },
  { capability: 'instances', cases: instanceCases },
  { capability: 'volumes', cases: volumeCases },
  { capability: 'nodeGroups', cases: nodeGroupCases },
];

function present(p: CloudProvider, cap: (typeof groups)[number]['capability']): boolean {
  return p[cap] !== undefined;
}

export function runConformance(name: string, factory: ConformanceFactory, opts: ConformanceOptions = {}): void {
  for (const g of groups) {
    for (const c of g.cases) {
      test(`${name} conformance: ${c.name}`, async () => {
        const subject = await factory();
        try {
          const has = present(subject.provider, g.capability);
          assert.equal(has, subject.provider.capabilities[g.capability] !== undefined, `${g.capability}: capability manifest matches the provider`);
          if (has) await c.run(new CaseContext(subject, opts));
        } finally {
          await subject.close();
        }
      });
    }
  }
}
