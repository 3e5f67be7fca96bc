import { runConformance } from '../../../providers/conformance/index.js';
import type { ConformanceSubject, ConformanceFactory } from '../../../providers/conformance/index.js';
import { INTERNAL_ANNOTATION } from '../../../providers/gcp/index.js';
import type { FaultRule } from '../../support/gce-fake/index.js';
import { PROJECT, ZONE, startHarness } from './harness.js';

function subject(faults: FaultRule[] = []): ConformanceFactory {
  return async (): Promise<ConformanceSubject> => {
    const h = await startHarness();
    for (const f of faults) h.fake.inject(f);
    const provider = await h.make();
    const inst = (n: string): string => `projects/${PROJECT}/zones/${ZONE}/instances/${n}`;
    return {
      provider,
      clusterName: 'conformance',
      restart: () => h.make(),
      mutatingCalls: () => h.fake.mutations().filter((r) => r.status === 200).length,
      failPartway: () => h.fake.inject({ method: 'POST', path: '/targetPools', operationError: 'QUOTA_EXCEEDED' }),
      stopInstance: (n) => { h.fake.store.get(inst(n)).status = 'TERMINATED'; },
      deleteInstance: (n) => { h.fake.store.resources.delete(inst(n)); },
      variantAnnotation: { key: INTERNAL_ANNOTATION, value: 'Internal' },
      close: () => h.close(),
    };
  };
}

runConformance('gcp', subject());
runConformance('gcp with faults', subject([
  { method: 'POST', status: 429, reason: 'rateLimitExceeded', times: 3 },
  { method: 'GET', status: 503, times: 3 },
  { method: 'POST', path: '/wait', status: 503, times: 2 },
  { method: 'POST', path: '/forwardingRules', operationError: 'INTERNAL_ERROR' },
  { method: 'POST', path: '/addresses', drop: true },
]));
