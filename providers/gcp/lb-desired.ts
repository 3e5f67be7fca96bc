/** The cloud resources a LoadBalancer Service needs, in creation order (forwarding rule last). Pure. */
import type { Service } from '../../core/api/index.js';
import { CloudError } from '../../core/cloud/index.js';
import { linkOf, ownerDescription } from './mapping.js';
import type { Ref, Resource } from './sdk.js';

export const INTERNAL_ANNOTATION = 'networking.gke.io/load-balancer-type';
export const DEPRECATED_INTERNAL_ANNOTATION = 'cloud.google.com/load-balancer-type';
/** Legacy HTTP health checks come from these ranges; internal (newer) health checks from the last two. */
const LEGACY_HC_RANGES = ['35.191.0.0/16', '209.85.152.0/22', '209.85.204.0/22'];
const HC_RANGES = ['130.211.0.0/22', '35.191.0.0/16'];

export type LbKind = 'external' | 'internal';

export interface DesiredResource {
  ref: Ref;
  body: Resource;
  /** Fields compared with the cloud; a difference patches (`patchable`) or replaces the resource. */
  compare: readonly string[];
  patchable: boolean;
  /** Member instance links kept by add/remove calls (target pools, instance groups). */
  members?: readonly string[];
}

export interface LbContext {
  project: string;
  region: string;
  zones: readonly string[];
  network: string;
  subnetwork?: string;
  cluster: string;
  /** Firewall target tags. */
  tags: readonly string[];
  /** Node instances: link and zone. */
  instances: readonly { link: string; zone: string }[];
}

export function kindOf(svc: Service): LbKind {
  const a = svc.metadata.annotations ?? {};
  const v = a[INTERNAL_ANNOTATION] ?? a[DEPRECATED_INTERNAL_ANNOTATION];
  return v?.toLowerCase() === 'internal' ? 'internal' : 'external';
}

const region = (c: LbContext): Ref['scope'] => ({ region: c.region });
const global: Ref['scope'] = { global: true };

/** Every name this load balancer may use, of both kinds, for finding and deleting. */
export function allRefs(lb: string, c: LbContext): { external: Ref[]; internal: Ref[]; shared: Ref[]; rule: Ref } {
  return {
    rule: { scope: region(c), collection: 'forwardingRules', name: lb },
    shared: [{ scope: global, collection: 'firewalls', name: `k8s-fw-${lb}` }, { scope: global, collection: 'firewalls', name: `k8s-${lb}-hc-fw` }],
    external: [
      { scope: region(c), collection: 'addresses', name: lb },
      { scope: global, collection: 'httpHealthChecks', name: `k8s-${lb}-hc` },
      { scope: region(c), collection: 'targetPools', name: lb },
    ],
    internal: [
      { scope: global, collection: 'healthChecks', name: `k8s-${lb}-ilb-hc` },
      ...c.zones.map((zone): Ref => ({ scope: { zone }, collection: 'instanceGroups', name: lb })),
      { scope: region(c), collection: 'backendServices', name: lb },
    ],
  };
}

function ports(svc: Service): { protocol: string; ports: number[]; nodePorts: number[] } {
  const ps = svc.spec?.ports ?? [];
  const protocols = [...new Set(ps.map((p) => p.protocol ?? 'TCP'))];
  if (protocols.length > 1) throw new CloudError('InvalidArgument', 'gcp: a load balancer serves one protocol; mixed protocols are not supported', { retryable: false });
  return { protocol: protocols[0] ?? 'TCP', ports: ps.map((p) => p.port).sort((a, b) => a - b), nodePorts: ps.map((p) => p.nodePort ?? 0) };
}

function healthPort(svc: Service): { port: number; path: string } {
  const local = svc.spec?.externalTrafficPolicy === 'Local' && svc.spec.healthCheckNodePort;
  return local ? { port: svc.spec?.healthCheckNodePort ?? 10256, path: '/healthz' } : { port: 10256, path: '/healthz' };
}

function firewalls(lb: string, svc: Service, c: LbContext, desc: string, hcRanges: string[]): DesiredResource[] {
  const p = ports(svc);
  const ranges = [...(svc.spec?.loadBalancerSourceRanges ?? ['0.0.0.0/0'])].sort();
  const refs = allRefs(lb, c).shared;
  const net = `${'https://www.googleapis.com/compute/v1/'}projects/${c.project}/global/networks/${c.network}`;
  const hc = healthPort(svc);
  const [fw, hcFw] = refs as [Ref, Ref];
  /** With no nodes (and no configured tags) there are no tags to target: keep the rule's current ones. */
  const compare = c.tags.length > 0 ? ['allowed', 'sourceRanges', 'targetTags'] : ['allowed', 'sourceRanges'];
  return [
    { ref: fw, patchable: true, compare,
      body: { name: fw.name, description: desc, network: net, direction: 'INGRESS', sourceRanges: ranges, targetTags: [...c.tags],
        allowed: [{ IPProtocol: p.protocol.toLowerCase(), ports: [...new Set(p.ports)].map(String) }] } },
    { ref: hcFw, patchable: true, compare,
      body: { name: hcFw.name, description: desc, network: net, direction: 'INGRESS', sourceRanges: hcRanges, targetTags: [...c.tags],
        allowed: [{ IPProtocol: 'tcp', ports: [String(hc.port)] }] } },
  ];
}

