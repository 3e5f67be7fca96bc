/**
 * Service address allocation, which Kubernetes does in the API server: a ClusterIP from the
 * service range and NodePorts (30000–32767) for NodePort and LoadBalancer services. Updates
 * keep the allocated values when the request omits them. skiff's service range is on loopback
 * (127.240.0.0/12, where Kubernetes defaults to 10.96.0.0/12): the service proxy listens on
 * each ClusterIP, so it must be an address of this machine, and traffic never leaves it.
 */
import { randomInt } from 'node:crypto';
import { ApiError, invalid } from '../api/index.js';
import type { KubeObject } from '../api/index.js';
import type { Ctx } from './context.js';
import { isPlainObject } from './decode.js';

const rangeStart = ((127 << 24) | (240 << 16)) >>> 0; // 127.240.0.0
const rangeSize = 1 << 20; // /12
const nodePortMin = 30000;
const nodePortMax = 32767;

export function isServices(ctx: Ctx): boolean {
  return ctx.info.group === '' && ctx.info.plural === 'services';
}

function ipString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

type Port = Record<string, unknown>;
const portsOf = (spec: Record<string, unknown>): Port[] => (Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) : []);

async function usedAddresses(ctx: Ctx): Promise<{ ips: Set<string>; nodePorts: Set<number> }> {
  const { items } = await ctx.deps.store.list(ctx.ref);
  const ips = new Set<string>();
  const nodePorts = new Set<number>();
  for (const svc of items) {
    const spec = isPlainObject(svc.spec) ? svc.spec : {};
    if (typeof spec.clusterIP === 'string') ips.add(spec.clusterIP);
    for (const p of portsOf(spec)) if (typeof p.nodePort === 'number') nodePorts.add(p.nodePort);
  }
  return { ips, nodePorts };
}

const typeOf = (spec: Record<string, unknown>): string => (typeof spec.type === 'string' ? spec.type : 'ClusterIP');
const needsNodePorts = (spec: Record<string, unknown>): boolean => typeOf(spec) === 'NodePort' || typeOf(spec) === 'LoadBalancer';
const needsClusterIp = (spec: Record<string, unknown>): boolean => typeOf(spec) !== 'ExternalName';
const needsHealthCheckPort = (spec: Record<string, unknown>): boolean => typeOf(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

/**
 * Kubernetes' `dropTypeDependentFields`: when the type changes to one that does not use an
 * allocated value (nodePorts, healthCheckNodePort, clusterIPs) or externalTrafficPolicy, and the
 * request left that value as it was, the value is dropped (so
 * LoadBalancer → ClusterIP releases the nodePorts instead of failing validation).
 */
function dropTypeDependentFields(spec: Record<string, unknown>, oldSpec: Record<string, unknown>): void {
  const oldPorts = portsOf(oldSpec);
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec)) {
    const ports = portsOf(spec);
    const same = ports.every((p, i) => p.nodePort === undefined || p.nodePort === 0 || p.nodePort === oldPorts[i]?.nodePort);
    if (same) for (const p of ports) delete p.nodePort;
  }
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec) && (spec.externalTrafficPolicy === undefined || spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy)) {
    delete spec.externalTrafficPolicy;
  }
  if (needsHealthCheckPort(oldSpec) && !needsHealthCheckPort(spec)) {
    if (spec.healthCheckNodePort === undefined || spec.healthCheckNodePort === 0 || spec.healthCheckNodePort === oldSpec.healthCheckNodePort) delete spec.healthCheckNodePort;
  }
  if (needsClusterIp(oldSpec) && !needsClusterIp(spec)) {
    if (spec.clusterIP === undefined || spec.clusterIP === '' || spec.clusterIP === oldSpec.clusterIP) {
      for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[k];
    }
  }
}

/** Keeps allocated values from `old` that the update omits (only those the new type uses). */
function carryOver(spec: Record<string, unknown>, oldSpec: Record<string, unknown>): void {
  if (needsClusterIp(spec)) {
    for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) if (spec[k] === undefined && oldSpec[k] !== undefined) spec[k] = oldSpec[k];
  }
  if (!needsNodePorts(spec)) return;
  const oldPorts = portsOf(oldSpec);
  for (const p of portsOf(spec)) {
    if (p.nodePort !== undefined) continue;
    const match = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
    if (match && typeof match.nodePort === 'number') p.nodePort = match.nodePort;
  }
}

/** Fills clusterIP and nodePorts in place (create, or update with `old`). */
export async function allocateServiceAddresses(ctx: Ctx, obj: KubeObject, old?: KubeObject): Promise<void> {
  if (!isPlainObject(obj.spec)) return;
  const spec = obj.spec;
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  if (old && isPlainObject(old.spec)) {
    dropTypeDependentFields(spec, old.spec);
    carryOver(spec, old.spec);
  }
  const wantsNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  const needsIp = type !== 'ExternalName' && (spec.clusterIP === undefined || spec.clusterIP === '');
  const needsPorts = wantsNodePorts && portsOf(spec).some((p) => p.nodePort === undefined);
  if (!needsIp && !needsPorts) return;
  const used = await usedAddresses(ctx);
  if (old && isPlainObject(old.spec)) {
    if (typeof old.spec.clusterIP === 'string') used.ips.delete(old.spec.clusterIP);
    for (const p of portsOf(old.spec)) if (typeof p.nodePort === 'number') used.nodePorts.delete(p.nodePort);
  }
  if (needsIp) {
    const ip = freeIp(used.ips, obj.metadata.name ?? '');
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (wantsNodePorts) allocateNodePorts(obj, portsOf(spec), used.nodePorts);
}

function freeIp(used: Set<string>, _name: string): string {
  // Start at a random offset, as Kubernetes' allocator picks at random: parallel creates rarely
  // collide, and two skiffs on one machine rarely give a Service the same address.
  const h = randomInt(rangeSize);
  for (let i = 0; i < rangeSize; i++) {
    const off = ((h + i) % (rangeSize - 2)) + 2;
    const ip = ipString(rangeStart + off);
    if (!used.has(ip)) return ip;
  }
  throw new ApiError('InternalError', 'the service IP range is exhausted');
}

function allocateNodePorts(obj: KubeObject, ports: Port[], used: Set<number>): void {
  ports.forEach((p, i) => {
    if (typeof p.nodePort === 'number') {
      if (used.has(p.nodePort)) {
        throw invalid('Service', '', obj.metadata.name ?? '', [{ field: `spec.ports[${i}].nodePort`, type: 'FieldValueInvalid', message: `Invalid value: ${p.nodePort}: provided port is already allocated` }]);
      }
      used.add(p.nodePort);
      return;
    }
    const span = nodePortMax - nodePortMin + 1;
    const start = randomInt(span);
    for (let k = 0; k < span; k++) {
      const port = nodePortMin + ((start + k) % span);
      if (!used.has(port)) {
        p.nodePort = port;
        used.add(port);
        return;
      }
    }
    throw new ApiError('InternalError', 'the node port range is exhausted');
  });
}
