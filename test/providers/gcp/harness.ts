/** A GCP provider wired to the loopback Compute fake, with a static-token auth client (no token endpoint, no metadata server). */
import { OAuth2Client } from 'google-auth-library';
import nock from 'nock';
import { createGcpProvider } from '../../../providers/gcp/index.js';
import type { CloudProvider } from '../../../core/cloud/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { seedInstance, seedMig, startGceFake } from '../../support/gce-fake/index.js';
import type { GceFake } from '../../support/gce-fake/index.js';

export const PROJECT = 'skiff-test';
export const REGION = 'us-central1';
export const ZONE = 'us-central1-a';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

export interface Harness {
  fake: GceFake;
  make(): Promise<CloudProvider>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const fake = await startGceFake();
  for (const n of ['node-a', 'node-b', 'node-c']) seedInstance(fake, { project: PROJECT, zone: ZONE, name: n, tags: ['skiff-node'], labels: { 'skiff-cluster': 'conformance' } });
  seedMig(fake, { project: PROJECT, zone: ZONE, name: 'workers', machineType: 'e2-standard-4' });
  const made: CloudProvider[] = [];
  const cloudConfig = {
    project: PROJECT, region: REGION, zones: [ZONE], network: 'default', apiEndpoint: fake.host, port: fake.port, protocol: 'http',
    qps: 100000, backoffMs: 1, pollIntervalMs: 1, nodeGroups: [{ name: 'workers', zone: ZONE, min: 0, max: 3 }],
  };
  const make = async (): Promise<CloudProvider> => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
    const p = await createGcpProvider({ cloudConfig, clusterName: 'conformance', dataDir: '/nonexistent', log: silentLogger, clock: systemClock }, { authClient });
    made.push(p);
    return p;
  };
  return {
    fake, make,
    close: async () => {
      await Promise.all(made.map((p) => p.close?.()));
      await fake.close();
    },
  };
}
