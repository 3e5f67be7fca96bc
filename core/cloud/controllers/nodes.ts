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

/** Nodes that may serve load-balancer traffic: Ready, not being deleted, not excluded by label. Sorted by name. */
export function backendNodes(nodes: readonly Node[]): Node[] {
  return nodes
    .filter((n) => isNodeReady(n) && !n.metadata.deletionTimestamp && n.metadata.labels?.[LABEL_EXCLUDE_LB] === undefined)
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** The backend set as one comparable string. */
export function backendKey(nodes: readonly Node[]): string {
  return nodes.map((n) => `${n.metadata.name ?? ''}=${internalIP(n) ?? ''}`).join(',');
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
