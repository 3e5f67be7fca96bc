/** The AWS provider: wiring only. Credentials and region come from the SDK's standard chain; nothing secret is read or logged here. */
import type { Registry } from 'prom-client';
import type { Capabilities, CloudProvider, ProviderOptions } from '../../core/cloud/index.js';
import { parseAwsConfig } from './config.js';
import { AwsInstances } from './instances.js';
import { AwsLoadBalancers } from './loadbalancers.js';
import { LB_NAME_MAX } from './mapping.js';
import { AwsNodeGroups } from './nodegroups.js';
import { AwsSdk } from './sdk.js';
import { AwsThrottles, registerThrottleMetrics } from './throttle.js';
import type { Throttle } from './throttle.js';
import { AwsVolumes } from './volumes.js';
import { EBS_PROVISIONER } from './volume-mapping.js';

const GiB = 1024 ** 3;
const TiB = 1024 * GiB;

export const awsCapabilities: Capabilities = {
  instances: { shutdownDetection: true },
  loadBalancers: { protocols: ['TCP', 'UDP'], internal: true, sourceRanges: true, staticIP: false, maxNameLength: LB_NAME_MAX, classes: [] },
  volumes: {
    provisioner: EBS_PROVISIONER, defaultType: 'gp3', maxAttachmentsPerNode: 25,
    types: [
      { type: 'gp3', minBytes: GiB, maxBytes: 16 * TiB, multiAttach: false },
      { type: 'gp2', minBytes: GiB, maxBytes: 16 * TiB, multiAttach: false },
      { type: 'io1', minBytes: 4 * GiB, maxBytes: 16 * TiB, multiAttach: false },
      { type: 'io2', minBytes: 4 * GiB, maxBytes: 64 * TiB, multiAttach: false },
      { type: 'st1', minBytes: 125 * GiB, maxBytes: 16 * TiB, multiAttach: false },
      { type: 'sc1', minBytes: 125 * GiB, maxBytes: 16 * TiB, multiAttach: false },
    ],
  },
  nodeGroups: { discovery: true, deleteSpecificNodes: true },
};

export interface AwsProviderOptions extends ProviderOptions {
  /** Where the throttle metrics go (`skiff_aws_throttle_delay_seconds`, `skiff_aws_throttled_requests_total`). */
  metrics?: Registry;
  /**
   * The back-offs, one per account and region, shared by every provider given the same set (AWS throttles
   * per account and region); default a set of this provider's own, on `clock`.
   */
  throttles?: AwsThrottles;
  /** One back-off for every call whatever the account (tests). */
  throttle?: Throttle;
}

export interface AwsProvider extends CloudProvider {
  close(): Promise<void>;
}

/** The `aws` ProviderFactory. Cloud-config keys: docs/aws.md. */
export function createAwsProvider(opts: AwsProviderOptions): AwsProvider {
  const config = parseAwsConfig(opts.cloudConfig, opts.clusterName);
  const throttles = opts.throttles ?? new AwsThrottles({ clock: opts.clock });
  const unregister: (() => void)[] = [];
  const throttle = (account: string, region: string): Throttle => {
    const t = opts.throttle ?? throttles.for(account, region);
    if (opts.metrics && unregister.length === 0) unregister.push(registerThrottleMetrics(t, opts.metrics));
    return t;
  };
  const sdk = new AwsSdk({
    ...(config.region ? { region: config.region } : {}),
    endpoints: config.endpoints, maxAttempts: config.maxAttempts, requestTimeoutMs: config.requestTimeoutMs, throttle,
  });
  const region = (): Promise<string> => sdk.region();
  const instances = new AwsInstances({ sdk, clock: opts.clock, region, cacheMs: config.instanceCacheSeconds * 1000 });
  opts.log.child({ provider: 'aws' }).info('aws provider configured', { region: config.region ?? '(sdk default)', cluster: config.clusterName, endpoints: Object.keys(config.endpoints) });
  return {
    name: 'aws',
    capabilities: awsCapabilities,
    instances,
    loadBalancers: new AwsLoadBalancers({ sdk, config, instances, clock: opts.clock }),
    volumes: new AwsVolumes({ sdk, clock: opts.clock, cluster: config.clusterName, region }),
    nodeGroups: new AwsNodeGroups({ sdk, cluster: config.clusterName, instances }),
    close: async () => {
      for (const u of unregister.splice(0)) u();
      sdk.close();
    },
  };
}
