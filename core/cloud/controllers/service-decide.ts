/** Pure decisions of the service controller: which Services get a load balancer, and what counts as a change. */
import { createHash } from 'node:crypto';
import type { LoadBalancerIngress, Service } from '../../api/index.js';

export const LB_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

/** Whether `svc` should have a load balancer from this provider (`classes`: the loadBalancerClass values it serves). */
export function wantsLoadBalancer(svc: Service, classes: readonly string[]): boolean {
  if (svc.metadata.deletionTimestamp) return false;
  if (svc.spec?.type !== 'LoadBalancer') return false;
  const cls = svc.spec.loadBalancerClass;
  return cls === undefined || cls === '' || classes.includes(cls);
}

export function hasFinalizer(svc: Service): boolean {
  return (svc.metadata.finalizers ?? []).includes(LB_FINALIZER);
}

/** A digest of every Service field a load balancer depends on (not the backends). */
export function serviceHash(svc: Service): string {
  const s = svc.spec ?? {};
  const relevant = {
    uid: svc.metadata.uid,
    annotations: svc.metadata.annotations ?? {},
    ports: (s.ports ?? []).map((p) => [p.name ?? '', p.protocol ?? 'TCP', p.port, p.nodePort ?? 0]),
    cls: s.loadBalancerClass ?? '',
    ip: s.loadBalancerIP ?? '',
    ranges: s.loadBalancerSourceRanges ?? [],
    etp: s.externalTrafficPolicy ?? '',
    hc: s.healthCheckNodePort ?? 0,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

export function ingressEqual(a: readonly LoadBalancerIngress[] | undefined, b: readonly LoadBalancerIngress[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** What the controller does for a Service this round. */
export type ServiceAction =
  | { kind: 'none' }
  | { kind: 'add-finalizer' }
  | { kind: 'delete' }
  | { kind: 'ensure' }
  | { kind: 'update-hosts' }
  | { kind: 'check' };

export interface ServiceState {
  wants: boolean;
  finalizer: boolean;
  /** The last applied (service hash, backend key), if this process applied one. */
  applied?: { svc: string; nodes: string };
  svcHash: string;
  nodesKey: string;
}

/**
 * Decides the next step. `check` means nothing is known (e.g. after a restart): compare with the
 * cloud read-only (`plan`) before deciding to call `ensure`.
 */
export function decideService(s: ServiceState): ServiceAction {
  if (!s.wants) return s.finalizer ? { kind: 'delete' } : { kind: 'none' };
  if (!s.finalizer) return { kind: 'add-finalizer' };
  if (!s.applied) return { kind: 'check' };
  if (s.applied.svc !== s.svcHash) return { kind: 'ensure' };
  if (s.applied.nodes !== s.nodesKey) return { kind: 'update-hosts' };
  return { kind: 'none' };
}
