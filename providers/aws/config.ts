/** The AWS cloud-config (docs/aws.md). Pure. */
import { CloudError } from '../../core/cloud/index.js';

export interface AwsConfig {
  region?: string;
  clusterName: string;
  vpcId?: string;
  subnetIds?: string[];
  endpoints: { ec2?: string; elbv2?: string; autoscaling?: string };
  maxAttempts: number;
  requestTimeoutMs: number;
  instanceCacheSeconds: number;
}

const str = (v: unknown, key: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new CloudError('InvalidArgument', `aws cloud-config: ${key} must be a non-empty string`);
  return v;
};

const num = (v: unknown, key: string, dflt: number): number => {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new CloudError('InvalidArgument', `aws cloud-config: ${key} must be a non-negative number`);
  return v;
};

export function parseAwsConfig(raw: Readonly<Record<string, unknown>>, clusterName: string): AwsConfig {
  const known = new Set(['region', 'clusterName', 'vpcId', 'subnetIds', 'endpoints', 'maxAttempts', 'requestTimeoutSeconds', 'instanceCacheSeconds']);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new CloudError('InvalidArgument', `aws cloud-config: unknown key "${k}"`);
  const subnets = raw.subnetIds;
  if (subnets !== undefined && (!Array.isArray(subnets) || subnets.some((s) => typeof s !== 'string'))) {
    throw new CloudError('InvalidArgument', 'aws cloud-config: subnetIds must be a list of strings');
  }
  const ep = (raw.endpoints ?? {}) as Record<string, unknown>;
  if (typeof ep !== 'object' || Array.isArray(ep)) throw new CloudError('InvalidArgument', 'aws cloud-config: endpoints must be a mapping');
  const endpoints: AwsConfig['endpoints'] = {};
  for (const k of ['ec2', 'elbv2', 'autoscaling'] as const) {
    const v = str(ep[k], `endpoints.${k}`);
    if (v) endpoints[k] = v;
  }
  const region = str(raw.region, 'region');
  const vpcId = str(raw.vpcId, 'vpcId');
  return {
    clusterName: str(raw.clusterName, 'clusterName') ?? clusterName,
    endpoints,
    maxAttempts: num(raw.maxAttempts, 'maxAttempts', 5),
    requestTimeoutMs: num(raw.requestTimeoutSeconds, 'requestTimeoutSeconds', 30) * 1000,
    instanceCacheSeconds: num(raw.instanceCacheSeconds, 'instanceCacheSeconds', 10),
    ...(region ? { region } : {}),
    ...(vpcId ? { vpcId } : {}),
    ...(Array.isArray(subnets) ? { subnetIds: subnets as string[] } : {}),
  };
}
