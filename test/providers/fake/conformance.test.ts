import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../../../providers/conformance/index.js';
import type { ConformanceSubject } from '../../../providers/conformance/index.js';
import { FakeCloud, SCHEME_ANNOTATION, createFakeProvider } from '../../../providers/fake/index.js';
import type { FaultRule } from '../../../providers/fake/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';

function fakeSubject(faults: FaultRule[] = []): () => Promise<ConformanceSubject> {
  return async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'skiff-fake-conf-'));
    const cloud = new FakeCloud();
    const cloudConfig = { faults, nodeGroups: [{ name: 'workers', min: 1, max: 3, template: { cpu: '2', memory: '4Gi' } }] };
    const make = () => createFakeProvider({ cloudConfig, clusterName: 'conformance', dataDir, log: silentLogger, clock: systemClock }, { cloud });
    const provider = make();
    const restarted: { close(): Promise<void> }[] = [];
    return {
      provider,
      clusterName: 'conformance',
      restart: async () => {
        const p = createFakeProvider({ cloudConfig: {}, clusterName: 'conformance', dataDir, log: silentLogger, clock: systemClock }, { cloud });
        restarted.push(p);
        return p;
      },
      mutatingCalls: () => cloud.calls().filter((c) => c.mutating && c.outcome === 'ok').length,
      failPartway: () => cloud.inject({ op: 'createListener', error: 'Quota', times: 1 }),
      stopInstance: (n) => cloud.stopInstance(n),
      deleteInstance: (n) => cloud.terminateInstance(n),
      variantAnnotation: { key: SCHEME_ANNOTATION, value: 'internal' },
      close: async () => {
        await Promise.all([provider, ...restarted].map((p) => p.close()));
        await cloud.reset();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  };
}

runConformance('fake', fakeSubject());

// Every other mutating call throttled, every third 503: the kit retries as a controller would,
// and every case still converges with nothing leaked or duplicated.
runConformance('fake (throttling and 5xx)', fakeSubject([
  { mutating: true, error: 'Throttled', everyNth: 2 },
  { mutating: true, error: '5xx', everyNth: 3 },
]));
