/** The provider conformance kit against the AWS provider over moto (through the fault proxy, which counts mutating calls). */
import { after } from 'node:test';
import { runConformance } from '../../../providers/conformance/index.js';
import type { ConformanceSubject } from '../../../providers/conformance/index.js';
import { AWS_LB_ANNOTATION_PREFIX } from '../../../providers/aws/index.js';
import { CLUSTER, awsWorlds } from './fixture.js';
import type { FaultRule } from './fault-proxy.js';

const worlds = awsWorlds();
after(() => worlds.shutdown());

function subject(faults: FaultRule[] = []): () => Promise<ConformanceSubject> {
  return async () => {
    const w = await worlds.world();
    for (const f of faults) w.proxy.inject(f);
    const idOf = (name: string): string => w.instanceIds[w.nodes.findIndex((n) => n.metadata.name === name)] ?? '';
    return {
      provider: w.provider(),
      clusterName: CLUSTER,
      nodes: w.nodes,
      restart: async () => w.provider(),
      mutatingCalls: () => w.proxy.mutations(),
      failPartway: () => w.proxy.inject({ action: 'CreateListener', fault: 'invalid' }),
      stopInstance: (n) => w.proxy.holdUntil(w.stopInstance(idOf(n))),
      deleteInstance: (n) => w.proxy.holdUntil(w.terminateInstance(idOf(n))),
      variantAnnotation: { key: `${AWS_LB_ANNOTATION_PREFIX}internal`, value: 'true' },
      close: () => w.close(),
    };
  };
}

runConformance('aws', subject());

// Throttling and 500s on the first mutating calls of every case: the SDK's retries, the shared back-off and
// the kit's controller-style retries still converge with nothing leaked or duplicated.
runConformance('aws (throttling and 5xx)', subject([{ fault: 'throttle', times: 3 }, { fault: '500', times: 2 }]));
