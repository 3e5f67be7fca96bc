/** Pure: the NLB a Service asks for (from its spec and `service.beta.kubernetes.io/aws-load-balancer-*` annotations). */
import { CloudError, LABEL_EXCLUDE_LB, defaultLoadBalancerName } from '../../core/cloud/index.js';
import type { Node, Service } from '../../core/api/index.js';
import { LB_NAME_MAX, nodeInstanceId, parseKeyValues, resourceTags, targetGroupName } from './mapping.js';
import type { TagMap } from './mapping.js';

export const ANN = 'service.beta.kubernetes.io/aws-load-balancer-';
export type Scheme = 'internet-facing' | 'internal';

export interface HealthCheck {
  protocol: string;
  /** A number or `traffic-port`. */
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface DesiredTg {
  name: string;
  protocol: string;
  nodePort: number;
  healthCheck: HealthCheck;
}

export interface DesiredListener {
  port: number;
  protocol: string;
  tgName: string;
}

export interface Rule {
  groupId: string;
  protocol: string;
  port: number;
  cidr: string;
}

export interface DesiredLb {
  name: string;
  scheme: Scheme;
  subnets: string[];
  tags: TagMap;
  tgs: DesiredTg[];
  listeners: DesiredListener[];
  /** Instance IDs, sorted. */
  targets: string[];
  rules: Rule[];
}

/** What the Service's annotations alone decide (before subnets and node security groups are known). */
export interface LbIntent {
  scheme: Scheme;
  subnetAnnotation?: string[];
}

const ann = (svc: Service, k: string): string | undefined => svc.metadata.annotations?.[ANN + k];

export function lbIntent(svc: Service): LbIntent {
  const type = ann(svc, 'type') ?? 'nlb';
  if (type !== 'nlb' && type !== 'external') {
    throw new CloudError('InvalidArgument', `${ANN}type "${type}" is not supported: skiff's AWS provider makes network load balancers (nlb)`, { retryable: false });
  }
  const internalAnn = ann(svc, 'internal');
  const internal = ann(svc, 'scheme') === 'internal' || (internalAnn !== undefined && internalAnn !== 'false');
  const subnets = ann(svc, 'subnets')?.split(',').map((s) => s.trim()).filter(Boolean);
  return { scheme: internal ? 'internal' : 'internet-facing', ...(subnets && subnets.length ? { subnetAnnotation: subnets } : {}) };
}

function intAnn(svc: Service, k: string, dflt: number): number {
  const v = ann(svc, k);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CloudError('InvalidArgument', `${ANN}${k} must be a positive integer, got "${v}"`, { retryable: false });
  return n;
}

export function healthCheckOf(svc: Service): HealthCheck {
  const protocol = (ann(svc, 'healthcheck-protocol') ?? 'TCP').toUpperCase();
  if (!['TCP', 'HTTP', 'HTTPS'].includes(protocol)) throw new CloudError('InvalidArgument', `${ANN}healthcheck-protocol "${protocol}" must be TCP, HTTP or HTTPS`, { retryable: false });
  const port = ann(svc, 'healthcheck-port') ?? 'traffic-port';
  if (port !== 'traffic-port' && !/^\d+$/.test(port)) throw new CloudError('InvalidArgument', `${ANN}healthcheck-port must be a port or traffic-port`, { retryable: false });
  return {
    protocol, port,
    ...(protocol === 'TCP' ? {} : { path: ann(svc, 'healthcheck-path') ?? '/' }),
    intervalSeconds: intAnn(svc, 'healthcheck-interval', 10),
    timeoutSeconds: intAnn(svc, 'healthcheck-timeout', 10),
    healthyThreshold: intAnn(svc, 'healthcheck-healthy-threshold', 3),
    unhealthyThreshold: intAnn(svc, 'healthcheck-unhealthy-threshold', 3),
  };
}

/** What I/O found: the balancer's subnets, the VPC's CIDR, and each target instance's node security group. */
export interface LbContext {
  cluster: string;
  subnets: string[];
  vpcCidr: string;
  nodeGroups: Readonly<Record<string, string>>;
}

/** Instance IDs of the nodes that should be targets (not excluded, with an AWS providerID). */
export function targetInstances(nodes: readonly Node[]): string[] {
  const ids = nodes.filter((n) => n.metadata.labels?.[LABEL_EXCLUDE_LB] === undefined).map(nodeInstanceId).filter((x): x is string => x !== undefined);
  return [...new Set(ids)].sort();
}

function rulesFor(svc: Service, scheme: Scheme, ctx: LbContext, targets: readonly string[], tgs: readonly DesiredTg[]): Rule[] {
  const groups = [...new Set(targets.map((t) => ctx.nodeGroups[t]).filter((g): g is string => g !== undefined))].sort();
  const ranges = svc.spec?.loadBalancerSourceRanges?.length ? [...svc.spec.loadBalancerSourceRanges] : [scheme === 'internal' ? ctx.vpcCidr : '0.0.0.0/0'];
  const out = new Map<string, Rule>();
  const add = (r: Rule): void => void out.set(`${r.groupId}/${r.protocol}/${r.port}/${r.cidr}`, r);
  for (const groupId of groups) {
    for (const tg of tgs) {
      const protocol = tg.protocol === 'UDP' ? 'udp' : 'tcp';
      for (const cidr of ranges) add({ groupId, protocol, port: tg.nodePort, cidr });
      const hcPort = tg.healthCheck.port === 'traffic-port' ? tg.nodePort : Number(tg.healthCheck.port);
      add({ groupId, protocol: 'tcp', port: hcPort, cidr: ctx.vpcCidr });
    }
  }
  return [...out.values()];
}

export function desiredLb(svc: Service, nodes: readonly Node[], ctx: LbContext): DesiredLb {
  const intent = lbIntent(svc);
  const hc = healthCheckOf(svc);
  const tgs: DesiredTg[] = [];
  const listeners: DesiredListener[] = [];
  for (const p of svc.spec?.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') throw new CloudError('InvalidArgument', `port ${p.port}: NLBs support TCP and UDP, not ${protocol}`, { retryable: false });
    if (!p.nodePort) throw new CloudError('InvalidArgument', `port ${p.port} has no nodePort`, { retryable: false });
    const name = targetGroupName(svc, `${protocol}/${p.port}/${p.nodePort}`);
    tgs.push({ name, protocol, nodePort: p.nodePort, healthCheck: hc });
    listeners.push({ port: p.port, protocol, tgName: name });
  }
  const targets = targetInstances(nodes);
  const extra = parseKeyValues(ann(svc, 'additional-resource-tags'));
  return {
    name: defaultLoadBalancerName(svc, LB_NAME_MAX),
    scheme: intent.scheme,
    subnets: [...ctx.subnets].sort(),
    tags: resourceTags(ctx.cluster, svc, extra),
    tgs, listeners: listeners.sort((a, b) => a.port - b.port), targets,
    rules: rulesFor(svc, intent.scheme, ctx, targets, tgs),
  };
}