export function desiredExternal(lb: string, svc: Service, c: LbContext, addressIp: string | undefined): DesiredResource[] {
  const desc = ownerDescription(c.cluster, svc.metadata.uid ?? '', `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`);
  const [address, hcRef, pool] = allRefs(lb, c).external as [Ref, Ref, Ref];
  const p = ports(svc);
  const hc = healthPort(svc);
  const requested = svc.spec?.loadBalancerIP;
  const out: DesiredResource[] = [];
  if (!requested) out.push({ ref: address, patchable: false, compare: ['addressType'], body: { name: lb, description: desc, addressType: 'EXTERNAL', networkTier: 'PREMIUM' } });
  out.push(...firewalls(lb, svc, c, desc, LEGACY_HC_RANGES));
  out.push({ ref: hcRef, patchable: false, compare: ['port', 'requestPath'], body: { name: hcRef.name, description: desc, port: hc.port, requestPath: hc.path, checkIntervalSec: 8, timeoutSec: 1, healthyThreshold: 1, unhealthyThreshold: 3 } });
  out.push({ ref: pool, patchable: false, compare: ['healthChecks'], members: c.instances.map((i) => i.link).sort(),
    body: { name: lb, description: desc, healthChecks: [linkOf(c.project, hcRef)], instances: c.instances.map((i) => i.link).sort() } });
  const rule = allRefs(lb, c).rule;
  out.push({ ref: rule, patchable: false, compare: ['IPAddress', 'IPProtocol', 'portRange', 'target', 'loadBalancingScheme'],
    body: { name: lb, description: desc, IPAddress: requested ?? addressIp ?? '', IPProtocol: p.protocol, portRange: `${p.ports[0] ?? 0}-${p.ports[p.ports.length - 1] ?? 0}`,
      target: linkOf(c.project, pool), loadBalancingScheme: 'EXTERNAL' } });
  return out;
}

export function desiredInternal(lb: string, svc: Service, c: LbContext): DesiredResource[] {
  const desc = ownerDescription(c.cluster, svc.metadata.uid ?? '', `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`);
  const refs = allRefs(lb, c);
  const [hcRef, ...rest] = refs.internal as [Ref, ...Ref[]];
  const bs = rest[rest.length - 1] as Ref;
  const groups = rest.slice(0, -1);
  const p = ports(svc);
  const hc = healthPort(svc);
  const used = groups.filter((g) => c.instances.some((i) => 'zone' in g.scope && i.zone === g.scope.zone));
  const out: DesiredResource[] = [...firewalls(lb, svc, c, desc, HC_RANGES)];
  out.push({ ref: hcRef, patchable: false, compare: ['type', 'httpHealthCheck'], body: { name: hcRef.name, description: desc, type: 'HTTP', httpHealthCheck: { port: hc.port, requestPath: hc.path } } });
  for (const g of used) {
    const zone = 'zone' in g.scope ? g.scope.zone : '';
    const members = c.instances.filter((i) => i.zone === zone).map((i) => i.link).sort();
    out.push({ ref: g, patchable: false, compare: [], members, body: { name: lb, description: desc, network: `${'https://www.googleapis.com/compute/v1/'}projects/${c.project}/global/networks/${c.network}` } });
  }
  out.push({ ref: bs, patchable: true, compare: ['backends', 'healthChecks', 'protocol'],
    body: { name: lb, description: desc, loadBalancingScheme: 'INTERNAL', protocol: p.protocol, healthChecks: [linkOf(c.project, hcRef)],
      backends: used.map((g) => ({ group: linkOf(c.project, g), balancingMode: 'CONNECTION' })) } });
  out.push({ ref: refs.rule, patchable: false, compare: ['IPProtocol', 'ports', 'backendService', 'loadBalancingScheme'],
    body: { name: lb, description: desc, IPProtocol: p.protocol, ports: [...new Set(p.ports)].map(String), backendService: linkOf(c.project, bs), loadBalancingScheme: 'INTERNAL',
      network: `${'https://www.googleapis.com/compute/v1/'}projects/${c.project}/global/networks/${c.network}`,
      ...(c.subnetwork ? { subnetwork: `${'https://www.googleapis.com/compute/v1/'}projects/${c.project}/regions/${c.region}/subnetworks/${c.subnetwork}` } : {}),
      ...(svc.spec?.loadBalancerIP ? { IPAddress: svc.spec.loadBalancerIP } : {}) } });
  return out;
}
