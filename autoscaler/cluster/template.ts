/** Template nodes (what a new node of a group would look like) and node ↔ group membership. Pure. */
import type { Node } from '../../core/api/index.js';
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
