/**
 * GarbageCollector: deletes objects whose owners are all gone, and carries out foreground and
 * orphan deletion of owners. Discovery-driven informers feed an ownership graph; reconcile is
 * per object uid and re-reads every object it acts on from the API.
 */
import { isNotFound } from '../../api/index.js';
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, Informer, KubeClient, ReconcileResult, ResourceInfo, ResourceTarget, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { blocksOwner, decideDependent, foregroundFinalizer, gcFinalizer, orphanFinalizer, policyForDependentOf } from './decide.js';
import type { OwnerState } from './decide.js';
import { OwnershipGraph } from './graph.js';
import type { GraphNode } from './graph.js';

export interface GarbageCollectorOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  workers?: number;
  /** How often discovery is re-read so new kinds (CRDs) are watched; default 30 s. */
  rediscoverMs?: number;
  /** Re-check of an owner still waiting for dependents; default 2 s. */
  recheckMs?: number;
}

/** Pure: the resources the collector watches (listable, watchable, deletable; Events excluded as in Kubernetes). */
export function collectableResources(resources: readonly ResourceInfo[]): ResourceInfo[] {
  return resources.filter((r) => ['list', 'watch', 'delete'].every((v) => r.verbs.includes(v)) && r.plural !== 'events');
}

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  private readonly graph = new OwnershipGraph();
  private readonly runner: ControllerRunner;
  private readonly watched = new Map<string, Informer>();

  constructor(private readonly o: GarbageCollectorOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 4, reconcile: (k, s) => this.reconcile(k, s) });
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.discover(signal);
    this.o.informers.start(signal);
    // Only this collector's informers: one that cannot sync elsewhere must not stall collection.
    await Promise.all([...this.watched.values()].map((i) => i.waitForSync(signal))).catch(() => undefined);
    await Promise.all([this.runner.run(signal), this.rediscoverLoop(signal)]);
  }

  private async rediscoverLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.o.clock.sleep(this.o.rediscoverMs ?? 30_000, signal);
      } catch {
        return;
      }
      await this.discover(signal);
    }
  }

  /** Starts an informer for every collectable resource not yet watched. */
  private async discover(signal: AbortSignal): Promise<void> {
    let resources: ResourceInfo[];
    try {
      resources = collectableResources(await this.o.client.serverResources({ refresh: true, signal }));
    } catch (e) {
      if (!signal.aborted) this.o.log.warn('discovery failed', { error: (e as Error).message });
      return;
    }
    for (const r of resources) {
      const id = `${r.apiVersion}/${r.plural}`;
      if (!this.watched.has(id)) this.watched.set(id, this.watch({ apiVersion: r.apiVersion, plural: r.plural, namespaced: r.namespaced }));
    }
  }

  private watch(target: ResourceTarget): Informer {
    const inf = this.o.informers.informerFor(target);
    inf.addHandlers({
      onAdd: (obj) => this.observe(obj, target, true),
      onUpdate: (old, obj) => this.observe(obj, target, old === obj || deletionChanged(old, obj)),
      onDelete: (obj) => this.forget(obj),
    });
    return inf;
  }

  private observe(obj: KubeObject, target: ResourceTarget, interesting: boolean): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const ownersChanged = this.graph.upsert(obj, target);
    const relevant = (obj.metadata.ownerReferences ?? []).length > 0 || gcFinalizer(obj.metadata.finalizers) !== undefined;
    if (relevant && (interesting || ownersChanged)) this.runner.enqueue(uid);
  }

  /** A deleted object's dependents may now be orphans, and owners waiting for it may be done. */
  private forget(obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    for (const d of this.graph.dependents(uid)) this.runner.enqueue(d.uid);
    for (const o of obj.metadata.ownerReferences ?? []) if (this.graph.node(o.uid)) this.runner.enqueue(o.uid);
    this.graph.remove(uid);
  }

  private async reconcile(uid: string, signal: AbortSignal): Promise<ReconcileResult> {
    const node = this.graph.node(uid);
    if (!node) return;
    const obj = await this.live(node, signal);
    if (!obj) {
      for (const d of this.graph.dependents(uid)) this.runner.enqueue(d.uid);
      return;
    }
    if (obj.metadata.deletionTimestamp) {
      const fin = gcFinalizer(obj.metadata.finalizers);
      if (fin === 'foreground') return this.deleteDependentsFirst(node, obj, signal);
      if (fin === 'orphan') return this.orphanDependents(node, obj, signal);
      return;
    }
    await this.collectIfOrphaned(node, obj, signal);
  }

  /** Background rule: delete when every owner is gone; drop references to gone owners when some remain. */
  private async collectIfOrphaned(node: GraphNode, obj: KubeObject, signal: AbortSignal): Promise<void> {
    const owners = obj.metadata.ownerReferences ?? [];
    const states = new Map<string, OwnerState>();
    for (const ref of owners) states.set(ref.uid, await this.ownerState(ref, obj.metadata.namespace, signal));
    const action = decideDependent(owners, (u) => states.get(u) ?? 'solid');
    if (action.type === 'keep') return;
    const log = this.o.log.child({ controller: this.name, object: `${node.target.plural}/${node.namespace ? node.namespace + '/' : ''}${node.name}` });
    if (action.type === 'dropOwners') {
      log.info('removing references to deleted owners', { kept: action.keep.length });
      await this.setOwners(node, obj, action.keep, signal);
      return;
    }
    log.info('deleting object whose owners are gone', { policy: action.policy });
    await this.deleteNode(node, action.policy, signal);
  }

  /** Foreground: delete dependents (blocking ones in the foreground too); drop the finalizer once none blocks. */
  private async deleteDependentsFirst(node: GraphNode, owner: KubeObject, signal: AbortSignal): Promise<ReconcileResult> {
    const dependents = this.graph.dependents(node.uid);
    let blocking = 0;
    for (const d of dependents) {
      if (blocksOwner(node.uid, d.owners)) blocking++;
      await this.deleteNode(d, policyForDependentOf(node.uid, d.owners), signal);
    }
    if (blocking > 0) return { requeueAfterMs: this.o.recheckMs ?? 2000 };
    await this.removeFinalizer(node, owner, foregroundFinalizer, signal);
  }

  /** Orphan: remove every dependent's reference to the owner, then the finalizer. */
  private async orphanDependents(node: GraphNode, owner: KubeObject, signal: AbortSignal): Promise<void> {
    for (const d of this.graph.dependents(node.uid)) {
      const dep = await this.live(d, signal);
      if (!dep) continue;
      const keep = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== node.uid);
      await this.setOwners(d, dep, keep, signal);
    }
    await this.removeFinalizer(node, owner, orphanFinalizer, signal);
  }

  private async ownerState(ref: OwnerReference, namespace: string | undefined, signal: AbortSignal): Promise<OwnerState> {
    const res = await this.o.client.resourceFor(ref.apiVersion, ref.kind, { signal });
    try {
      const owner = await this.o.client.get(res, res.namespaced ? namespace : undefined, ref.name, { signal });
      if (owner.metadata.uid !== ref.uid) return 'dangling';
      return owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(foregroundFinalizer) ? 'waiting' : 'solid';
    } catch (e) {
      if (isNotFound(e)) return 'dangling';
      throw e;
    }
  }

  /** The object as the API has it now, or undefined if it is gone (or replaced under the same name). */
  private async live(node: GraphNode, signal: AbortSignal): Promise<KubeObject | undefined> {
    try {
      const obj = await this.o.client.get(node.target, node.namespace, node.name, { signal });
      return obj.metadata.uid === node.uid ? obj : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async deleteNode(node: GraphNode, policy: 'Background' | 'Foreground', signal: AbortSignal): Promise<void> {
    try {
      await this.o.client.delete(node.target, node.namespace, node.name, { propagationPolicy: policy, preconditions: { uid: node.uid }, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Replaces the owner references (conditional on the resourceVersion just read). */
  private async setOwners(node: GraphNode, obj: KubeObject, owners: OwnerReference[], signal: AbortSignal): Promise<void> {
    const patch = { metadata: { ownerReferences: owners, resourceVersion: obj.metadata.resourceVersion } };
    try {
      await this.o.client.patch(node.target, node.namespace, node.name, patch, 'merge', { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private async removeFinalizer(node: GraphNode, obj: KubeObject, finalizer: string, signal: AbortSignal): Promise<void> {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    const patch = { metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion } };
    try {
      await this.o.client.patch(node.target, node.namespace, node.name, patch, 'merge', { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

function deletionChanged(old: KubeObject, obj: KubeObject): boolean {
  return old.metadata.deletionTimestamp !== obj.metadata.deletionTimestamp || (old.metadata.finalizers ?? []).join() !== (obj.metadata.finalizers ?? []).join();
}
