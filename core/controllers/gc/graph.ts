/** The owner → dependents graph the garbage collector keeps from its informers (rebuilt from the API after a restart). */
import type { KubeObject, OwnerReference } from '../../api/index.js';
import type { ResourceTarget } from '../../client/index.js';

export interface GraphNode {
  uid: string;
  target: ResourceTarget;
  namespace: string | undefined;
  name: string;
  owners: readonly OwnerReference[];
}

export class OwnershipGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  /** Adds or refreshes `obj`; returns true when its owner references changed. */
  upsert(obj: KubeObject, target: ResourceTarget): boolean {
    const uid = obj.metadata.uid;
    if (!uid) return false;
    const old = this.nodes.get(uid);
    const owners = obj.metadata.ownerReferences ?? [];
    const node: GraphNode = { uid, target, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '', owners };
    if (old) this.unlink(old);
    this.nodes.set(uid, node);
    for (const o of owners) {
      let set = this.dependentsOf.get(o.uid);
      if (!set) this.dependentsOf.set(o.uid, (set = new Set()));
      set.add(uid);
    }
    return !old || ownersKey(old.owners) !== ownersKey(owners);
  }

  remove(uid: string): void {
    const old = this.nodes.get(uid);
    if (!old) return;
    this.unlink(old);
    this.nodes.delete(uid);
  }

  node(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** The known objects with an owner reference to `ownerUid`. */
  dependents(ownerUid: string): GraphNode[] {
    return [...(this.dependentsOf.get(ownerUid) ?? [])].flatMap((uid) => {
      const n = this.nodes.get(uid);
      return n ? [n] : [];
    });
  }

  private unlink(node: GraphNode): void {
    for (const o of node.owners) {
      const set = this.dependentsOf.get(o.uid);
      set?.delete(node.uid);
      if (set && set.size === 0) this.dependentsOf.delete(o.uid);
    }
  }
}

function ownersKey(owners: readonly OwnerReference[]): string {
  return owners.map((o) => `${o.uid}:${o.blockOwnerDeletion ? 1 : 0}`).sort().join(',');
}
