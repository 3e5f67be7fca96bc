/**
 * Scale-down in motion: nodes being drained (marked, pods evicted) until their pods are gone, then
 * deleted through the provider; empty nodes marked and deleted at once. A drain that outlasts
 * `maxPodEvictionTime` is undone (taint removed, node uncordoned) and counts as a failure.
 */
import type { Node, Pod } from '../../core/api/index.js';
import type { EventRecorder, KubeClient } from '../../core/client/index.js';
import type { NodeGroups } from '../../core/cloud/index.js';
import type { Logger } from '../../core/util/index.js';
import { evict, markToBeDeleted, unmark } from './actuate.js';
import { staysWithNode } from './pods.js';

export interface DrainerDeps {
  client: KubeClient;
  nodeGroups: NodeGroups;
  recorder: EventRecorder;
  log: Logger;
  maxPodEvictionTimeMs: number;
}

export interface DrainProgress { deleted: string[]; failed: string[]; waiting: string[] }

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Drainer {
  private readonly draining = new Map<string, { group: string; started: number }>();

  constructor(private readonly d: DrainerDeps) {}

  /** Nodes being drained now. */
  nodes(): string[] {
    return [...this.draining.keys()];
  }

  /** Marks `node`, evicts `pods` and tracks the drain. */
  async start(node: Node, group: string, pods: readonly Pod[], now: number, signal: AbortSignal): Promise<void> {
    const name = node.metadata.name ?? '';
    await markToBeDeleted(this.d.client, node, now, signal);
    this.d.recorder.event(node, 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable');
    this.draining.set(name, { group, started: now });
    for (const p of pods) {
      this.d.recorder.event(p, 'Normal', 'ScaleDown', 'deleting pod for node scale down');
      await evict(this.d.client, p, signal);
    }
  }

  /** Marks empty nodes and deletes them through the provider, one call per group. Returns the deleted names. */
  async removeEmpty(list: readonly { node: Node; group: string }[], now: number, signal: AbortSignal): Promise<{ deleted: string[]; error?: string }> {
    const byGroup = new Map<string, Node[]>();
    for (const x of list) byGroup.set(x.group, [...(byGroup.get(x.group) ?? []), x.node]);
    const deleted: string[] = [];
    for (const [group, nodes] of byGroup) {
      const names = nodes.map((n) => n.metadata.name ?? '');
      try {
        for (const n of nodes) await markToBeDeleted(this.d.client, n, now, signal);
        await this.d.nodeGroups.deleteNodes(group, names, signal);
        for (const n of nodes) this.d.recorder.event(n, 'Normal', 'ScaleDown', 'node removed by cluster autoscaler');
        deleted.push(...names);
      } catch (e) {
        for (const n of names) await unmark(this.d.client, n, signal).catch(() => undefined);
        for (const n of nodes) this.d.recorder.event(n, 'Warning', 'ScaleDownFailed', `failed to delete empty node: ${messageOf(e)}`);
        return { deleted, error: messageOf(e) };
      }
    }
    return { deleted };
  }

  /** Advances every drain: deletes nodes whose pods are gone, retries evictions, gives up after the timeout. */
  async progress(nodes: ReadonlyMap<string, Node>, pods: readonly Pod[], now: number, signal: AbortSignal): Promise<DrainProgress> {
    const out: DrainProgress = { deleted: [], failed: [], waiting: [] };
    for (const [name, st] of [...this.draining]) {
      const node = nodes.get(name);
      const left = pods.filter((p) => p.spec.nodeName === name && !staysWithNode(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      if (left.length === 0 || !node) {
        await this.finish(name, st.group, node, out, signal);
      } else if (now - st.started > this.d.maxPodEvictionTimeMs) {
        this.draining.delete(name);
        await unmark(this.d.client, name, signal).catch(() => undefined);
        this.d.recorder.event(node, 'Warning', 'ScaleDownFailed', `failed to drain the node: ${left.length} pods remain after ${Math.round(this.d.maxPodEvictionTimeMs / 1000)}s`);
        out.failed.push(name);
      } else {
        for (const p of left) if (!p.metadata.deletionTimestamp) await evict(this.d.client, p, signal).catch(() => false);
        out.waiting.push(name);
      }
    }
    return out;
  }

  private async finish(name: string, group: string, node: Node | undefined, out: DrainProgress, signal: AbortSignal): Promise<void> {
    this.draining.delete(name);
    try {
      await this.d.nodeGroups.deleteNodes(group, [name], signal);
      if (node) this.d.recorder.event(node, 'Normal', 'ScaleDown', 'node removed by cluster autoscaler');
      out.deleted.push(name);
    } catch (e) {
      this.d.log.warn('delete drained node failed', { node: name, group, error: messageOf(e) });
      await unmark(this.d.client, name, signal).catch(() => undefined);
      if (node) this.d.recorder.event(node, 'Warning', 'ScaleDownFailed', `failed to delete the node: ${messageOf(e)}`);
      out.failed.push(name);
    }
  }
}
