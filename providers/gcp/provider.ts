/** `createGcpProvider`: wires the Compute seam, the retrying wrapper and the capabilities. */
import type { CloudProvider, ProviderOptions } from '../../core/cloud/index.js';
import { Gce } from './cloud.js';
import { parseGcpConfig } from './config.js';
import { GcpInstances } from './instances.js';
import { GcpLoadBalancers, MAX_NAME } from './loadbalancers.js';
import { GcpNodeGroups } from './nodegroups.js';
import { connectCompute, staticTokenAuth } from './sdk.js';
import type { ComputeConnection } from './sdk.js';
import { DISK_TYPES, GcpVolumes, PROVISIONER } from './volumes.js';

export interface GcpProviderDeps {
  /** An auth client instead of Application Default Credentials (tests: a static-token OAuth2Client). */
  authClient?: ComputeConnection['authClient'];
}

export async function createGcpProvider(opts: ProviderOptions, deps: GcpProviderDeps = {}): Promise<CloudProvider> {
  const cfg = parseGcpConfig(opts.cloudConfig, opts.clusterName);
  const api = await connectCompute({
    project: cfg.project,
    ...(cfg.apiEndpoint ? { apiEndpoint: cfg.apiEndpoint } : {}), ...(cfg.port ? { port: cfg.port } : {}),
    ...(cfg.protocol ? { protocol: cfg.protocol } : {}), ...(cfg.keyFile ? { keyFilename: cfg.keyFile } : {}),
    ...(deps.authClient ? { authClient: deps.authClient } : cfg.authToken ? { authClient: staticTokenAuth(cfg.authToken) } : {}),
  });
  const gce = new Gce({ api, clock: opts.clock, log: opts.log.child({ provider: 'gcp' }), qps: cfg.qps, backoffMs: cfg.backoffMs, attempts: cfg.attempts, pollIntervalMs: cfg.pollIntervalMs, maxPolls: cfg.maxPolls });
  return {
    name: 'gce',
    capabilities: {
      instances: { shutdownDetection: true },
      loadBalancers: { protocols: ['TCP', 'UDP'], internal: true, sourceRanges: true, staticIP: true, maxNameLength: MAX_NAME, classes: [] },
      volumes: { provisioner: PROVISIONER, defaultType: 'pd-balanced', maxAttachmentsPerNode: 127, types: DISK_TYPES.map((type) => ({ type, minBytes: 1024 ** 3, maxBytes: 64 * 1024 ** 4, multiAttach: false })) },
      nodeGroups: { discovery: false, deleteSpecificNodes: true },
    },
    instances: new GcpInstances(gce, cfg),
    loadBalancers: new GcpLoadBalancers(gce, cfg),
    volumes: new GcpVolumes(gce, cfg),
    nodeGroups: new GcpNodeGroups(gce, cfg),
    close: () => api.close(),
  };
}
