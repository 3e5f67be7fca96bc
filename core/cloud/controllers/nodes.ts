/** Pure node helpers shared by the cloud controllers: taints, readiness, load-balancer backends. */
import type { Node, NodeAddress, Taint } from '../../api/index.js';

export const TAINT_UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized';
export const TAINT_SHUTDOWN = 'node.cloudprovider.kubernetes.io/shutdown';
export const LABEL_EXCLUDE_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';

export function hasTaint(node: Node, key: string): boolean {
  return (node.spec?.taints ?? []).some((t) => t.key === key);
}

export function withoutTaint(taints: readonly Taint[] | undefined, key: string): Taint[] {
  return (taints ?? []).filter((t) => t.key !== key);
}

export function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The taint the cluster autoscaler puts on a node it is about to delete. */
export const TAINT_TO_BE_DELETED = 'ToBeDeletedByClusterAutoscaler';

/**
 * Whether a node may be a load-balancer backend — Kubernetes' stable node set (KEP-3458, GA in 1.30): not
 * being deleted, not labelled `node.kubernetes.io/exclude-from-external-load-balancers` (any value, as in
 * 1.32), not tainted `ToBeDeletedByClusterAutoscaler`. Readiness is not a criterion: the load balancer's
 * health checks decide which backends get traffic, so a NotReady blip or a node that has not reported
 * status yet changes nothing in the cloud.
 */
export function isLoadBalancerBackend(node: Node): boolean {
  return !node.metadata.deletionTimestamp && !excludedByLabel(node) && !hasTaint(node, TAINT_TO_BE_DELETED);
}

function excludedByLabel(node: Node): boolean {
  return node.metadata.labels?.[LABEL_EXCLUDE_LB] !== undefined;
}

/**
 * Whether a node update can change any load balancer (Kubernetes' shouldSyncUpdatedNode): the exclude label
 * came or went, or the providerID changed. skiff's providers also address backends by InternalIP, so a
 * changed InternalIP counts too. Readiness, other conditions and heartbeats never do; a taint or deletion
 * alone waits for the next sync, as in Kubernetes.
 */
export function shouldSyncUpdatedNode(old: Node, cur: Node): boolean {
  return excludedByLabel(old) !== excludedByLabel(cur) || old.spec?.providerID !== cur.spec?.providerID || internalIP(old) !== internalIP(cur);
}

/** Nodes that may serve load-balancer traffic ({@link isLoadBalancerBackend}), sorted by name. */
export function backendNodes(nodes: readonly Node[]): Node[] {
  return nodes
    .filter(isLoadBalancerBackend)
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** The backend set as one comparable string. */
export function backendKey(nodes: readonly Node[]): string {
  return nodes.map((n) => `${n.metadata.name ?? ''}=${n.spec?.providerID ?? ''}=${internalIP(n) ?? ''}`).join(',');
}

export function internalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** Addresses from the cloud replace those of the same type; others the node reported are kept. */
export function mergeAddresses(current: readonly NodeAddress[] | undefined, cloud: readonly NodeAddress[]): NodeAddress[] {
  const types = new Set(cloud.map((a) => a.type));
  const kept = (current ?? []).filter((a) => !types.has(a.type));
  return [...cloud, ...kept];
}
