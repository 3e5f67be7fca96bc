/** Template nodes (what a new node of a group would look like, daemon pods included) and node ↔ group membership. Pure. */
import type { DaemonSet, Node, Pod } from '../../core/api/index.js';
import { assume, newNodeInfo, nodeShouldRunDaemonPod, withDaemonTolerations } from '../../core/scheduler/index.js';
import type { NodeInfo } from '../../core/scheduler/index.js';
import type { ScaleGroup } from './types.js';

/** A Ready node shaped like the group's template, named `template-node-for-<group>-<suffix>`. */
export function templateNode(group: ScaleGroup, suffix: string | number): Node {
  const name = `template-node-for-${group.name}-${suffix}`;
  const capacity = { pods: '110', ...group.template.capacity };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { ...group.template.labels, 'kubernetes.io/hostname': name } },
    spec: { taints: [...group.template.taints] },
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/**
 * The pods `daemonSets` would run on `node` (cluster-autoscaler's GetDaemonSetPodsForNode): for each
 * DaemonSet whose selector, affinity and tolerations admit the node, its template with the daemon
 * tolerations, bound to the node and owned by the DaemonSet.
 */
export function daemonPodsFor(node: Node, daemonSets: readonly DaemonSet[]): Pod[] {
  const nodeName = node.metadata.name ?? '';
  return daemonSets.filter((ds) => !ds.metadata.deletionTimestamp && nodeShouldRunDaemonPod(node, ds).shouldRun).map((ds) => {
    const spec = structuredClone(ds.spec.template.spec ?? { containers: [] });
    spec.tolerations = withDaemonTolerations(spec.tolerations, spec.hostNetwork === true);
    spec.nodeName = nodeName;
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: `${ds.metadata.name ?? ''}-${nodeName}`, namespace: ds.metadata.namespace, labels: { ...(ds.spec.template.metadata?.labels ?? {}) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name ?? '', uid: ds.metadata.uid ?? '', controller: true }],
      },
      spec,
    };
  });
}

/** cluster-autoscaler's TemplateNodeInfo: a template node with the DaemonSet pods it would run already placed. */
export function templateNodeInfo(group: ScaleGroup, suffix: string | number, daemonSets: readonly DaemonSet[]): NodeInfo {
  const info = newNodeInfo(templateNode(group, suffix));
  for (const pod of daemonPodsFor(info.node, daemonSets)) assume(info, pod);
  return info;
}

/** Node name → group name, from the groups' instances (by name or provider ID). */
export function groupsOfNodes(nodes: readonly Node[], groups: readonly ScaleGroup[]): Map<string, string> {
  const byName = new Map<string, string>();
  const byProviderID = new Map<string, string>();
  for (const g of groups) {
    for (const i of g.instances) {
      byName.set(i.name, g.name);
      if (i.providerID) byProviderID.set(i.providerID, g.name);
    }
  }
  const out = new Map<string, string>();
  for (const n of nodes) {
    const name = n.metadata.name ?? '';
    const g = byName.get(name) ?? (n.spec?.providerID ? byProviderID.get(n.spec.providerID) : undefined);
    if (g !== undefined) out.set(name, g);
  }
  return out;
}

export function isReady(n: Node): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/**
 * Ready registered nodes per group. A registered node that is not Ready yet still counts as upcoming
 * (cluster-autoscaler's "not started" nodes), so a booting node does not cause a second scale-up.
 */
export function readyCounts(nodes: readonly Node[], groups: readonly ScaleGroup[]): Map<string, number> {
  const counts = new Map<string, number>(groups.map((g) => [g.name, 0]));
  const groupOf = groupsOfNodes(nodes, groups);
  for (const n of nodes) {
    const g = groupOf.get(n.metadata.name ?? '');
    if (g !== undefined && isReady(n)) counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}
